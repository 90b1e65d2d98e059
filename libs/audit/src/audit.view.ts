import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTIONS, type AuditAction } from './audit.js';

export class AuditActorView {
  @ApiProperty({ enum: ['user', 'api-key', 'system'] })
  kind!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  id!: string | null;

  @ApiProperty({ example: 'editor@example.org', description: "The user's email, the API key's name or the task." })
  label!: string;
}

export class FieldChangeView {
  @ApiProperty({ example: 'from' })
  field!: string;

  @ApiProperty({ nullable: true, description: 'Value before the change (any JSON type).' })
  before!: unknown;

  @ApiProperty({ nullable: true, description: 'Value after the change (any JSON type).' })
  after!: unknown;

  @ApiProperty({ description: 'True when the reader may not see the values; they are then null.' })
  redacted!: boolean;
}

export class AuditEntryView {
  @ApiProperty({ example: '42', description: 'Position in the audit trail.' })
  seq!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: AuditActorView })
  actor!: AuditActorView;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  action!: AuditAction;

  @ApiProperty({ type: String, nullable: true, example: 'Date corrected after the court published its record' })
  reason!: string | null;

  @ApiProperty({ type: [FieldChangeView] })
  changes!: FieldChangeView[];
}
