import { AppConfig } from '#config';
import { BullModule } from '@nestjs/bullmq';
import { Logger, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { redisOptionsFromUrl } from './redis-options.js';
import { REDIS_CLIENT, RedisHealthIndicator } from './redis.health.js';

/**
 * Redis for the API and the worker: the BullMQ root connection (every queue uses
 * `QUEUE_PREFIX`, so several deployments or test runs can share one Redis), and a client for
 * health checks. Nothing in Redis is authoritative: every job can be rebuilt from PostgreSQL.
 */
@Module({
  imports: [
    TerminusModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptionsFromUrl(config.redisUrl),
        prefix: config.env.QUEUE_PREFIX,
      }),
    }),
  ],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const client = new Redis({
          ...redisOptionsFromUrl(config.redisUrl),
          // A health check issued while connecting waits for the connection (the check has its own
          // timeout); while Redis is away, queued commands fail after one reconnection attempt.
          maxRetriesPerRequest: 1,
        });
        // ioredis reconnects by itself; say so once every half minute, not on every attempt.
        const logger = new Logger('Redis');
        let lastWarning = 0;
        client.on('error', (error: Error) => {
          if (Date.now() - lastWarning < 30_000) return;
          lastWarning = Date.now();
          logger.warn(`Redis at ${config.redisUrlForDisplay} is unavailable (${error.message}); retrying`);
        });
        return client;
      },
    },
    RedisHealthIndicator,
  ],
  exports: [BullModule, RedisHealthIndicator, REDIS_CLIENT],
})
export class QueueModule {}
