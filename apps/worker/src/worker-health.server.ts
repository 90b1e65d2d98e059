import { AppConfig } from '#config';
import { RedisHealthIndicator } from '#queue';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { createServer, type Server } from 'node:http';

/**
 * The worker has no HTTP API; this tiny server answers `GET /health` (PostgreSQL and Redis,
 * the same report as the API's `/api/health`) for orchestrators such as docker compose.
 * `WORKER_HEALTH_PORT=0` turns it off.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHealthServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  async check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      () => this.redis.isHealthy('redis'),
    ]);
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.env.WORKER_HEALTH_PORT;
    if (port === 0) return;
    this.server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      this.check().then(
        (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        (error: { response?: unknown }) =>
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(JSON.stringify(error.response ?? { status: 'error' })),
      );
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject).listen(port, '0.0.0.0', () => resolve());
    });
    this.logger.log(`health on :${port}/health`);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
