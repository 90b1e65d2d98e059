import { IANAZone } from 'luxon';

/** Answers remembered (luxon builds an `Intl.DateTimeFormat` per check); bounded, since names come from input. */
const known = new Map<string, boolean>();
const MAX_REMEMBERED = 1000;

/** True for a canonical or linked IANA time zone name such as `Asia/Almaty`; offsets like `+06:00` are refused. */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const remembered = known.get(value);
  if (remembered !== undefined) return remembered;
  const valid = value.includes('/') && IANAZone.isValidZone(value);
  if (known.size < MAX_REMEMBERED) known.set(value, valid);
  return valid;
}
