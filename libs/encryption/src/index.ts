export * from './keyring.js';
export * from './encryption.module.js';
export * from './encrypted-columns.js';
export * from './rotate-keys.js';
