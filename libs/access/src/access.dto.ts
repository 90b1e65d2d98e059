import { ChangeReasonDto, IsFutureDateTime, IsId, PageQueryDto, ROLES, type Role } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { API_KEY_SCOPES, type ApiKeyScope } from './access.entities.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.js';

const trimLower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class LoginDto {
  @ApiProperty({ example: 'admin@example.org' })
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(MAX_PASSWORD_LENGTH)
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH })
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  newPassword!: string;
}

export class CreateUserDto extends ChangeReasonDto {
  @ApiProperty({ example: 'editor@example.org' })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'Aigerim (case officer)' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ format: 'password', minLength: MIN_PASSWORD_LENGTH, description: 'Checked for strength.' })
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  password!: string;
}

export class UpdateUserDto extends ChangeReasonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ format: 'password', description: "Sets a new password and ends the user's sessions." })
  @IsOptional()
  @IsString()
  @Length(1, MAX_PASSWORD_LENGTH)
  password?: string;
}

export class CreateApiKeyDto extends ChangeReasonDto {
  @ApiProperty({ example: 'Campaign website (read-only)' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES })
  @IsIn(API_KEY_SCOPES)
  scope!: ApiKeyScope;

  @ApiPropertyOptional({
    format: 'date-time',
    example: '2030-01-01T00:00:00Z',
    description: 'When the key stops working (RFC 3339 with `Z` or an offset, in the future); never when absent.',
  })
  @IsOptional()
  @IsFutureDateTime()
  expiresAt?: string;
}

export class CreateAccessGrantDto extends ChangeReasonDto {
  @ApiProperty({ format: 'uuid' })
  @IsId()
  userId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person whose restricted material the user may see.' })
  @IsOptional()
  @IsId()
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case whose restricted material the user may see.' })
  @IsOptional()
  @IsId()
  caseId?: string;
}

export class ListAccessGrantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsId()
  caseId?: string;
}
