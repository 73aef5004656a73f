import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingHealth, MessagingModule, type ConsumerTuning } from '@ipfin/messaging';
import { systemClock, type Clock } from '@ipfin/kernel';
import { DataSource } from 'typeorm';
import type { BaseServiceEnv } from '../config/base-service-env';
import { databaseReadinessCheck, migrationsReadinessCheck } from '../health/readiness-check';
import { HealthModule } from '../health/health.module';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { configureUsccAllowList } from '../validation/field-decorators';

/** Injection token of the service's clock; tests provide a fixed one. Domain code never calls `new Date()`. */
export const CLOCK = Symbol('CLOCK');

export interface ServicePlatformOptions {
  /** e.g. `pledge-loans`: client id, `ce_source` `/ipfin/<name>`, application name in PostgreSQL. */
  name: string;
  env: BaseServiceEnv;
  /** Migrations are run by `npm run migrate`, never on boot; they are listed for the data source only. */
  migrations?: DataSource['options']['migrations'];
  /** `false` for a service that never writes events. */
  relay?: boolean;
  consumer?: ConsumerTuning;
  clock?: Clock;
  poolSize?: number;
}

/**
 * Everything a service process needs besides its features: its PostgreSQL schema through
 * TypeORM, the outbox relay and consumers (messaging), readiness checks of PostgreSQL, its
 * migrations and Kafka, `Idempotency-Key` storage, the clock and the USCC allow-list of `env`. Import once in the service's app module.
 */
@Module({})
export class ServicePlatformModule {
  static forRoot(options: ServicePlatformOptions): DynamicModule {
    const { env, name } = options;
    // One allow-list for every USCC the service takes (bodies, queries, token claims).
    configureUsccAllowList(env.usccAllowList());
    return {
      module: ServicePlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: env.DATABASE_URL,
          schema: env.DATABASE_SCHEMA,
          migrations: options.migrations ?? [],
          migrationsTableName: 'migrations',
          migrationsRun: false,
          synchronize: false,
          extra: {
            max: options.poolSize ?? 20,
            // Keep connections (and the statements prepared on them) through quiet spells: pg-pool
            // closes idle ones after 10 s by default, and a new one costs a SCRAM handshake and a
            // fresh parse of every prepared statement, on the path of the next fold or request.
            min: Math.min(4, options.poolSize ?? 20),
            idleTimeoutMillis: 300_000,
            application_name: `ipfin-${name}`,
            options: `-c search_path=${env.DATABASE_SCHEMA}`,
          },
        }),
        MessagingModule.forRoot({
          schema: env.DATABASE_SCHEMA,
          source: `/ipfin/${name}`,
          clientId: `ipfin-${name}`,
          brokers: env.kafkaBrokers(),
          relay: options.relay === false ? false : undefined,
          consumer: options.consumer,
        }),
        HealthModule.forRoot({
          checks: [
            { inject: [DataSource], useFactory: (ds: DataSource) => databaseReadinessCheck(ds) },
            { inject: [DataSource], useFactory: (ds: DataSource) => migrationsReadinessCheck(ds) },
            {
              inject: [MessagingHealth],
              useFactory: (kafka: MessagingHealth) => ({
                name: 'kafka',
                check: async () => {
                  const report = await kafka.check();
                  if (!report.ok) throw new Error(report.detail ?? 'Kafka is down');
                  return true;
                },
              }),
            },
          ],
        }),
        IdempotencyModule.forRoot({ schema: env.DATABASE_SCHEMA }),
      ],
      providers: [{ provide: CLOCK, useValue: options.clock ?? systemClock }],
      exports: [CLOCK],
    };
  }
}

/**
 * The data source `tools/migrate.ts` and integration tests use for a service's schema. Every
 * connection pins `search_path` to the schema, so unqualified names in migrations and queries
 * resolve there whichever role connects.
 */
export function serviceDataSource(
  name: string,
  migrations: NonNullable<DataSource['options']['migrations']>,
  opts: { url: string; schema: string },
): DataSource {
  return new DataSource({
    type: 'postgres', url: opts.url, schema: opts.schema, migrations, migrationsTableName: 'migrations',
    synchronize: false, migrationsRun: false,
    extra: { max: 5, application_name: `ipfin-${name}-migrate`, options: `-c search_path=${opts.schema}` },
  });
}
