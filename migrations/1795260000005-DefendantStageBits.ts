import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case stages in bit order: stage i (from 0) is bit `1 << i` of the stored sets. The order of
 * `CASE_STAGES` when this was written; a stage added later takes the next bit (`CASE_STAGES` must
 * keep this list as its beginning, which a unit test checks).
 */
export const STAGE_BIT_ORDER = [
  'investigation',
  'awaiting-trial',
  'trial',
  'verdict',
  'appeal',
  'cassation',
  'closed',
] as const;

/**
 * Per person who is a defendant in a live case: the set of the stages of those cases for each
 * audience, as bits (`STAGE_BIT_ORDER`); `$1` is the bit order (text[]).
 */
export const DEFENDANT_STAGE_BITS_SQL = `
  SELECT d.person_id,
         bit_or(d.bit) AS bits_all,
         COALESCE(bit_or(d.bit) FILTER (WHERE d.visibility <> 'restricted'), 0) AS bits_unrestricted,
         COALESCE(bit_or(d.bit) FILTER (WHERE d.visibility = 'public'), 0) AS bits_public
    FROM (SELECT p.person_id, 1 << (array_position(CAST($1 AS text[]), CAST(c.stage AS text)) - 1) AS bit, c.visibility
            FROM case_participants p JOIN cases c ON c.id = p.case_id
           WHERE p.role = 'defendant' AND c.archived_at IS NULL) d
   GROUP BY d.person_id`;

/** Sets the stored stage sets of every live case's defendant from `DEFENDANT_STAGE_BITS_SQL` (`$1` as there). */
export const BACKFILL_DEFENDANT_STAGE_BITS_SQL = `
  UPDATE persons p
     SET defendant_stage_bits_all = stages.bits_all,
         defendant_stage_bits_unrestricted = stages.bits_unrestricted,
         defendant_stage_bits_public = stages.bits_public
    FROM (${DEFENDANT_STAGE_BITS_SQL}) stages
   WHERE stages.person_id = p.id`;

const AUDIENCES = ['all', 'unrestricted', 'public'] as const;

/**
 * The defendant stages stored on `persons` (migration `DefendantStages`) as a set of bits instead
 * of a sorted `text[]`: the stage facet groups the matching persons by (status, country, stages),
 * and hashing an array took about 60% of that statement; an integer is hashed like the other
 * keys. The covering status indexes include the new columns instead of the arrays. Written by hand.
 */
export class DefendantStageBits1795260000005 implements MigrationInterface {
  name = 'DefendantStageBits1795260000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "defendant_stage_bits_all" integer NOT NULL DEFAULT 0, ADD "defendant_stage_bits_unrestricted" integer NOT NULL DEFAULT 0, ADD "defendant_stage_bits_public" integer NOT NULL DEFAULT 0`,
    );
    await queryRunner.query(BACKFILL_DEFENDANT_STAGE_BITS_SQL, [STAGE_BIT_ORDER]);
    for (const audience of AUDIENCES) {
      await queryRunner.query(`DROP INDEX "public"."persons_current_status_${audience}"`);
      await queryRunner.query(
        `CREATE INDEX "persons_current_status_${audience}" ON "persons" ("current_status_${audience}") INCLUDE ("id", "country", "visibility", "defendant_stage_bits_${audience}") WHERE archived_at IS NULL`,
      );
    }
    await queryRunner.query(
      `ALTER TABLE "persons" DROP COLUMN "defendant_stages_all", DROP COLUMN "defendant_stages_unrestricted", DROP COLUMN "defendant_stages_public"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "defendant_stages_all" text array NOT NULL DEFAULT '{}', ADD "defendant_stages_unrestricted" text array NOT NULL DEFAULT '{}', ADD "defendant_stages_public" text array NOT NULL DEFAULT '{}'`,
    );
    for (const audience of AUDIENCES) {
      await queryRunner.query(
        `UPDATE persons SET defendant_stages_${audience} = ARRAY(
           SELECT stage FROM unnest(CAST($1 AS text[])) WITH ORDINALITY AS s(stage, i)
            WHERE defendant_stage_bits_${audience} & (1 << CAST(i - 1 AS int)) <> 0 ORDER BY stage)
          WHERE defendant_stage_bits_${audience} <> 0`,
        [STAGE_BIT_ORDER],
      );
      await queryRunner.query(`DROP INDEX "public"."persons_current_status_${audience}"`);
      await queryRunner.query(
        `CREATE INDEX "persons_current_status_${audience}" ON "persons" ("current_status_${audience}") INCLUDE ("id", "country", "visibility", "defendant_stages_${audience}") WHERE archived_at IS NULL`,
      );
    }
    await queryRunner.query(
      `ALTER TABLE "persons" DROP COLUMN "defendant_stage_bits_public", DROP COLUMN "defendant_stage_bits_unrestricted", DROP COLUMN "defendant_stage_bits_all"`,
    );
  }
}
