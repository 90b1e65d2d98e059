/**
 * Who is acting: a signed-in user, an integration's API key, or the system itself (demo seed,
 * imports, command-line tools). Services receive it with every read and write: reads are
 * filtered by what the actor may see, writes are recorded in the audit trail under its name.
 */
export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type ActorKind = 'user' | 'api-key' | 'system';

export interface Actor {
  kind: ActorKind;
  /** User or API key id; null for the system. */
  id: string | null;
  role: Role;
  /** Shown in the audit trail: the user's email, the key's name, the system task. */
  label: string;
  /**
   * The most sensitive material this reader may see whatever its role or grants: a report for
   * the `public` sees public records only, an `internal` one never restricted material.
   */
  ceiling?: 'public' | 'internal';
}

/** True when `role` includes everything `required` may do (viewer < editor < admin). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** An actor for work the system does on its own (seeding, imports, maintenance commands). */
export function systemActor(label: string): Actor {
  return { kind: 'system', id: null, role: 'admin', label };
}

/**
 * The reader a report is made as: it sees what its audience may see and nothing restricted,
 * however much the person who asked for the report may see.
 */
export function audienceReader(audience: 'public' | 'internal'): Actor {
  return { kind: 'system', id: null, role: 'viewer', label: `report (${audience})`, ceiling: audience };
}

/** Who makes a change, and why (`X-Change-Reason` or a `reason` field). */
export interface WriteContext {
  actor: Actor;
  reason: string | null;
}

export function systemWrite(label: string, reason: string | null = null): WriteContext {
  return { actor: systemActor(label), reason };
}
