import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per person who is a defendant in a live case: the sorted distinct stages of each audience. */
export const DEFENDANT_STAGES_SQL = `
  SELECT d.person_id,
         array_agg(DISTINCT d.stage ORDER BY d.stage) AS stages_all,
         COALESCE(array_agg(DISTINCT d.stage ORDER BY d.stage) FILTER (WHERE d.visibility <> 'restricted'), '{}')
           AS stages_unrestricted,
         COALESCE(array_agg(DISTINCT d.stage ORDER BY d.stage) FILTER (WHERE d.visibility = 'public'), '{}')
           AS stages_public
    FROM (SELECT p.person_id, CAST(c.stage AS text) AS stage, c.visibility
            FROM case_participants p JOIN cases c ON c.id = p.case_id
           WHERE p.role = 'defendant' AND c.archived_at IS NULL) d
   GROUP BY d.person_id`;

/** Sets the stored stages of every person who is a live case's defendant from `DEFENDANT_STAGES_SQL`. */
export const BACKFILL_DEFENDANT_STAGES_SQL = `
  UPDATE persons p
     SET defendant_stages_all = stages.stages_all,
         defendant_stages_unrestricted = stages.stages_unrestricted,
         defendant_stages_public = stages.stages_public
    FROM (${DEFENDANT_STAGES_SQL}) stages
   WHERE stages.person_id = p.id`;

const AUDIENCES = ['all', 'unrestricted', 'public'] as const;

/**
 * The stages of each person's live cases as a defendant, as each kind of reader sees them,
 * stored on `persons` (see `refreshDefendantStages`) for the stage facet of the person list, and
 * the current status indexes made covering for the facets: each also holds the columns the
 * person filters and facets read for its audience (`id`, `country`, `visibility` and that
 * audience's stages), so that counting the persons of a status is an index-only scan. TypeORM
 * cannot declare `INCLUDE`: the entity declares these indexes with `synchronize: false`. Written
 * by hand.
 */
export class DefendantStages1795260000004 implements MigrationInterface {
  name = 'DefendantStages1795260000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "defendant_stages_all" text array NOT NULL DEFAULT '{}', ADD "defendant_stages_unrestricted" text array NOT NULL DEFAULT '{}', ADD "defendant_stages_public" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(BACKFILL_DEFENDANT_STAGES_SQL);
    for (const audience of AUDIENCES) {
      await queryRunner.query(`DROP INDEX "public"."persons_current_status_${audience}"`);
      await queryRunner.query(
        `CREATE INDEX "persons_current_status_${audience}" ON "persons" ("current_status_${audience}") INCLUDE ("id", "country", "visibility", "defendant_stages_${audience}") WHERE archived_at IS NULL`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const audience of AUDIENCES) {
      await queryRunner.query(`DROP INDEX "public"."persons_current_status_${audience}"`);
      await queryRunner.query(
        `CREATE INDEX "persons_current_status_${audience}" ON "persons" ("current_status_${audience}") WHERE archived_at IS NULL`,
      );
    }
    await queryRunner.query(
      `ALTER TABLE "persons" DROP COLUMN "defendant_stages_public", DROP COLUMN "defendant_stages_unrestricted", DROP COLUMN "defendant_stages_all"`,
    );
  }
}
