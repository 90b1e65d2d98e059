import { IANAZone } from 'luxon';

/** True for a canonical or linked IANA time zone name such as `Asia/Almaty`; offsets like `+06:00` are refused. */
export function isIanaTimeZone(value: unknown): value is string {
  return typeof value === 'string' && value.includes('/') && IANAZone.isValidZone(value);
}
