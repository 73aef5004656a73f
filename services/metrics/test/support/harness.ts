/**
 * Feeds envelopes to the metrics handlers the way the validating consumer does: per partition, in
 * offset order, one transaction per batch with the inbox rows first and only the new events
 * handed to the handler. Also builds the query services by hand over a test schema.
 */
import { TOPIC_CATALOGUE, TOPICS, validateEventData } from '@ipfin/contracts';
import { BusinessDate, fixedClock, RegionCode, type Clock } from '@ipfin/kernel';
import { applyOnce, type ConsumedEvent, type EventBatchHandler } from '@ipfin/messaging';
import type { DataSource } from 'typeorm';
import { AgenciesService } from '../../src/agencies/agencies.service';
import { BanksService } from '../../src/banks/banks.service';
import { CountersRepository } from '../../src/counters/counters.repository';
import { FinancingRepository } from '../../src/financing/financing.repository';
import { FinancingService } from '../../src/financing/financing.service';
import type { LagService } from '../../src/lag/lag.service';
import { PoliciesRepository } from '../../src/policies/policies.repository';
import { ProductsService } from '../../src/products/products.service';
import { PROJECTIONS, type ProjectionName } from '../../src/projections';
import { projectionHandlers } from '../../src/rebuild/handlers';
import { RiskFundService } from '../../src/risk-fund/risk-fund.service';
import { TargetsRepository } from '../../src/targets/targets.repository';
import { TargetsService } from '../../src/targets/targets.service';
import { TransfersService } from '../../src/transfers/transfers.service';
import { prng } from '@ipfin/testing';
import { type Envelope } from './dataset';

const partitionsOf = (topic: string): number => TOPIC_CATALOGUE.find((t) => t.name === topic)!.partitions;

function hash(key: string): number {
  let h = 0;
  for (const c of key) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return Math.abs(h);
}

export function consumed(e: Envelope, offset: number): ConsumedEvent {
  const topic = TOPICS[e.topic];
  return {
    envelope: { id: e.id, type: e.type, source: `/ipfin/test-${e.topic}`, time: e.time, specversion: '1.0', subject: e.key, data: e.data },
    topic,
    partition: hash(e.key) % partitionsOf(topic),
    offset: String(offset),
    key: e.key,
  };
}

/**
 * Applies one batch of one partition exactly as `ValidatingConsumer` does: with the handler's
 * reads sent ahead in the inbox round trip (as the service runs it), or with `readAhead: false`
 * as a handler called without them (it reads for itself).
 */
export async function applyBatch(
  dataSource: DataSource, schema: string, groupId: string, handler: EventBatchHandler, events: ConsumedEvent[], readAhead = true,
): Promise<void> {
  await applyOnce({
    dataSource, schema, groupId,
    handle: (e, m, withCommit, ahead) => handler.handle(e, m, withCommit, ahead),
    readAhead: readAhead ? handler.readAhead?.bind(handler) : undefined,
  }, events);
}

/**
 * Folds the envelopes through the service's handlers: partitions by key hash, each partition in
 * order, partitions and topics interleaved at random, batches of random size, each batch with or
 * without the handlers' reads sent ahead (at random too: both paths must fold alike).
 */
