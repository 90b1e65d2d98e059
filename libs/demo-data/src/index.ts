export * from './demo-seeder.js';
export * from './demo-data.module.js';
