/**
 * What the registry's integration tests share: a migrated schema, the services wired by hand or a
 * real HTTP app on it, Zhangzhou fixtures with valid identifiers, and loan-stream envelopes.
 */
import { randomUUID } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { CE_SPECVERSION, TOPICS, loanCeType, validateEventData } from '@ipfin/contracts';
import { PinoLoggerService, ServicePlatformModule, configureApp, signLocalToken, type Principal, ServiceExpressAdapter } from '@ipfin/http';
import { fixedClock, makePatentNumber, makeUscc, type Clock, type FixedClock } from '@ipfin/kernel';
import { Outbox, type ConsumedEvent } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { PatentRegistryEnv } from '../src/config';
import { ListingsService } from '../src/patents/listings.service';
import { LoanPledgesConsumer } from '../src/patents/loan-pledges.consumer';
import { PatentCommandsService } from '../src/patents/patent-commands.service';
import { PatentQueriesService } from '../src/patents/patent-queries.service';
import { PatentRepository } from '../src/patents/patent.repository';
import { PatentsModule } from '../src/patents/patents.module';
import { PledgeRepository } from '../src/patents/pledge.repository';

export const SECRET = 'patent-registry-test-secret';
export const ZHANGZHOU = '350600';
export const XIANGCHENG = '350602';

export const invention = (serial: number, year = 2023): string => makePatentNumber(year, 1, serial);
export const utilityModel = (serial: number, year = 2022): string => makePatentNumber(year, 2, serial);

/** 闽南师范大学 and 漳州职业技术学院 (public institutions, USCC 12…). */
export const minnan: Principal = { sub: 'univ-minnan-normal', role: 'university', region: ZHANGZHOU, uscc: makeUscc('12350600488000123') };
export const vocational: Principal = { sub: 'univ-zz-vocational', role: 'university', region: ZHANGZHOU, uscc: makeUscc('12350600488000456') };
/** 漳州市芗城光电科技有限公司 as a token and as a counterparty. */
export const optics: Principal = { sub: 'ent-xiangcheng-optics', role: 'enterprise', region: XIANGCHENG, uscc: makeUscc('91350602MA2Y7K8Q3') };
export const opticsParty = { uscc: optics.uscc!, name: '漳州市芗城光电科技有限公司', regionCode: XIANGCHENG };
export const energy: Principal = { sub: 'ent-longhai-energy', role: 'enterprise', region: '350681', uscc: makeUscc('91350681MA31B2C4D') };
export const energyParty = { uscc: energy.uscc!, name: '漳州龙海新能源设备有限公司', regionCode: '350681' };

export const tokenOf = (p: Principal): string =>
  signLocalToken({ sub: p.sub, role: p.role, ...(p.region ? { region: p.region } : {}), ...(p.uscc ? { uscc: p.uscc } : {}) }, SECRET, '1h');

export function listing(number: string, title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const kind = number[4] === '2' || number[4] === '9' ? 'utility_model' : number[4] === '3' ? 'design' : 'invention';
  return { number, title, kind, status: 'valid', ...extra };
}

export interface Services {
  listings: ListingsService;
  commands: PatentCommandsService;
  queries: PatentQueriesService;
  repository: PatentRepository;
  consumer: LoanPledgesConsumer;
}

/** The services on a data source, without Nest (the outbox validates but publishes nothing). */
export function servicesOn(dataSource: DataSource, schema: string, clock: Clock): Services {
  const outbox = new Outbox({ schema, source: '/ipfin/patent-registry', clientId: 'test', brokers: 'localhost:1' });
  const repository = new PatentRepository(dataSource);
  return {
    listings: new ListingsService(dataSource, repository, outbox, clock),
    commands: new PatentCommandsService(dataSource, repository, outbox, clock),
    queries: new PatentQueriesService(repository, clock),
    repository,
    consumer: new LoanPledgesConsumer(new PledgeRepository()),
  };
}

export const testClock = (): FixedClock => fixedClock('2024-10-01T02:00:00Z');

