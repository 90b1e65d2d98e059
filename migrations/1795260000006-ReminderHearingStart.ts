import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hearing start each reminder was planned for, so that a reminder whose hearing has moved
 * since (one retried, or put back after a failed attempt) is never sent with the old countdown.
 * Existing reminders get it from their due time and lead time (ISO 8601 durations, which
 * PostgreSQL reads as intervals).
 */
export class ReminderHearingStart1795260000006 implements MigrationInterface {
  name = 'ReminderHearingStart1795260000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reminders ADD COLUMN hearing_starts_at timestamptz`);
    await queryRunner.query(
      `UPDATE reminders SET hearing_starts_at = due_at + lead_time::interval
        WHERE kind = 'reminder' AND lead_time IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE reminders DROP COLUMN hearing_starts_at`);
  }
}
