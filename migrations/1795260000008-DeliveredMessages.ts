import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per message an advocate is sent, whatever subscription planned it: an advocate who
 * follows a case and also one of its persons (or its mass event) has a reminder planned by each
 * subscription, and only the one that claims the message here is sent (see `DeliveryService`).
 * `message_key` is the reminder's dedupe key with the advocate in place of the subscription.
 */
export class DeliveredMessages1795260000008 implements MigrationInterface {
  name = 'DeliveredMessages1795260000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE delivered_messages (
        message_key text PRIMARY KEY,
        reminder_id uuid NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX delivered_messages_reminder ON delivered_messages (reminder_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE delivered_messages`);
  }
}
