export * from './partial-date.js';
export * from './time-zone.js';
export * from './visibility.js';
export * from './errors.js';
export * from './validators.js';
export * from './dto.js';
export * from './validation.js';
export * from './fields.js';
