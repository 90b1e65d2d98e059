import type { EntityManager } from 'typeorm';
import { CASE_STAGES } from './case.js';

/** The persons who are defendants in any of the cases (live or archived). */
export async function defendantsOf(manager: EntityManager, caseIds: readonly string[]): Promise<string[]> {
  if (caseIds.length === 0) return [];
  const rows = await manager.query<Array<{ person_id: string }>>(
    `SELECT DISTINCT person_id FROM case_participants WHERE case_id = ANY($1::uuid[]) AND role = 'defendant'`,
    [caseIds],
  );
  return rows.map((r) => r.person_id);
}

/**
 * The stored stage sets are bits: stage i of `CASE_STAGES` is `1 << i` (a stage added later takes
 * the next bit; the order is that of the migration `DefendantStageBits`). In SQL, the bit of a
 * stage (text) with the stages passed as a `text[]` parameter (`CASE_STAGES`).
 */
export const stageBitSql = (stage: string, stages: string) => `(1 << (array_position(${stages}, ${stage}) - 1))`;

/**
 * Recomputes the stored defendant stages of the persons: the set of the stages of the live
 * cases in which each is a defendant (bits, see `stageBitSql`), as each kind of reader sees them,
 * kept on `persons` so that the stage facet of a person list reads one column of the listed
 * persons instead of joining them all to their cases (see `facetCounts`):
 * - `defendant_stage_bits_all`: of cases of any visibility (admins);
 * - `defendant_stage_bits_unrestricted`: of cases that are not restricted (everyone else,
 *   internal reports; the restricted cases a user is granted are added when counting);
 * - `defendant_stage_bits_public`: of public cases (reports for the public).
 * 0 when there is no such case.
 *
 * They change only with case writes (participants, stage, visibility, archival): call this in
 * the transaction of every one (create, update, archive, restore, imports), after the write,
 * with the case's defendants before and after it. The persons' rows are locked first (`FOR NO
 * KEY UPDATE`, in id order, so that two case writes sharing defendants cannot deadlock), so two
 * transactions writing cases of the same person recompute one after the other, the second from
 * the first's committed cases (under READ COMMITTED each statement reads the latest committed
 * data). Only rows whose stages change are written (an unchanged row keeps its page all-visible
 * for the index-only scans of the facets). Their `version` and `updatedAt` are left alone: the
 * stages are derived, not edited.
 */
export async function refreshDefendantStages(manager: EntityManager, personIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(personIds)].sort();
  if (ids.length === 0) return;
  await manager.query('SELECT 1 FROM persons WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [ids]);
  await manager.query(
    `UPDATE persons p
        SET defendant_stage_bits_all = s.bits_all,
            defendant_stage_bits_unrestricted = s.bits_unrestricted,
            defendant_stage_bits_public = s.bits_public
       FROM (SELECT person.id,
                    COALESCE(bit_or(d.bit), 0) AS bits_all,
                    COALESCE(bit_or(d.bit) FILTER (WHERE d.visibility <> 'restricted'), 0) AS bits_unrestricted,
                    COALESCE(bit_or(d.bit) FILTER (WHERE d.visibility = 'public'), 0) AS bits_public
               FROM unnest($1::uuid[]) AS person(id)
               LEFT JOIN LATERAL (
                 SELECT ${stageBitSql('CAST(c.stage AS text)', '$2::text[]')} AS bit, c.visibility
                   FROM case_participants cp JOIN cases c ON c.id = cp.case_id
                  WHERE cp.person_id = person.id AND cp.role = 'defendant' AND c.archived_at IS NULL
               ) d ON TRUE
              GROUP BY person.id) s
      WHERE p.id = s.id
        AND (p.defendant_stage_bits_all <> s.bits_all
             OR p.defendant_stage_bits_unrestricted <> s.bits_unrestricted
             OR p.defendant_stage_bits_public <> s.bits_public)`,
    [ids, CASE_STAGES],
  );
}
