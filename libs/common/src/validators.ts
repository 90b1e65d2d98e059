import { Transform } from 'class-transformer';
import {
  IsISO31661Alpha2,
  IsUUID,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isPartialDate, partialDateInFuture, partialDateProblem } from './partial-date.js';
import { canonicalTimeZoneCase, isIanaTimeZone } from './time-zone.js';

/** Validates a `{date, precision}` partial date and reports exactly what is wrong with it. */
export function IsPartialDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPartialDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => partialDateProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} is not a valid partial date: ${partialDateProblem(args?.value) ?? 'invalid'}`,
      },
    });
}

/**
 * A partial date that has begun (a birth date): one whose first day is still to come everywhere
 * (`2999`, `9999-12-31`) is refused. An invalid partial date is left to `@IsPartialDate()`.
 */
export function IsNotFuturePartialDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotFuturePartialDate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => !isPartialDate(value) || !partialDateInFuture(value),
        defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} must not be in the future`,
      },
    });
}

/**
 * Validates an IANA time zone name such as `Asia/Almaty` (fixed offsets are refused: offsets
 * change). Any case is accepted and stored as the time zone database spells it (`asia/almaty` ->
 * `Asia/Almaty`), so that feeds and messages name the zone right.
 */
export function IsTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) => canonicalTimeZoneCase(value))(target, propertyName);
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isIanaTimeZone(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be an IANA time zone name such as "Asia/Almaty"`,
      },
    });
  };
}

/** An ISO 3166-1 alpha-2 country code, accepted in any case and stored upper-case (`kz` -> `KZ`). */
export function IsCountryCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toUpperCase() : value))(
      target,
      propertyName,
    );
    IsISO31661Alpha2(options)(target, propertyName);
  };
}

const lowerCase = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);

/**
 * The id of a record (a UUID), accepted in any case and kept lower-case, as PostgreSQL gives ids
 * back: so that an id sent upper-case is the same id everywhere it is compared (a hearing
 * postponed to itself, a participant or source looked up by id), not only in SQL.
 */
export function IsId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(lowerCase) : lowerCase(value)))(
      target,
      propertyName,
    );
    IsUUID('all', options)(target, propertyName);
  };
}

/** RFC 3339 `date-time` (section 5.6): a full date and time with `Z` or an offset; nothing else. */
const RFC3339_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant an RFC 3339 date-time names (`2030-01-01T00:00:00Z`, `...+05:00`), or null for
 * anything else: no offset (whose zone would be the server's), an impossible date or time,
 * another ISO 8601 form (`2024-W01`, `-2024-01-01`), or an instant outside the years 1 to 9999.
 */
export function rfc3339Instant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const m = RFC3339_DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [sign, offsetHours, offsetMinutes] = [m[8], Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const instant = new Date(date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset);
  const instantYear = instant.getUTCFullYear();
  if (instantYear < 1 || instantYear > 9999) return null;
  // What `new Date(value)` reads, as services do, must be the same instant.
  if (Date.parse(value) !== instant.getTime()) return null;
  return instant;
}

/**
 * An RFC 3339 date-time with `Z` or an offset (see `rfc3339Instant`) naming an instant still to
 * come, such as when something expires.
 */
export function IsFutureDateTime(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isFutureDateTime',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => (rfc3339Instant(value)?.getTime() ?? -Infinity) > Date.now(),
        defaultMessage: (args?: ValidationArguments) =>
          rfc3339Instant(args?.value)
            ? `${args?.property ?? 'value'} must be in the future`
            : `${args?.property ?? 'value'} must be an RFC 3339 date-time with Z or an offset, such as 2030-01-01T00:00:00Z`,
      },
    });
}
