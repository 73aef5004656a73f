/**
 * The Nest wrapper end to end: a service writes through `Outbox` in its transaction, the relay
 * started with the app publishes, a handler listed in `forConsumers` applies it, health and
 * metrics answer, and closing the app drains everything.
 */
import 'reflect-metadata';
import { Inject, Injectable, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, EntityManager, MigrationInterface } from 'typeorm';
import {
  ConsumedEvent,
  EventBatchHandler,
  EventConsumers,
  MessageBus,
  MessagingHealth,
  MessagingMetrics,
  MessagingModule,
  Outbox,
} from '../src';
import {
  createSchema,
  createTopic,
  deleteTopics,
  dropSchema,
  FAST_GROUP,
  openBus,
  openDataSource,
  projection,
  projectionHandler,
  repayment,
  requireEnv,
  unique,
  waitFor,
} from './support/harness';

const SETTINGS = Symbol('SETTINGS');
interface Settings {
  schema: string;
  topic: string;
  groupId: string;
}

@Injectable()
class RepaymentsProjection implements EventBatchHandler {
  readonly groupId: string;
  readonly topics: string[];
  private readonly apply: (events: ConsumedEvent[], manager: EntityManager) => Promise<void>;

  constructor(@Inject(SETTINGS) settings: Settings) {
    this.groupId = settings.groupId;
    this.topics = [settings.topic];
    this.apply = projectionHandler(settings.schema);
  }

  handle(events: ConsumedEvent[], manager: EntityManager): Promise<void> {
    return this.apply(events, manager);
  }
}

@Injectable()
class RepaymentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    @Inject(SETTINGS) private readonly settings: Settings,
  ) {}

  repay(key: string, sequence: number): Promise<string[]> {
    return this.dataSource.transaction((manager) =>
      this.outbox.enqueue(manager, [repayment(this.settings.topic, key, sequence, '88.00')]),
    );
  }
}

describe('MessagingModule', () => {
  let plain: DataSource;
  let bus: MessageBus;
  let settings: Settings;
  let app: INestApplicationContext | undefined;

  beforeEach(async () => {
    plain = await openDataSource(2);
    bus = openBus();
    settings = { schema: await createSchema(plain), topic: await createTopic(bus, 2), groupId: unique('nest') };
  });

  afterEach(async () => {
    await app?.close();
    await dropSchema(plain, settings.schema);
    await deleteTopics(bus, [settings.topic]);
    await plain.destroy();
  });

  /** Sessions holding this schema's relay lock. */
  async function relayLocks(): Promise<number> {
    const [row] = await plain.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
      [`ipfin.outbox_relay.${settings.schema}`],
    );
    return row.n;
  }

  /**
   * The app: a feature module with the projection and the service, messaging with a fast relay and
   * group. `migrations`: the data source's (on the test schema), none by default.
   */
  async function startApp(opts: { migrations?: (new () => MigrationInterface)[]; migrationsPollMs?: number } = {}): Promise<INestApplicationContext> {
    @Module({
      imports: [MessagingModule.forConsumers([RepaymentsProjection])],
      providers: [RepaymentsProjection, RepaymentService, { provide: SETTINGS, useValue: settings }],
      exports: [SETTINGS],
    })
    class RepaymentsModule {}

    const migrations = opts.migrations ? { schema: settings.schema, migrations: opts.migrations, migrationsTableName: 'migrations' } : {};
    @Module({
      imports: [
        TypeOrmModule.forRoot({ type: 'postgres', url: requireEnv('DATABASE_URL'), entities: [], poolSize: 5, ...migrations }),
        MessagingModule.forRootAsync({
          useFactory: () => ({
            schema: settings.schema,
            source: '/ipfin/msgtest',
            clientId: 'msgtest-nest',
            brokers: requireEnv('KAFKA_BROKERS'),
            relay: { pollIntervalMs: 50, standbyRetryMs: 100 },
            consumer: FAST_GROUP,
            migrationsPollMs: opts.migrationsPollMs,
          }),
        }),
        RepaymentsModule,
      ],
    })
    class AppModule {}

    const started = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
    await started.init();
    return started;
  }

  it('publishes what a service enqueues and feeds it to the registered consumer', async () => {
    app = await startApp();

    expect(await app.get(MessagingHealth).check()).toEqual({ ok: true });
    const ids = [
      ...(await app.get(RepaymentService).repay('bank-weihai:WH-77', 1)),
      ...(await app.get(RepaymentService).repay('bank-weihai:WH-77', 2)),
    ];

    const metrics = app.get(MessagingMetrics);
    await waitFor(
      'the relay to publish',
      async () => (await metrics.relayStats())!.published,
      (n) => n === 2,
    );
    await waitFor(
      'the projection',
      async () => (await projection(plain, settings.schema)).count,
      (n) => n === 2,
    );
    await waitFor(
      'no lag',
      () => metrics.consumerLag(settings.groupId, [settings.topic]),
      (n) => n === 0,
    );
    expect((await projection(plain, settings.schema)).rows.map((r) => r.ce_id)).toEqual(ids);
    expect(await metrics.relayStats()).toMatchObject({ leader: true, published: 2, backlog: 0 });
    expect(await relayLocks()).toBe(1);
    expect(app.get(EventConsumers).stats()[settings.groupId]).toMatchObject({
      applied: 2,
      duplicates: 0,
      deadLettered: 0,
    });

    await app.close();
    app = undefined;
    expect(await relayLocks()).toBe(0); // released on shutdown
  });

  /** A release's migration, which its migrate Job has not applied yet when the app starts. */
  class NextRelease1700000000001 implements MigrationInterface {
    name = 'NextRelease1700000000001';
    async up(): Promise<void> {}
    async down(): Promise<void> {}
  }

  it('starts the consumers only once the schema has every migration of the data source; the relay does not wait', async () => {
    app = await startApp({ migrations: [NextRelease1700000000001], migrationsPollMs: 50 });
    expect(app.get(EventConsumers).stats()).toEqual({});
    await app.get(RepaymentService).repay('bank-weihai:WH-78', 1);
    await waitFor('the relay to publish', async () => (await app!.get(MessagingMetrics).relayStats())!.published, (n) => n === 1);
    // Several looks at the (missing) migrations table later, nothing consumed.
    await new Promise((r) => setTimeout(r, 500));
    expect(app.get(EventConsumers).stats()).toEqual({});
    expect((await projection(plain, settings.schema)).count).toBe(0);

    await app.get(DataSource).runMigrations();
    await waitFor('the projection', async () => (await projection(plain, settings.schema)).count, (n) => n === 1);
    expect(app.get(EventConsumers).stats()[settings.groupId]).toMatchObject({ applied: 1, deadLettered: 0 });
  });

  it('closes at once while its consumers still wait for migrations', async () => {
    // A pause far longer than the test: closing must end it, not wait it out.
    app = await startApp({ migrations: [NextRelease1700000000001], migrationsPollMs: 600_000 });
    const closing = Date.now();
    await app.close();
    app = undefined;
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(await relayLocks()).toBe(0);
  });
});
