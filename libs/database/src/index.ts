export * from './naming-strategy.js';
export * from './record.entity.js';
export * from './partial-date.columns.js';
export * from './pagination.js';
export * from './records.js';
export * from './data-source-options.js';
export * from './database-admin.js';
export * from './database.module.js';
