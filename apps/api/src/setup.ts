import { AppConfig } from '#config';
import { requestIdMiddleware } from '#logging';
import { type INestApplication, VersioningType } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { rejectDeeplyNestedBodies } from './http/body-depth.js';
import { requireKnownMediaTypes } from './http/media-type.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { createValidationPipe } from './http/validation.js';
import { ETagInterceptor } from './http/versioning.js';

export const BODY_LIMIT = '1mb';

/**
 * The only routes that read a form body: the one-click unsubscribe target and the follow form of
 * a public case page.
 */
const FORM_PATHS = /^\/api\/v1\/public\/(unsubscribe|cases\/[^/]+\/follow)$/;

function isPublicForm(req: IncomingMessage): boolean {
  return (
    FORM_PATHS.test(req.url?.split('?')[0] ?? '') &&
    /^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? '')
  );
}

/**
 * Everything that makes the HTTP app what it is, shared by `main.ts` and the end-to-end tests:
 * `/api/v1` routes, JSON bodies up to 1 MB, validation, problem+json errors, ETags, OpenAPI.
 * The app must be created with `{ bodyParser: false, bufferLogs: true }`.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // First, so that even requests the body parser or the router refuse carry their id.
  app.use(requestIdMiddleware);
  app.use(requireKnownMediaTypes);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // RFC 8058 one-click unsubscribe POSTs a form (`List-Unsubscribe=One-Click`), and so does the
  // follow form of a public case page; no other route reads forms.
  app.useBodyParser('urlencoded', { limit: '2kb', extended: false, type: isPublicForm });
  app.use(rejectDeeplyNestedBodies);
  // TLS is terminated in front of the API; upgrading requests would break the docs over plain HTTP.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  const config = app.get(AppConfig);
  if (config.env.TRUST_PROXY_HOPS > 0) app.set('trust proxy', config.env.TRUST_PROXY_HOPS);
  // Only the listed browser origins may call the API; with none listed, no CORS headers at all.
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Change-Reason', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }
  // Calendar feeds are plain URLs for calendar apps: `/calendar/<token>.ics`, outside `/api`.
  app.setGlobalPrefix('api', { exclude: ['calendar/{*path}'] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalInterceptors(new ETagInterceptor());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Case tracker for political prisoners')
      .setDescription(
        'Case files (persons, custody history, cases, hearings) and their context (mass events, organisations, sources). ' +
          'Errors are RFC 9457 problem details. Lists are cursor-paginated: pass `nextCursor` back as `cursor`. ' +
          'Single records carry an `ETag`; every PATCH and DELETE must send it back as `If-Match` (428 without, ' +
          '412 when someone else changed the record since). Sign in at `POST /api/v1/auth/login` and send ' +
          '`Authorization: Bearer <token>` (or an API key) on every other route. Give the reason for a change in ' +
          '`X-Change-Reason` or a `reason` field: it is kept in the audit trail (`GET .../history`).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
