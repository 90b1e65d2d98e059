import { MigrationInterface, QueryRunner } from 'typeorm';
import { nameKey } from '../libs/case-files/src/persons/name-key.js';

/** How many names one statement rewrites. */
const BATCH = 1000;

/**
 * The spacing accents `nameKey` now reads as apostrophes (`SPACING_ACCENTS` there, as they were
 * when this migration was written), as a PostgreSQL bracket expression. NFC turns U+1FEE, U+1FEF
 * and U+1FFD into U+0385, U+0060 and U+00B4, which the key read alike before.
 */
const SPACING_ACCENTS =
  '[\u00a8\u00af\u00b4\u00b8\u02ca\u02cb\u02d8-\u02dd\u0384\u0385\u1fbd\u1fbf-\u1fc1\u1fcd-\u1fcf\u1fdd-\u1fdf\u1fed-\u1fef\u1ffd\u1ffe]';

/**
 * `nameKey` reads a spacing accent written on its own (`Jan´bolat`, U+00B4) as an apostrophe:
 * before, NFKD made it a space and the name two words (`bolat jan`). The search keys of the names
 * that have one are recomputed with `nameKey`, as `rekeyPersonNames` (1795260000000) does for
 * every name; other names' keys do not change. The `name_words` trigger adds the new words.
 */
export class RekeySpacingAccents1795260000007 implements MigrationInterface {
  name = 'RekeySpacingAccents1795260000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = (await queryRunner.query(
        `SELECT id, value FROM person_names WHERE id > $1 AND value ~ $2 ORDER BY id LIMIT ${BATCH}`,
        [after, SPACING_ACCENTS],
      )) as Array<{ id: string; value: string }>;
      if (rows.length === 0) return;
      await queryRunner.query(
        `UPDATE person_names AS n SET search_key = k.key
           FROM unnest($1::uuid[], $2::text[]) AS k(id, key)
          WHERE n.id = k.id AND n.search_key IS DISTINCT FROM k.key`,
        [rows.map((r) => r.id), rows.map((r) => nameKey(r.value))],
      );
      after = rows.at(-1)!.id;
    }
  }

  public async down(): Promise<void> {
    // Nothing to undo: the keys are those of the code that writes and searches them, and the
    // former ones split the names. Reverting the code and running `rekeyPersonNames` restores them.
  }
}
