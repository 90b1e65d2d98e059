import type { EntityManager } from 'typeorm';

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
 * Recomputes the stored defendant stages of the persons: the distinct stages (sorted) of the
 * live cases in which each is a defendant, as each kind of reader sees them, kept on `persons`
 * so that the stage facet of a person list reads one column of the listed persons instead of
 * joining them all to their cases (see `facetCounts`):
 * - `defendant_stages_all`: of cases of any visibility (admins);
 * - `defendant_stages_unrestricted`: of cases that are not restricted (everyone else, internal
 *   reports; the restricted cases a user is granted are added when counting);
 * - `defendant_stages_public`: of public cases (reports for the public).
 * An empty list when there is no such case.
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
        SET defendant_stages_all = s.stages_all,
            defendant_stages_unrestricted = s.stages_unrestricted,
            defendant_stages_public = s.stages_public
       FROM (SELECT person.id,
                    COALESCE(array_agg(DISTINCT d.stage ORDER BY d.stage) FILTER (WHERE d.stage IS NOT NULL), '{}')
                      AS stages_all,
                    COALESCE(array_agg(DISTINCT d.stage ORDER BY d.stage) FILTER (WHERE d.visibility <> 'restricted'), '{}')
                      AS stages_unrestricted,
                    COALESCE(array_agg(DISTINCT d.stage ORDER BY d.stage) FILTER (WHERE d.visibility = 'public'), '{}')
                      AS stages_public
               FROM unnest($1::uuid[]) AS person(id)
               LEFT JOIN LATERAL (
                 SELECT CAST(c.stage AS text) AS stage, c.visibility
                   FROM case_participants cp JOIN cases c ON c.id = cp.case_id
                  WHERE cp.person_id = person.id AND cp.role = 'defendant' AND c.archived_at IS NULL
               ) d ON TRUE
              GROUP BY person.id) s
      WHERE p.id = s.id
        AND (p.defendant_stages_all <> s.stages_all
             OR p.defendant_stages_unrestricted <> s.stages_unrestricted
             OR p.defendant_stages_public <> s.stages_public)`,
    [ids],
  );
}
