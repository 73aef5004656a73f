/**
 * The dense-products HTTP API in-process on a fresh, migrated schema of the real PostgreSQL:
 * the real controllers, guard, validation pipe, problem filter, Idempotency-Key storage, services
 * and repositories, with a fixed clock. Nothing talks to Kafka: events stay in the schema's outbox
 * (where the tests read them), and the ownership view is fed by calling the real consumer handler
 * with real `ipfin.patents.v1` records inside the inbox transaction, as the validating consumer does.
 */
import { randomUUID } from 'node:crypto';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CE_SPECVERSION, TOPICS, patentCeType, type PatentEventName, type PatentEventPayloads } from '@ipfin/contracts';
import { CLOCK, IdempotencyModule, PinoLoggerService, configureApp, signLocalToken, type Role, ServiceExpressAdapter } from '@ipfin/http';
import { fixedClock, type FixedClock } from '@ipfin/kernel';
import { MESSAGING_OPTIONS, Outbox, applyOnce, encodeEvent, readEvent, type ConsumedEvent } from '@ipfin/messaging';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../../src/database/data-source';
import { OWNERSHIP_VIEW_GROUP, PatentEventsConsumer } from '../../src/ownership/patent-events.consumer';
import { ProductsModule } from '../../src/products/products.module';

const SECRET = 'dense-products-integration-secret';

@Module({})
class TestPlatformModule {
  static forRoot(url: string, schema: string, clock: FixedClock): DynamicModule {
    return {
      module: TestPlatformModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url,
          schema,
          synchronize: false,
          migrationsRun: false,
          extra: { max: 20, application_name: 'ipfin-dense-products-it', options: `-c search_path=${schema}` },
        }),
        IdempotencyModule.forRoot({ schema }),
      ],
      providers: [
        { provide: CLOCK, useValue: clock },
        {
          provide: MESSAGING_OPTIONS,
          useValue: {
            schema,
            source: '/ipfin/dense-products',
            clientId: 'dense-products-it',
            brokers: 'localhost:1',
            relay: false,
          },
        },
        Outbox,
      ],
      exports: [CLOCK, MESSAGING_OPTIONS, Outbox],
    };
  }
}

export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** A patent-registry event to feed the ownership view: its type and its contract payload. */
export type RegistryRecord = {
  [N in PatentEventName]: { type: N; data: PatentEventPayloads[N] };
}[PatentEventName];

export interface OutboxEvent {
  key: string;
  type: string;
  data: any;
}

export interface ProductsTestApp {
  db: TestSchema;
  clock: FixedClock;
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiAnswer>;
  /** Feeds the ownership view through the consumer handler, in one inbox transaction; returns the records as sent. */
  feed(...records: RegistryRecord[]): Promise<ConsumedEvent[]>;
  /** Feeds already-built consumed events again (redelivery, rebuild). */
  redeliver(events: ConsumedEvent[]): Promise<void>;
  /** Every record fed so far, in order: the topic as this test wrote it. */
  fed(): ConsumedEvent[];
  /** The `ipfin.products.v1` events written to the outbox, in order (optionally of one product). */
  events(productId?: string): Promise<OutboxEvent[]>;
  close(): Promise<void>;
}

export function tokenFor(role: Role, sub: string, region?: string, uscc?: string): string {
  return signLocalToken(
    { sub, role, ...(region === undefined ? {} : { region }), ...(uscc === undefined ? {} : { uscc }) },
    SECRET,
    '1h',
  );
}

let offset = 0;

export async function startProductsApp(prefix: string, now: string): Promise<ProductsTestApp> {
  const db = await migratedTestSchema(createDataSource, prefix);
  const clock = fixedClock(now);

  @Module({ imports: [TestPlatformModule.forRoot(process.env.DATABASE_URL!, db.schema, clock), ProductsModule] })
  class ProductsTestModule {}

  const app = await NestFactory.create<NestExpressApplication>(ProductsTestModule, new ServiceExpressAdapter(), { logger: false });
  configureApp(app, {
    serviceName: 'dense-products-it',
    logger: new PinoLoggerService({ service: 'dense-products-it', level: 'silent' }),
    auth: { secret: SECRET },
    openApi: { title: 'ipfin patent-intensive products' },
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const consumer = app.get(PatentEventsConsumer);

  const call: ProductsTestApp['call'] = async (method, path, opts = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` }),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  };

  const fed: ConsumedEvent[] = [];
  const redeliver = async (events: ConsumedEvent[]): Promise<void> => {
    await applyOnce({ dataSource: db.dataSource, schema: db.schema, groupId: OWNERSHIP_VIEW_GROUP, handle: (e, m) => consumer.handle(e, m) }, events);
  };

  const feed = async (...records: RegistryRecord[]): Promise<ConsumedEvent[]> => {
    const events = records.map((r): ConsumedEvent => {
      // The wire round trip: CloudEvents binary headers and JSON value, read and validated as the consumer does.
      const wire = encodeEvent({
        topic: TOPICS.patents,
        key: r.data.number,
        envelope: {
          id: randomUUID(),
          type: patentCeType(r.type),
          source: '/ipfin/patent-registry',
          subject: r.data.number,
          time: clock.now().toISOString(),
          specversion: CE_SPECVERSION,
          data: r.data,
        },
      });
      const read = readEvent({ headers: wire.headers ?? {}, value: Buffer.from(String(wire.value)) });
      if (!read.ok) throw new Error(`not a valid ${r.type}: ${read.reason}`);
      return {
        envelope: read.envelope,
        topic: TOPICS.patents,
        partition: 0,
        offset: String(offset++),
        key: r.data.number,
      };
    });
    await redeliver(events);
    fed.push(...events);
    return events;
  };

  const events: ProductsTestApp['events'] = async (productId) => {
    const rows: { key: string; ce_type: string; payload: any }[] = await db.dataSource.query(
      `select key, ce_type, payload from outbox where topic = $1 ${productId === undefined ? '' : "and payload->>'productId' = $2"} order by id`,
      productId === undefined ? [TOPICS.products] : [TOPICS.products, productId],
    );
    return rows.map((r) => ({
      key: r.key,
      type: r.ce_type.replace(/^ipfin\.products\.(\w+)\.v1$/, '$1'),
      data: r.payload,
    }));
  };

  return {
    db,
    clock,
    call,
    feed,
    redeliver,
    fed: () => [...fed],
    events,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
