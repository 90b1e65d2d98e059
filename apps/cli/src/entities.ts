import { ACCESS_ENTITIES } from '#access';
import { ALERTS_ENTITIES } from '#alerts';
import { AUDIT_ENTITIES } from '#audit';
import { CASE_FILES_ENTITIES } from '#case-files';
import { IMPORTS_ENTITIES } from '#imports';
import { REFERENCE_DATA_ENTITIES } from '#reference-data';
import { REPORTS_ENTITIES } from '#reports';

/** Every entity of every feature library: what the migrations describe. */
export const ALL_ENTITIES = [
  ...ACCESS_ENTITIES,
  ...AUDIT_ENTITIES,
  ...REFERENCE_DATA_ENTITIES,
  ...CASE_FILES_ENTITIES,
  ...ALERTS_ENTITIES,
  ...REPORTS_ENTITIES,
  ...IMPORTS_ENTITIES,
];
