import { requestIdMiddleware } from '#logging';
import { type INestApplication, VersioningType } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { rejectDeeplyNestedBodies } from './http/body-depth.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { createValidationPipe } from './http/validation.js';
import { ETagInterceptor } from './http/versioning.js';

export const BODY_LIMIT = '1mb';

/**
 * Everything that makes the HTTP app what it is, shared by `main.ts` and the end-to-end tests:
 * `/api/v1` routes, JSON bodies up to 1 MB, validation, problem+json errors, ETags, OpenAPI.
 * The app must be created with `{ bodyParser: false, bufferLogs: true }`.
 */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  // First, so that even requests the body parser or the router refuse carry their id.
  app.use(requestIdMiddleware);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use(rejectDeeplyNestedBodies);
  // TLS is terminated in front of the API; upgrading requests would break the docs over plain HTTP.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.setGlobalPrefix('api');
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
          'Single records carry an `ETag`; send it back as `If-Match` to make a change only if nobody else has.',
      )
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
