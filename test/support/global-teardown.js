// Drops this run's database and deletes its Redis keys, whatever the tests left behind.
import { Redis } from 'ioredis';
import pg from 'pg';

export default async function globalTeardown() {
  const run = globalThis.__TEST_RUN__;
  if (!run) return;
  const client = new pg.Client({ connectionString: run.admin });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(run.database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${run.queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
