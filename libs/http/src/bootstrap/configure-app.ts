import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express } from 'express';
import { AuthGuard } from '../auth/auth.guard';
import { AuthOptions, TokenVerifier, authOptionsFromEnv } from '../auth/token-verifier';
import { PinoLoggerService } from '../logging/pino-logger.service';
import { requestContextMiddleware } from '../logging/request-logging';
import { PROMETHEUS_PATH, collectProcessMetrics, httpMetricsMiddleware, metricsRegistry, prometheusHandler } from '../metrics/prometheus';
import { OpenApiOptions, setupOpenApi } from '../openapi/setup-openapi';
import { ProblemDetailsFilter } from '../problem/problem-details.filter';
import { StrictInputGuard } from '../validation/strict-input.guard';
import { createValidationPipe } from '../validation/validation.pipe';
import { BodyProblemGuard, bodyParserErrors, requireJsonBody } from './body-parsing';

/** Large enough for a batch of 1000 loan events. */
export const DEFAULT_BODY_LIMIT = '5mb';

export interface ConfigureAppOptions {
  /** The service's name: the `service` field of every log line and a label on every metric. */
  serviceName: string;
  /** Defaults to a pino logger at `LOG_LEVEL`. */
  logger?: PinoLoggerService;
  /** Defaults to `authOptionsFromEnv()`. */
  auth?: AuthOptions | TokenVerifier;
  bodyLimit?: string;
  /** Serve Swagger UI at `/docs` and the document at `/docs-json`. */
  openApi?: OpenApiOptions;
}

/**
 * Everything ipfin expects of an HTTP app, on an app not yet initialised (so `main.ts` and
 * integration tests built with `Test.createTestingModule` serve the same thing): correlation ids
 * and request logs, HTTP metrics and `/metrics/prometheus`, JSON bodies up to `bodyLimit`, the
 * validation pipe, the problem+json filter, the bearer-token guard, and optionally OpenAPI.
 * Health routes come from importing `HealthModule.forRoot(...)` in the app module.
 */
export function configureApp(app: NestExpressApplication, options: ConfigureAppOptions): NestExpressApplication {
  const logger = options.logger ?? new PinoLoggerService({ service: options.serviceName });
  const verifier = options.auth instanceof TokenVerifier ? options.auth : new TokenVerifier(options.auth ?? authOptionsFromEnv());

  app.useLogger(logger);
  app.disable('x-powered-by');

  collectProcessMetrics();
  metricsRegistry.setDefaultLabels({ service: options.serviceName });

  // Plain express middleware runs before Nest's router, in this order.
  app.use(requestContextMiddleware(logger.pino));
  app.use(httpMetricsMiddleware());
  const server: Express = app.getHttpAdapter().getInstance();
  server.get(PROMETHEUS_PATH, (req, res) => void prometheusHandler(req, res));
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.use(bodyParserErrors);

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalGuards(new AuthGuard(app.get(Reflector), verifier), new BodyProblemGuard(), new StrictInputGuard());
  // No global interceptor: on a route with any interceptor Nest wraps each call in
  // `AsyncResource.bind`, and in V8 those bound functions kept every request's objects alive
  // through young-generation collections (docs/benchmarks.md, "Requests that outlived the young
  // generation"). The correlation id's context comes from `requestContextMiddleware`; body
  // parsing keeps it (raw-body binds its callback; pino-logger.service.spec checks it).

  if (options.openApi !== undefined) setupOpenApi(app, options.openApi);
  return app;
}
