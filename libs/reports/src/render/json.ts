import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INTERNAL_MARKING } from '../labels.js';
import type { CampaignListData, DossierData } from '../report-data.js';

/**
 * The report's data as JSON, for other tools: `meta`, `marking` (the English marking of internal
 * reports, else null), then the data as the builder gave it. A campaign list's `rows` come last
 * and are written one row per line as they are read, never held together.
 */
export async function renderJson(data: DossierData | CampaignListData, out: Writable): Promise<void> {
  await pipeline(Readable.from(chunks(data)), out);
}

async function* chunks(data: DossierData | CampaignListData): AsyncGenerator<string> {
  const marking = data.meta.audience === 'internal' ? INTERNAL_MARKING : null;
  if (!('rows' in data)) {
    const { meta, ...facts } = data;
    yield `${JSON.stringify({ meta, marking, ...facts })}\n`;
    return;
  }
  const { meta, rows, ...facts } = data;
  // The object without its closing brace, continued by the rows array.
  yield `${JSON.stringify({ meta, marking, ...facts }).slice(0, -1)},"rows":[`;
  let separator = '\n';
  for await (const row of rows) {
    yield `${separator}${JSON.stringify(row)}`;
    separator = ',\n';
  }
  yield '\n]}\n';
}