export interface TestHttp {
  /** The app's repository (to shrink its probe window). */
  repository: PatentRepository;
  request<T = any>(method: string, path: string, opts?: { principal?: Principal; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

@Module({})
class TestAppModule {
  static forRoot(env: PatentRegistryEnv, clock: Clock): DynamicModule {
    return {
      module: TestAppModule,
      imports: [ServicePlatformModule.forRoot({ name: 'patent-registry', env, relay: false, clock, poolSize: 4 }), PatentsModule],
    };
  }
}

/** The registry's HTTP API on the test schema (no outbox relay, no consumers), on a random port. */
export async function startHttp(schema: string, clock: Clock): Promise<TestHttp> {
  const env = Object.assign(new PatentRegistryEnv(), {
    PORT: 1,
    DATABASE_URL: process.env.DATABASE_URL!,
    DATABASE_SCHEMA: schema,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? 'localhost:9092',
    AUTH_JWT_SECRET: SECRET,
    LOG_LEVEL: 'silent',
  });
  const app = await NestFactory.create<NestExpressApplication>(TestAppModule.forRoot(env, clock), new ServiceExpressAdapter(), { logger: false });
  configureApp(app, {
    serviceName: 'patent-registry-test', logger: new PinoLoggerService({ service: 'test', level: 'silent' }), auth: { secret: SECRET },
    openApi: { title: 'ipfin patent registry' },
  });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    repository: app.get(PatentRepository),
    async request(method, path, opts = {}) {
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(opts.principal ? { authorization: `Bearer ${tokenOf(opts.principal)}` } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    close: () => app.close(),
  };
}

// ---- the loan stream ------------------------------------------------------------------------

let sequence = 0;
const base = (bank: string, loanRef: string, occurredOn: string, eventId: string) => ({
  bank, loanRef, eventId, sequence: ++sequence, occurredOn, recordedAt: `${occurredOn}T10:00:00+08:00`,
});

/** A consumed `ipfin.loans.v1` event with a real envelope, as the validating consumer hands it over. */
export function consumed(type: string, data: Record<string, unknown>): ConsumedEvent {
  const valid = validateEventData(loanCeType(type), data);
  if (!valid.ok) throw new Error(`fixture ${type} breaks the contract: ${valid.errors.join('; ')}`);
  return {
    envelope: { id: randomUUID(), type: loanCeType(type), source: '/ipfin/pledge-loans', subject: String(data.eventId), time: new Date().toISOString(), specversion: CE_SPECVERSION, data },
    topic: TOPICS.loans,
    partition: 0,
    offset: String(sequence),
    key: `${String(data.bank)}:${String(data.loanRef)}`,
  };
}

export function loanRegistered(bank: string, loanRef: string, patents: string[], opts: { trademarks?: string[]; on?: string } = {}): ConsumedEvent {
  const on = opts.on ?? '2024-03-01';
  return consumed('LoanRegistered', {
    ...base(bank, loanRef, on, `${loanRef}-reg`),
    borrower: { uscc: optics.uscc, name: opticsParty.name, size: 'small', regionCode: XIANGCHENG },
    principal: '5000000.00', annualRate: '0.0385', termMonths: 24, inclusive: true,
    pledge: {
      registrationNo: `Y${loanRef}`, registeredOn: on, appraisedValue: '8000000.00',
      rights: [...patents.map((number) => ({ kind: 'patent', number })), ...(opts.trademarks ?? []).map((number) => ({ kind: 'trademark', number }))],
    },
  });
}

export const loanSettled = (bank: string, loanRef: string, on = '2024-09-01'): ConsumedEvent =>
  consumed('LoanSettled', base(bank, loanRef, on, `${loanRef}-settled`));

export const loanDisbursed = (bank: string, loanRef: string, on = '2024-03-05'): ConsumedEvent =>
  consumed('LoanDisbursed', { ...base(bank, loanRef, on, `${loanRef}-disb`), amount: '5000000.00' });

export const repaymentReceived = (bank: string, loanRef: string, on = '2024-04-05'): ConsumedEvent =>
  consumed('RepaymentReceived', { ...base(bank, loanRef, on, `${loanRef}-rep-${on}`), principal: '200000.00', interest: '16041.67' });

export const loanOverdue = (bank: string, loanRef: string, on = '2024-06-05'): ConsumedEvent =>
  consumed('LoanOverdue', { ...base(bank, loanRef, on, `${loanRef}-overdue`), overdueDays: 30 });

export const loanDefaulted = (bank: string, loanRef: string, on = '2024-08-05'): ConsumedEvent =>
  consumed('LoanDefaulted', { ...base(bank, loanRef, on, `${loanRef}-default`), principalLoss: '1200000.00' });

export function reversal(of: ConsumedEvent, on = '2024-09-15'): ConsumedEvent {
  const data = of.envelope.data as Record<string, unknown>;
  const reversedType = /^ipfin\.loans\.(\w+)\.v1$/.exec(of.envelope.type)![1];
  return consumed('EventReversed', {
    ...base(String(data.bank), String(data.loanRef), on, `${String(data.eventId)}-rev`),
    reversedEventId: data.eventId, reversedType, reversed: data,
  });
}

/** Feeds the events through the consumer's handler inside one real transaction, as the inbox does. */
export async function feed(dataSource: DataSource, consumer: LoanPledgesConsumer, ...events: ConsumedEvent[]): Promise<void> {
  await dataSource.transaction((m) => consumer.handle(events, m));
}
