import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { PartialDateDto } from './dto.js';
import { IsCountryCode, IsId, IsPartialDate } from './validators.js';
import { DEFAULT_VISIBILITY, VISIBILITIES } from './visibility.js';

/**
 * Field decorators shared by the request DTOs: each bundles the OpenAPI description with its
 * validation, so the same kind of field is documented and checked the same way everywhere.
 * "Nullable" fields may be sent as `null` to clear them.
 */

/** `null` is accepted (it clears the field); any other value is validated. */
const notNull = (_: object, value: unknown) => value !== null;

/**
 * The field may be left out, but not sent as `null`: unlike `IsOptional`, which lets `null`
 * through unchecked, a `null` is validated like any other value and so refused with the field's
 * message. For optional fields that have no "empty" state (a visibility, a kind, a list).
 */
export const IsOmittable = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/**
 * The client's own stable identifier (imports, the demo seed): unique per record type. Spaces
 * around it are dropped (as imports drop them from cells), so one of spaces only is refused.
 */
export const ExternalIdField = () =>
  applyDecorators(
    ApiPropertyOptional({
      description: 'Your own stable identifier (imports, the demo seed); unique per record type.',
    }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsOptional(),
    IsString(),
    Length(1, 200),
  );

/** Ids of the sources cited for a record; the list replaces the stored one. */
export const SourceIdsField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Sources cited for this record.' }),
    IsOmittable(),
    IsArray(),
    ArrayMaxSize(200),
    ArrayUnique(),
    IsId({ each: true }),
  );

/** Optional, nullable free text of at most `maxLength` characters. */
export const OptionalTextField = (maxLength: number, api: ApiPropertyOptions = {}) =>
  applyDecorators(
    ApiPropertyOptional({ nullable: true, maxLength, ...api } as ApiPropertyOptions),
    IsOptional(),
    ValidateIf(notNull),
    IsString(),
    MaxLength(maxLength),
  );

/** Optional, nullable ISO 3166-1 alpha-2 country code, stored upper-case. */
export const CountryField = () =>
  applyDecorators(
    ApiPropertyOptional({ example: 'KZ', nullable: true, description: 'ISO 3166-1 alpha-2 country code' }),
    IsOptional(),
    ValidateIf(notNull),
    IsCountryCode(),
  );

/** Optional, nullable partial date. */
export const OptionalPartialDateField = (description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: PartialDateDto, nullable: true, description }),
    IsOptional(),
    ValidateIf(notNull),
    IsPartialDate(),
  );

/** Optional, nullable uuid reference to another record. */
export const OptionalIdField = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ format: 'uuid', nullable: true, description }),
    IsOptional(),
    ValidateIf(notNull),
    IsId(),
  );

/** A non-empty list of distinct names; the first is the main one. */
export const NamesField = (example: string[]) =>
  applyDecorators(
    ApiProperty({ example, description: 'The first name is the main one.' }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(50),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, 500, { each: true }),
  );

/** Who may see the record; `internal` unless said otherwise. */
export const VisibilityField = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: VISIBILITIES, default: DEFAULT_VISIBILITY }),
    IsOmittable(),
    IsIn(VISIBILITIES),
  );

/** Why a change is made; kept in the audit trail (the `X-Change-Reason` header does the same). */
export const ReasonField = () =>
  applyDecorators(
    ApiPropertyOptional({
      maxLength: 1000,
      description: 'Why this change is made; kept in the audit trail. `X-Change-Reason` does the same.',
      example: 'Date corrected after the court published its record',
    }),
    IsOptional(),
    IsString(),
    MaxLength(1000),
  );

/** Base of every write body: an optional `reason` for the audit trail. */
export abstract class ChangeReasonDto {
  @ReasonField()
  reason?: string;
}
