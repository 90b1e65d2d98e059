import { ChangeReasonDto, PageQueryDto, ROLES, type Role } from '#common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDateString, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
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

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working; never when absent.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expiresAt must be an ISO 8601 date-time' })
  expiresAt?: string;
}

export class CreateAccessGrantDto extends ChangeReasonDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  userId!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The person whose restricted material the user may see.' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The case whose restricted material the user may see.' })
  @IsOptional()
  @IsUUID('all')
  caseId?: string;
}

export class ListAccessGrantsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  personId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  caseId?: string;
}
