import { UsersService } from '#access';
import { type Role, systemWrite } from '#common';
import { AppConfig } from '#config';
import { dataSourceOptions, runMigrationsLocked } from '#database';
import { MIGRATIONS } from '#migrations';
import { expect } from '@jest/globals';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/setup.js';

type HttpServer = Parameters<typeof request>[0];

/** Requests sent with one bearer token: `t.editor.get('/api/v1/persons')`. */
export interface Client {
  token: string;
  get(path: string): request.Test;
  post(path: string): request.Test;
  patch(path: string): request.Test;
  put(path: string): request.Test;
  delete(path: string): request.Test;
}

export function clientFor(http: HttpServer, token: string): Client {
  const auth = (test: request.Test) => test.set('Authorization', `Bearer ${token}`);
  return {
    token,
    get: (path) => auth(request(http).get(path)),
    post: (path) => auth(request(http).post(path)),
    patch: (path) => auth(request(http).patch(path)),
    put: (path) => auth(request(http).put(path)),
    delete: (path) => auth(request(http).delete(path)),
  };
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  client: Client;
}

export interface TestApp {
  app: NestExpressApplication;
  http: HttpServer;
  dataSource: DataSource;
  /** Signed in as the first admin (ADMIN_EMAIL). */
  admin: Client;
  /** An editor and a viewer made for this test file, without any grant. */
  editor: Client;
  viewer: Client;
  /** Creates a user with a unique email and signs them in. */
  createUser(role: Role, displayName?: string): Promise<TestUser>;
  login(email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Options of `createTestApp`. */
export interface TestAppOptions {
  /**
   * Environment variables (such as `WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false'`) set while the app
   * runs, on top of the run's (test/support/global-setup.js); `close` puts the previous values back.
   */
  env?: Record<string, string>;
}

/** Sets environment variables; the function returned puts back what they were (unset ones unset). */
export function overrideEnvironment(env: Record<string, string>): () => void {
  const saved = Object.entries(env).map(([name]) => [name, process.env[name]] as const);
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Applies migrations to this run's database (once; later calls find nothing to do). */
export async function migrateTestDatabase(): Promise<void> {
  const migrator = new DataSource(dataSourceOptions(AppConfig.fromProcessEnv(), { migrations: MIGRATIONS }));
  await migrator.initialize();
  try {
    await runMigrationsLocked(migrator);
  } finally {
    await migrator.destroy();
  }
}

/**
 * The real API (same setup as main.ts) against this run's PostgreSQL database and Redis prefix,
 * with an admin, an editor and a viewer signed in.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const restoreEnvironment = overrideEnvironment(options.env ?? {});
  let app: NestExpressApplication;
  try {
    await migrateTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, bufferLogs: true });
    configureApp(app);
    await app.init();
  } catch (error) {
    restoreEnvironment();
    throw error;
  }
  const http = app.getHttpServer() as HttpServer;

  const login = async (email: string, password: string): Promise<string> => {
    const res = await request(http).post('/api/v1/auth/login').send({ email, password });
    expect(res.status).toBe(200);
    return (res.body as { accessToken: string }).accessToken;
  };
  const createUser = async (role: Role, displayName = `Test ${role}`): Promise<TestUser> => {
    const email = `${role}-${randomBytes(6).toString('hex')}@example.org`;
    const password = `pw-${randomBytes(16).toString('base64url')}`;
    const user = await app.get(UsersService).create({ email, displayName, role, password }, systemWrite('test'));
    return { id: user.id, email, password, client: clientFor(http, await login(email, password)) };
  };

  const env = app.get(AppConfig).env;
  const admin = clientFor(http, await login(env.ADMIN_EMAIL!, env.ADMIN_PASSWORD!));
  const editor = (await createUser('editor')).client;
  const viewer = (await createUser('viewer')).client;
  return {
    app,
    http,
    dataSource: app.get(DataSource),
    admin,
    editor,
    viewer,
    createUser,
    login,
    close: async () => {
      await app.close();
      restoreEnvironment();
    },
  };
}
