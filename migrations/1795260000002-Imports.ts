import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk imports: the import requests with their progress and report, and the uploaded files in
 * PostgreSQL chunks (stored while the upload streams in, before the request row exists: no
 * foreign key; the reconciler deletes chunks nothing refers to). Written by hand.
 */
export class Imports1795260000002 implements MigrationInterface {
  name = 'Imports1795260000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "imports" ("id" uuid NOT NULL, "seq" BIGSERIAL NOT NULL, "status" character varying(12) NOT NULL DEFAULT 'queued', "mode" character varying(16) NOT NULL, "dry_run" boolean NOT NULL, "file_name" text NOT NULL, "format" character varying(8) NOT NULL, "byte_size" bigint NOT NULL, "requested_by" jsonb NOT NULL, "progress" smallint NOT NULL DEFAULT '0', "rows_read" integer NOT NULL DEFAULT '0', "report" jsonb, "error" text, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "file_deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_568450592de9862cb0a427ec748" UNIQUE ("seq"), CONSTRAINT "CHK_de2b9caf4fde86adb61812c3ff" CHECK ("progress" BETWEEN 0 AND 100), CONSTRAINT "CHK_bbc89d8b664f8a4211612d674d" CHECK ("format" IN ('csv', 'xlsx')), CONSTRAINT "CHK_86229bc4d89858ce1fc14b9b25" CHECK ("mode" IN ('all-or-nothing', 'skip-invalid')), CONSTRAINT "CHK_54d992ec0978d6a134efda1453" CHECK ("status" IN ('queued', 'running', 'done', 'failed')), CONSTRAINT "PK_ea10c62f5eb1d75e83d8b5225db" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_952fdced564e96636eb0c90e3e" ON "imports"  ("status", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "import_chunks" ("import_id" uuid NOT NULL, "position" integer NOT NULL, "data" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97251c921668e05112c9dc8bf2a" PRIMARY KEY ("import_id", "position"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "import_chunks"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_952fdced564e96636eb0c90e3e"`);
    await queryRunner.query(`DROP TABLE "imports"`);
  }
}
