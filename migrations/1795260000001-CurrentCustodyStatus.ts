import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The current custody status of each person as each kind of reader sees it, stored on `persons`
 * (see `refreshCurrentStatus`), with the indexes the person filters and facets use. Written by
 * hand. The backfill orders events as `deriveCurrentCustody` does: by the partial date's first
 * day (`from_sort`), the coarser date first on the same day (`length(from_date)`: `YYYY` <
 * `YYYY-MM` < `YYYY-MM-DD`), then by recording order (`seq`); the latest live event wins.
 */
/** Per person with live custody events: the status of the latest event of each audience. */
export const LATEST_CUSTODY_STATUSES_SQL = `
  SELECT person_id,
         (array_agg(status ORDER BY from_sort DESC, length(from_date) DESC, seq DESC))[1] AS status_all,
         (array_agg(status ORDER BY from_sort DESC, length(from_date) DESC, seq DESC)
            FILTER (WHERE visibility <> 'restricted'))[1] AS status_unrestricted,
         (array_agg(status ORDER BY from_sort DESC, length(from_date) DESC, seq DESC)
            FILTER (WHERE visibility = 'public'))[1] AS status_public
    FROM custody_events
   WHERE archived_at IS NULL
   GROUP BY person_id`;

/** Sets every person's stored current statuses from `LATEST_CUSTODY_STATUSES_SQL`. */
export const BACKFILL_CURRENT_STATUSES_SQL = `
  UPDATE persons p
     SET current_status_all = latest.status_all,
         current_status_unrestricted = latest.status_unrestricted,
         current_status_public = latest.status_public
    FROM (${LATEST_CUSTODY_STATUSES_SQL}) latest
   WHERE latest.person_id = p.id`;

export class CurrentCustodyStatus1795260000001 implements MigrationInterface {
  name = 'CurrentCustodyStatus1795260000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "persons" ADD "current_status_all" character varying(32), ADD "current_status_unrestricted" character varying(32), ADD "current_status_public" character varying(32)`,
    );
    await queryRunner.query(BACKFILL_CURRENT_STATUSES_SQL);
    await queryRunner.query(
      `CREATE INDEX "persons_current_status_all" ON "persons" ("current_status_all") WHERE archived_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "persons_current_status_unrestricted" ON "persons" ("current_status_unrestricted") WHERE archived_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "persons_current_status_public" ON "persons" ("current_status_public") WHERE archived_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "persons_country" ON "persons" ("country") WHERE archived_at IS NULL`);
    await queryRunner.query(`CREATE INDEX "case_charges_article" ON "case_charges" ("article") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."case_charges_article"`);
    await queryRunner.query(`DROP INDEX "public"."persons_country"`);
    await queryRunner.query(`DROP INDEX "public"."persons_current_status_public"`);
    await queryRunner.query(`DROP INDEX "public"."persons_current_status_unrestricted"`);
    await queryRunner.query(`DROP INDEX "public"."persons_current_status_all"`);
    await queryRunner.query(
      `ALTER TABLE "persons" DROP COLUMN "current_status_public", DROP COLUMN "current_status_unrestricted", DROP COLUMN "current_status_all"`,
    );
  }
}
