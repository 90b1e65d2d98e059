import { InitialSchema1795238129918 } from './1795238129918-InitialSchema.js';
import { EnumChecks1795239943145 } from './1795239943145-EnumChecks.js';
import { AccessAndAudit1795241720804 } from './1795241720804-AccessAndAudit.js';
import { Alerts1795244325347 } from './1795244325347-Alerts.js';
import { Reports1795250207136 } from './1795250207136-Reports.js';
import { PersonSearch1795260000000 } from './1795260000000-PersonSearch.js';
import { CurrentCustodyStatus1795260000001 } from './1795260000001-CurrentCustodyStatus.js';
import { Imports1795260000002 } from './1795260000002-Imports.js';
import { NameWords1795260000003 } from './1795260000003-NameWords.js';
import { DefendantStages1795260000004 } from './1795260000004-DefendantStages.js';
import { DefendantStageBits1795260000005 } from './1795260000005-DefendantStageBits.js';
import { ReminderHearingStart1795260000006 } from './1795260000006-ReminderHearingStart.js';
import { RekeySpacingAccents1795260000007 } from './1795260000007-RekeySpacingAccents.js';
import { DeliveredMessages1795260000008 } from './1795260000008-DeliveredMessages.js';

/**
 * Every migration, in order. `npm run migration:generate -- migrations/<Name>` writes a new
 * file here; add its class to this list (explicit imports work the same under Node and jest).
 */
export const MIGRATIONS: Function[] = [
  InitialSchema1795238129918,
  EnumChecks1795239943145,
  AccessAndAudit1795241720804,
  Alerts1795244325347,
  Reports1795250207136,
  PersonSearch1795260000000,
  CurrentCustodyStatus1795260000001,
  Imports1795260000002,
  NameWords1795260000003,
  DefendantStages1795260000004,
  DefendantStageBits1795260000005,
  ReminderHearingStart1795260000006,
  RekeySpacingAccents1795260000007,
  DeliveredMessages1795260000008,
];
