import { MigrationInterface, QueryRunner } from 'typeorm';

export class Alerts1795244325347 implements MigrationInterface {
  name = 'Alerts1795244325347';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "advocates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "name" text NOT NULL, "email" character varying(254) NOT NULL, "language" character varying(8) NOT NULL DEFAULT 'en', "time_zone" text NOT NULL, "webhook_url" text, "webhook_secret" text, "person_id" uuid, "calendar_token_hash" character(64) NOT NULL, "calendar_token" text NOT NULL, "self_service" boolean NOT NULL DEFAULT false, CONSTRAINT "UQ_fb02b716d1f1b10c9cb1c5ae575" UNIQUE ("seq"), CONSTRAINT "CHK_f8651831420b67829097dcbe00" CHECK ("language" IN ('en', 'ru')), CONSTRAINT "PK_ffd87d342a3cafe13a01bb1f5c1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_7a7bec5b416fabfc9b8b7b8b26" ON "advocates"  ("email") WHERE archived_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_4e25e60ae42c15d4bd8765d5b0" ON "advocates"  ("person_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_bf1f835af498332e830802048e" ON "advocates"  ("calendar_token_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "subscriptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "advocate_id" uuid NOT NULL, "case_id" uuid, "person_id" uuid, "event_id" uuid, "lead_times" text array NOT NULL, "channels" text array NOT NULL, "announce" text array NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'active', "public_only" boolean NOT NULL DEFAULT false, "confirm_token_hash" character(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "cancelled_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_89c7f656c13355e85361804e866" UNIQUE ("seq"), CONSTRAINT "CHK_0fb3db2022c4f31bd1b87a886e" CHECK (num_nonnulls("case_id", "person_id", "event_id") = 1), CONSTRAINT "CHK_707961dbb1f73f6088b50660fa" CHECK ("status" IN ('pending', 'active', 'cancelled')), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_db261fc4efc6e766a713d95256" ON "subscriptions"  ("advocate_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_ccd9610d827888c26959caff3e" ON "subscriptions"  ("event_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_6023d2cd860b5c8577c87383a1" ON "subscriptions"  ("person_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_7538bdcef5526b7c08901dee0d" ON "subscriptions"  ("case_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE TABLE "reminders" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "dedupe_key" text NOT NULL, "subscription_id" uuid NOT NULL, "advocate_id" uuid NOT NULL, "kind" character varying(12) NOT NULL, "notice" character varying(24), "lead_time" text, "channel" character varying(12) NOT NULL, "hearing_id" uuid, "case_id" uuid, "person_id" uuid, "custody_event_id" uuid, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(12) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "claimed_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_47cc244dd0fbcb8d0990b564251" UNIQUE ("seq"), CONSTRAINT "CHK_0000b0fc170f38d05e3e7fbd8d" CHECK ("channel" IN ('email', 'webhook')), CONSTRAINT "CHK_5ae8e304cc87ee70281b8d0808" CHECK ("kind" IN ('reminder', 'notice', 'confirmation')), CONSTRAINT "CHK_7a208e355d7e4df04f4ddc8627" CHECK ("status" IN ('scheduled', 'sending', 'sent', 'cancelled', 'failed', 'skipped')), CONSTRAINT "PK_38715fec7f634b72c6cf7ea4893" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_2d655c27551436438136cd94be" ON "reminders"  ("dedupe_key") `);
    await queryRunner.query(`CREATE INDEX "IDX_51c31c7302094a18278e4588ca" ON "reminders"  ("subscription_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_36b91c1fb7a8fc540eb67eb5bf" ON "reminders"  ("hearing_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_a4c19ed3b84261e3573542be29" ON "reminders"  ("status", "due_at") `);
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "FK_db261fc4efc6e766a713d952569" FOREIGN KEY ("advocate_id") REFERENCES "advocates"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reminders" ADD CONSTRAINT "FK_51c31c7302094a18278e4588ca8" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reminders" DROP CONSTRAINT "FK_51c31c7302094a18278e4588ca8"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_db261fc4efc6e766a713d952569"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a4c19ed3b84261e3573542be29"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_36b91c1fb7a8fc540eb67eb5bf"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_51c31c7302094a18278e4588ca"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_2d655c27551436438136cd94be"`);
    await queryRunner.query(`DROP TABLE "reminders"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7538bdcef5526b7c08901dee0d"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6023d2cd860b5c8577c87383a1"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ccd9610d827888c26959caff3e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_db261fc4efc6e766a713d95256"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bf1f835af498332e830802048e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4e25e60ae42c15d4bd8765d5b0"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7a7bec5b416fabfc9b8b7b8b26"`);
    await queryRunner.query(`DROP TABLE "advocates"`);
  }
}