export async function feed(dataSource: DataSource, schema: string, envelopes: readonly Envelope[], seed: number, opts: { maxBatch?: number; concurrent?: boolean } = {}): Promise<void> {
  const rnd = prng(seed);
  const aheadRnd = prng(seed ^ 0x5eed); // its own sequence: the batches are those of `seed` alone
  const handlers = projectionHandlers(dataSource);
  const queues = new Map<string, { name: ProjectionName; events: ConsumedEvent[] }>();
  envelopes.forEach((e, i) => {
    const event = consumed(e, i);
    const id = `${event.topic}/${event.partition}`;
    const q = queues.get(id) ?? { name: e.topic, events: [] };
    q.events.push(event);
    queues.set(id, q);
  });
  const groupOf = (name: ProjectionName): string => PROJECTIONS.find((p) => p.name === name)!.groupId;
  const maxBatch = opts.maxBatch ?? 40;
  const runQueue = async (q: { name: ProjectionName; events: ConsumedEvent[] }): Promise<void> => {
    while (q.events.length > 0) {
      const batch = q.events.splice(0, 1 + Math.floor(rnd() * maxBatch));
      await applyBatch(dataSource, schema, groupOf(q.name), handlers[q.name], batch, aheadRnd() < 0.5);
    }
  };
  if (opts.concurrent) {
    // One worker per topic, as the four consumers run side by side in the service.
    const byTopic = new Map<ProjectionName, { name: ProjectionName; events: ConsumedEvent[] }[]>();
    for (const q of queues.values()) byTopic.set(q.name, [...(byTopic.get(q.name) ?? []), q]);
    await Promise.all([...byTopic.values()].map(async (qs) => { for (const q of qs) await runQueue(q); }));
    return;
  }
  const live = [...queues.values()];
  while (live.length > 0) {
    const i = Math.floor(rnd() * live.length);
    const q = live[i];
    const batch = q.events.splice(0, 1 + Math.floor(rnd() * maxBatch));
    await applyBatch(dataSource, schema, groupOf(q.name), handlers[q.name], batch, aheadRnd() < 0.5);
    if (q.events.length === 0) live.splice(i, 1);
  }
}

export function assertValid(envelopes: readonly Envelope[]): void {
  for (const e of envelopes) {
    const v = validateEventData(e.type, e.data);
    if (!v.ok) throw new Error(`${e.type} ${JSON.stringify(e.data)} is invalid: ${v.errors.join('; ')}`);
  }
}

export interface Services {
  financing: FinancingService;
  banks: BanksService;
  riskFund: RiskFundService;
  transfers: TransfersService;
  products: ProductsService;
  agencies: AgenciesService;
  targets: TargetsService;
}

export function servicesOver(dataSource: DataSource, clock: Clock = fixedClock('2025-07-15T04:00:00Z')): Services {
  const lag = { lagEvents: async () => 0 } as unknown as LagService;
  const financing = new FinancingRepository(dataSource);
  const counters = new CountersRepository(dataSource);
  const policies = new PoliciesRepository(dataSource);
  return {
    financing: new FinancingService(financing, lag, clock),
    banks: new BanksService(financing, lag, clock),
    riskFund: new RiskFundService(counters, lag, clock),
    transfers: new TransfersService(counters, policies, lag, clock),
    products: new ProductsService(counters, lag, dataSource, clock),
    agencies: new AgenciesService(counters, policies, lag, clock),
    targets: new TargetsService(new TargetsRepository(dataSource), financing, counters, lag, clock),
  };
}

export const scopeOf = (region: string) => ({ region: RegionCode.parse(region) });

/** Every figure of every endpoint for a few regions and periods: what a rebuild must reproduce. */
export async function snapshot(s: Services): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const region of ['350600', '350602', '350500', '350000', '371002', '430500']) {
    const scope = scopeOf(region);
    const periods: { year?: string; from?: string; to?: string }[] = [{ year: '2023' }, { year: '2024' }, { year: '2025' }, { from: '2024-02-15', to: '2025-03-10' }, {}];
    for (const period of periods) {
      const id = `${region} ${JSON.stringify(period)}`;
      out[`financing ${id}`] = await s.financing.report({
        region: scope.region, from: null, to: null, groupBy: 'month',
        ...(period.from && period.to ? { from: BusinessDate.parse(period.from), to: BusinessDate.parse(period.to) } : {}),
        ...(period.year ? { from: BusinessDate.parse(`${period.year}-01-01`), to: BusinessDate.parse(`${period.year}-12-31`) } : {}),
      });
      out[`risk ${id}`] = await s.riskFund.report(scope, period);
      out[`transfers ${id}`] = await s.transfers.report(scope, period);
      out[`products ${id}`] = await s.products.report(scope, period);
      out[`agencies ${id}`] = await s.agencies.report(scope, period);
    }
    for (const year of ['2023', '2024', '2025']) out[`banks ${region} ${year}`] = await s.banks.report(scope, year);
  }
  out.targets = await s.targets.list({ region: RegionCode.parse('350000') }, { limit: 500 });
  out.targetsElsewhere = [
    await s.targets.list({ region: RegionCode.parse('430000') }, { limit: 500 }),
    await s.targets.list({ region: RegionCode.parse('370000') }, { limit: 500 }),
  ];
  return out;
}
