import { Transform } from 'class-transformer';
import { IsISO31661Alpha2, registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { partialDateProblem } from './partial-date.js';
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
