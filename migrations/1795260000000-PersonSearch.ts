import { MigrationInterface, QueryRunner } from 'typeorm';
import { nameKey } from '../libs/case-files/src/persons/name-key.js';

/** How many names one backfill statement rewrites. */
const BATCH = 1000;

/**
 * Recomputes `person_names.search_key` of every name with `nameKey`, in batches in id order. A
 * later change to `nameKey` that changes keys needs a migration that calls this again.
 */
export async function rekeyPersonNames(queryRunner: QueryRunner): Promise<void> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await queryRunner.query(
      `SELECT id, value FROM person_names WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [after],
    )) as Array<{ id: string; value: string }>;
    if (rows.length === 0) return;
    await queryRunner.query(
      `UPDATE person_names AS n SET search_key = k.key
         FROM unnest($1::uuid[], $2::text[]) AS k(id, key)
        WHERE n.id = k.id`,
      [rows.map((r) => r.id), rows.map((r) => nameKey(r.value))],
    );
    after = rows.at(-1)!.id;
  }
}

/**
 * Search by any spelling: the folded search key of each name (see `nameKey`) and its trigram GIN
 * index (`gin_trgm_ops`, declared on the entity with `synchronize: false`: TypeORM cannot say
 * the operator class). Written by hand.
 */
export class PersonSearch1795260000000 implements MigrationInterface {
  name = 'PersonSearch1795260000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`ALTER TABLE "person_names" ADD "search_key" text NOT NULL DEFAULT ''`);
    await rekeyPersonNames(queryRunner);
    await queryRunner.query(`ALTER TABLE "person_names" ALTER COLUMN "search_key" DROP DEFAULT`);
    await queryRunner.query(
      `CREATE INDEX "person_names_search_key_trgm" ON "person_names" USING gin ("search_key" gin_trgm_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The extension stays: dropping it could break other users of pg_trgm in the database.
    await queryRunner.query(`DROP INDEX "public"."person_names_search_key_trgm"`);
    await queryRunner.query(`ALTER TABLE "person_names" DROP COLUMN "search_key"`);
  }
}
