export * from './reports.js';
export * from './report-data.js';
export * from './campaigns/campaign.entity.js';
export * from './exports/export.entity.js';
export * from './entities.js';
export * from './document.js';
