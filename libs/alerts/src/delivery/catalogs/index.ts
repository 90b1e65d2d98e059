import type { Language } from '../../alerts.js';
import type { Catalog } from './catalog.js';
import { en } from './en.js';
import { ru } from './ru.js';

export type { Catalog, MessageEvent, PluralForms } from './catalog.js';

/** One catalog per language an advocate may choose; a missing one is a compile error. */
export const CATALOGS: Record<Language, Catalog> = { en, ru };

export function catalogFor(language: string): Catalog {
  return CATALOGS[language as Language] ?? CATALOGS.en;
}
