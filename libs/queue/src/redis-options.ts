import type { RedisOptions } from 'bullmq';

/** ioredis options from a `redis://[user:password@]host:port[/db]` (or `rediss://`) URL. */
export function redisOptionsFromUrl(raw: string): RedisOptions & { host: string; port: number } {
  const url = new URL(raw);
  const db = url.pathname.replace(/^\//, '');
  return {
    host: url.hostname || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: db ? Number(db) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Required by BullMQ workers: blocking commands must not be retried by ioredis itself.
    maxRetriesPerRequest: null,
  };
}
