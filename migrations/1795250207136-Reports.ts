import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1795250207136 implements MigrationInterface {
  name = 'Reports1795250207136';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "person_campaigns" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "archived_at" TIMESTAMP WITH TIME ZONE, "person_id" uuid NOT NULL, "headline" text, "action_number" character varying(60), "follow_up_of" character varying(60), "summary" text, "model_letter" jsonb, "recipients" jsonb NOT NULL DEFAULT '[]', "copies" jsonb NOT NULL DEFAULT '[]', "appeal_deadline" date, "background" text, "language" character varying(35), "visibility" character varying(12) NOT NULL DEFAULT 'internal', CONSTRAINT "UQ_05157ca8affedd3eb12c64f09cc" UNIQUE ("seq"), CONSTRAINT "CHK_54101e5daf1a4b078f9e6d45cb" CHECK ("visibility" IN ('public', 'internal', 'restricted')), CONSTRAINT "PK_cc8e3dfe91494d158d101b46a66" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "person_campaigns_one_live" ON "person_campaigns"  ("person_id") WHERE archived_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "exports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "seq" BIGSERIAL NOT NULL, "kind" character varying(12) NOT NULL, "format" character varying(8) NOT NULL, "language" character varying(35) NOT NULL, "audience" character varying(12) NOT NULL, "person_id" uuid, "filter" jsonb, "status" character varying(12) NOT NULL DEFAULT 'queued', "progress" smallint NOT NULL DEFAULT '0', "requested_by" jsonb NOT NULL, "file_name" text, "content_type" text, "byte_size" bigint, "error" text, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_905a204a322d6c87f46516f2cb3" UNIQUE ("seq"), CONSTRAINT "CHK_20930ebbda2cc28acbd6ac5645" CHECK ("progress" BETWEEN 0 AND 100), CONSTRAINT "CHK_37f297633ee4a108d0f0925977" CHECK ("audience" IN ('public', 'internal')), CONSTRAINT "CHK_18dc462572522f6acf21828f35" CHECK ("format" IN ('pdf', 'docx', 'html', 'csv', 'xlsx', 'json')), CONSTRAINT "CHK_fe85d496dac2a196e01f31d511" CHECK ("kind" IN ('dossier', 'campaign')), CONSTRAINT "CHK_3e86136a9f1bd5747f91d07449" CHECK ("status" IN ('queued', 'running', 'done', 'failed', 'expired')), CONSTRAINT "PK_bcf8528d214cbfc68c01f337511" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_18058f3cdaf84b8d5ce5e3895b" ON "exports"  ("status", "expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "export_chunks" ("export_id" uuid NOT NULL, "position" integer NOT NULL, "data" bytea NOT NULL, CONSTRAINT "PK_ad581be0667808a55ea004ef53d" PRIMARY KEY ("export_id", "position"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_campaigns" ADD CONSTRAINT "FK_350df8029f0d60fbb9ed842b91a" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "export_chunks" ADD CONSTRAINT "FK_7978d3436cac66b470cb13468d4" FOREIGN KEY ("export_id") REFERENCES "exports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "export_chunks" DROP CONSTRAINT "FK_7978d3436cac66b470cb13468d4"`);
    await queryRunner.query(`ALTER TABLE "person_campaigns" DROP CONSTRAINT "FK_350df8029f0d60fbb9ed842b91a"`);
    await queryRunner.query(`DROP TABLE "export_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_18058f3cdaf84b8d5ce5e3895b"`);
    await queryRunner.query(`DROP TABLE "exports"`);
    await queryRunner.query(`DROP INDEX "public"."person_campaigns_one_live"`);
    await queryRunner.query(`DROP TABLE "person_campaigns"`);
  }
}
