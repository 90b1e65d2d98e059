/**
 * Who may see a record: `public` may appear in public reports, `internal` is for signed-in staff,
 * `restricted` only for admins and users granted access to that case or person.
 */
export const VISIBILITIES = ['public', 'internal', 'restricted'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
export const DEFAULT_VISIBILITY: Visibility = 'internal';
