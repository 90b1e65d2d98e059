import { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessAndAudit1795241720804 implements MigrationInterface {
  name = 'AccessAndAudit1795241720804';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "email" character varying(254) NOT NULL, "display_name" text NOT NULL, "role" character varying(16) NOT NULL, "password_hash" text NOT NULL, "password_set_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "deactivated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_18b68cf7b9ee898059759c90263" UNIQUE ("seq"), CONSTRAINT "CHK_13297a6d44fc7b465e36efa41c" CHECK ("role" IN ('viewer', 'editor', 'admin')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_97672ac88f789774dd47f7c8be" ON "users"  ("email") `);
    await queryRunner.query(
      `CREATE TABLE "access_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_65140f59763ff994a0252488166" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_09ee750a035b06e0c7f0704687" ON "access_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_9bbf8c3c1a897742f78d50e729" ON "access_tokens"  ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "name" text NOT NULL, "scope" character varying(16) NOT NULL, "token_hash" character(64) NOT NULL, "prefix" character varying(16) NOT NULL, "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_459b154cc97e92999992d966e2b" UNIQUE ("seq"), CONSTRAINT "CHK_0ce22404be301efe4a0a0e78dd" CHECK ("scope" IN ('read-only', 'read-write')), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_77f4ee004e33afac232c0a8fd1" ON "api_keys"  ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "access_grants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "user_id" uuid NOT NULL, "person_id" uuid, "case_id" uuid, "granted_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_607a3d450c838ce41a634092729" UNIQUE ("seq"), CONSTRAINT "CHK_5b67f912ce14c3bb4a8469c2a7" CHECK (num_nonnulls("person_id", "case_id") = 1), CONSTRAINT "PK_451012952c6aa19c9f6e4ddcc19" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "access_grants_user_case" ON "access_grants"  ("user_id", "case_id") WHERE case_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "access_grants_user_person" ON "access_grants"  ("user_id", "person_id") WHERE person_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_log" ("seq" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_kind" character varying(16) NOT NULL, "actor_id" uuid, "actor_label" text NOT NULL, "action" character varying(16) NOT NULL, "entity_type" character varying(32) NOT NULL, "entity_id" uuid NOT NULL, "visibility" character varying(12) NOT NULL, "changes" jsonb NOT NULL, "reason" text, "prev_hash" character(64), "hash" character(64) NOT NULL, CONSTRAINT "CHK_b2c1116612196d6abd05d93608" CHECK ("visibility" IN ('public', 'internal', 'restricted')), CONSTRAINT "CHK_fdba4aea14cc7dfb93cc26c98b" CHECK ("action" IN ('create', 'update', 'archive', 'restore', 'revoke', 'export', 'import')), CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_log_entity" ON "audit_log"  ("entity_type", "entity_id", "seq") `);
    // The audit trail is append-only, enforced by PostgreSQL for every role (owner included):
    // UPDATE, DELETE and TRUNCATE raise an error. Only a superuser who first disables the
    // triggers could change it, and the hash chain (npm run audit:verify) would show it.
    await queryRunner.query(`CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM PUBLIC`);
    await queryRunner.query(
      `CREATE TABLE "notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "person_id" uuid, "case_id" uuid, "body" text NOT NULL, "visibility" character varying(12) NOT NULL DEFAULT 'internal', "author_label" text NOT NULL, CONSTRAINT "UQ_b16044b4bba3a1c1d451d385ee5" UNIQUE ("seq"), CONSTRAINT "CHK_6013a1769ad3cb11509353946d" CHECK (num_nonnulls("person_id", "case_id") = 1), CONSTRAINT "CHK_a9810c52ea4061a26c5876fe45" CHECK ("visibility" IN ('public', 'internal', 'restricted')), CONSTRAINT "PK_af6206538ea96c4e77e9f400c3d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_cdadbba1bf52ba7e37b2574f65" ON "notes"  ("case_id", "seq") `);
    await queryRunner.query(`CREATE INDEX "IDX_e210fd0b0c6902362711fc2980" ON "notes"  ("person_id", "seq") `);
    await queryRunner.query(`ALTER TABLE "sources" ADD "visibility" character varying(12) NOT NULL DEFAULT 'internal'`);
    await queryRunner.query(`ALTER TABLE "sources" ADD "contact_details" text`);
    await queryRunner.query(`ALTER TABLE "persons" ADD "contact_details" text`);
    await queryRunner.query(
      `ALTER TABLE "hearings" ADD "visibility" character varying(12) NOT NULL DEFAULT 'internal'`,
    );
    await queryRunner.query(
      `ALTER TABLE "custody_events" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`,
    );
    await queryRunner.query(`ALTER TABLE "custody_events" ADD "version" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "custody_events" ADD "archived_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "custody_events" ADD "visibility" character varying(12) NOT NULL DEFAULT 'internal'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sources" ADD CONSTRAINT "CHK_fdac2c97ab65f4a8b45528a502" CHECK ("visibility" IN ('public', 'internal', 'restricted'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "hearings" ADD CONSTRAINT "CHK_cc4021e05a200d25f51b77f22a" CHECK ("visibility" IN ('public', 'internal', 'restricted'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "custody_events" ADD CONSTRAINT "CHK_737dc7c6422226a24be9da776f" CHECK ("visibility" IN ('public', 'internal', 'restricted'))`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_tokens" ADD CONSTRAINT "FK_09ee750a035b06e0c7f0704687e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_grants" ADD CONSTRAINT "FK_88c268af036108b0891caacce7c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notes" ADD CONSTRAINT "FK_9c7584d5d7ed679cb22b305f30e" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notes" ADD CONSTRAINT "FK_04ef7a289a039495d38e705d022" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notes" DROP CONSTRAINT "FK_04ef7a289a039495d38e705d022"`);
    await queryRunner.query(`ALTER TABLE "notes" DROP CONSTRAINT "FK_9c7584d5d7ed679cb22b305f30e"`);
    await queryRunner.query(`ALTER TABLE "access_grants" DROP CONSTRAINT "FK_88c268af036108b0891caacce7c"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e"`);
    await queryRunner.query(`ALTER TABLE "access_tokens" DROP CONSTRAINT "FK_09ee750a035b06e0c7f0704687e"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP CONSTRAINT "CHK_737dc7c6422226a24be9da776f"`);
    await queryRunner.query(`ALTER TABLE "hearings" DROP CONSTRAINT "CHK_cc4021e05a200d25f51b77f22a"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP CONSTRAINT "CHK_fdac2c97ab65f4a8b45528a502"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP COLUMN "visibility"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP COLUMN "archived_at"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP COLUMN "version"`);
    await queryRunner.query(`ALTER TABLE "custody_events" DROP COLUMN "updated_at"`);
    await queryRunner.query(`ALTER TABLE "hearings" DROP COLUMN "visibility"`);
    await queryRunner.query(`ALTER TABLE "persons" DROP COLUMN "contact_details"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "contact_details"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "visibility"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e210fd0b0c6902362711fc2980"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cdadbba1bf52ba7e37b2574f65"`);
    await queryRunner.query(`DROP TABLE "notes"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_entity"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`DROP INDEX "public"."access_grants_user_person"`);
    await queryRunner.query(`DROP INDEX "public"."access_grants_user_case"`);
    await queryRunner.query(`DROP TABLE "access_grants"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_77f4ee004e33afac232c0a8fd1"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9bbf8c3c1a897742f78d50e729"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_09ee750a035b06e0c7f0704687"`);
    await queryRunner.query(`DROP TABLE "access_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_97672ac88f789774dd47f7c8be"`);
    await queryRunner.query(`DROP TABLE "users"`);
  }
}
