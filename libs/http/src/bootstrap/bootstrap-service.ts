import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AuthOptions } from '../auth/token-verifier';
import { PinoLoggerService } from '../logging/pino-logger.service';
import { configureApp } from './configure-app';
import { ServiceExpressAdapter } from './express-adapter';

export interface BootstrapServiceOptions {
  /** e.g. `pledge-loans`: the `service` of log lines and metrics. */
  name: string;
  module: Type<unknown> | DynamicModule;
  port: number;
  /** Defaults to all interfaces. */
  host?: string;
  /** OpenAPI title; defaults to `name`. */
  title?: string;
  description?: string;
  version?: string;
  bodyLimit?: string;
  /** Defaults to `LOG_LEVEL`, then `info`. */
  logLevel?: string;
  /** Defaults to the `AUTH_*` environment variables. */
  auth?: AuthOptions;
}

/** Creates, configures and starts a service's HTTP app (see `configureApp`); returns it listening. */
export async function bootstrapService(options: BootstrapServiceOptions): Promise<NestExpressApplication> {
  const logger = new PinoLoggerService({ service: options.name, level: options.logLevel });
  const app = await NestFactory.create<NestExpressApplication>(options.module, new ServiceExpressAdapter(), { bufferLogs: true });
  configureApp(app, {
    serviceName: options.name,
    logger,
    auth: options.auth,
    bodyLimit: options.bodyLimit,
    openApi: { title: options.title ?? options.name, description: options.description, version: options.version },
  });
  app.enableShutdownHooks();
  await app.listen(options.port, options.host ?? '0.0.0.0');
  logger.log(`${options.name} listening on ${await app.getUrl()} (OpenAPI at /docs)`, 'Bootstrap');
  // Started by a launcher with an IPC channel (tools/stack.ts): when the launcher dies, so do we,
  // instead of lingering on our port.
  if (process.send !== undefined) {
    process.once('disconnect', () => {
      logger.warn(`${options.name}: launcher gone, shutting down`, 'Bootstrap');
      app.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
  return app;
}
