export * from './audit.js';
export * from './audit-entry.entity.js';
export * from './audit-trail.service.js';
export * from './audit.view.js';
export * from './audit.module.js';
export * from './canonical-json.js';
export * from './verify-chain.js';

import { AuditEntryEntity } from './audit-entry.entity.js';
export const AUDIT_ENTITIES = [AuditEntryEntity];
export * from './hidden-references.js';
