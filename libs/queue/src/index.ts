export * from './redis-options.js';
export * from './redis.health.js';
export * from './queue.module.js';
