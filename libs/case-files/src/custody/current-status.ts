import type { DatePrecision, Visibility } from '#common';
import type { EntityManager } from 'typeorm';
import { type CustodyFact, type CustodyStatus, deriveCurrentCustody } from './custody.js';

/**
 * A person's current custody status as each kind of reader sees it, stored on `persons` so that
 * filtering and counting by status reads one column instead of the person's custody history:
 * - `all`: the latest live event of any visibility (admins, users granted on the person);
 * - `unrestricted`: the latest live event that is not restricted (everyone else, internal reports);
 * - `public`: the latest live public event (reports for the public).
 * "Latest" is `deriveCurrentCustody`'s order, so these agree with the `currentCustody` shown.
 */
export interface CurrentStatuses {
  all: CustodyStatus | null;
  unrestricted: CustodyStatus | null;
  public: CustodyStatus | null;
}

/** The current statuses derived from a person's live events (in any order). */
export function currentStatuses(events: ReadonlyArray<CustodyFact & { visibility: Visibility }>): CurrentStatuses {
  const latest = (kept: readonly CustodyFact[]) => deriveCurrentCustody(kept)?.status ?? null;
  return {
    all: latest(events),
    unrestricted: latest(events.filter((e) => e.visibility !== 'restricted')),
    public: latest(events.filter((e) => e.visibility === 'public')),
  };
}

interface EventRow {
  status: CustodyStatus;
  from_date: string;
  from_precision: DatePrecision;
  seq: string;
  visibility: Visibility;
}

/**
 * Recomputes the stored current statuses of one person from their live custody events. Call it
 * in the transaction of every write that changes a custody event (append, correction, archive,
 * restore), after the write. The person's row is locked first, so two transactions writing
 * events of the same person recompute one after the other, each from the other's committed
 * events (under READ COMMITTED each statement reads the latest committed data). The lock is
 * `FOR NO KEY UPDATE`, which does not conflict with the key-share lock a new event's foreign key
 * takes. The person's `version` and `updatedAt` are left alone: the status is derived, not edited.
 */
export async function refreshCurrentStatus(manager: EntityManager, personId: string): Promise<CurrentStatuses> {
  await manager.query('SELECT 1 FROM persons WHERE id = $1 FOR NO KEY UPDATE', [personId]);
  const rows = await manager.query<EventRow[]>(
    `SELECT status, from_date, from_precision, seq, visibility
       FROM custody_events WHERE person_id = $1 AND archived_at IS NULL`,
    [personId],
  );
  const statuses = currentStatuses(
    rows.map((r) => ({
      status: r.status,
      from: { date: r.from_date, precision: r.from_precision },
      seq: r.seq,
      visibility: r.visibility,
    })),
  );
  await manager.query(
    `UPDATE persons
        SET current_status_all = $2, current_status_unrestricted = $3, current_status_public = $4
      WHERE id = $1`,
    [personId, statuses.all, statuses.unrestricted, statuses.public],
  );
  return statuses;
}
