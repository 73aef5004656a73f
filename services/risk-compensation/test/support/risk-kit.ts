/**
 * What the risk-compensation integration tests share: a fresh migrated schema, the service layer
 * wired by hand on a data source (as Nest would), real loan-event envelopes fed through the
 * consumer exactly as the validating consumer does (inbox + handler in one transaction), and
 * readers of the ledger and the outbox.
 */
import { randomUUID } from 'node:crypto';
import { validateEventData, type EventEnvelope, type LoanEventType } from '@ipfin/contracts';
import type { Principal } from '@ipfin/http';
import { Money, makeUscc, type Clock } from '@ipfin/kernel';
import { Outbox, applyOnce, type ConsumedEvent } from '@ipfin/messaging';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { DataSource } from 'typeorm';
import { ClaimRepository } from '../../src/claims/claim.repository';
import { ClaimsService } from '../../src/claims/claims.service';
import { CoveredLoanRepository } from '../../src/claims/covered-loan.repository';
import { LOANS_CONSUMER_GROUP, LoanEventsConsumer } from '../../src/claims/loan-events.consumer';
import { createDataSource } from '../../src/database/data-source';
import { FundLedgerRepository } from '../../src/funds/fund-ledger.repository';
import { FundOperations } from '../../src/funds/fund-operations';
import { FundsService } from '../../src/funds/funds.service';
import { PolicyRepository } from '../../src/funds/policy.repository';
import { PolicyService } from '../../src/funds/policy.service';

export const ZHANGZHOU = '350600';
export const XIANGCHENG = '350602';

export const bankOf = (sub: string, region = ZHANGZHOU): Principal => ({ sub, role: 'bank', region });
export const fundOf = (region: string, sub = `fund-${region}`): Principal => ({ sub, role: 'fund', region });

export interface RiskServices {
  readonly ds: DataSource;
  readonly policies: PolicyService;
  readonly funds: FundsService;
  readonly claims: ClaimsService;
  readonly consumer: LoanEventsConsumer;
}

/** The service layer on `ds`, wired as the Nest module wires it. */
export function riskServices(ds: DataSource, schema: string, clock: Clock): RiskServices {
  const outbox = new Outbox({ schema, source: '/ipfin/risk-compensation', clientId: 'test', brokers: 'localhost:1' });
  const policyRepo = new PolicyRepository(ds);
  const ledger = new FundLedgerRepository(ds);
  const claimRepo = new ClaimRepository(ds);
  const loans = new CoveredLoanRepository(ds);
  const operations = new FundOperations(claimRepo, ledger, outbox, clock);
  return {
    ds,
    policies: new PolicyService(ds, policyRepo, ledger, loans, outbox, clock),
    funds: new FundsService(ds, ledger, claimRepo, operations, clock),
    claims: new ClaimsService(ds, claimRepo, loans, policyRepo, ledger, operations, clock),
    consumer: new LoanEventsConsumer(loans, policyRepo, ledger, claimRepo, outbox, clock),
  };
}

/** A fresh schema with the service's migrations; `pool` connections for concurrent transactions. */
export async function riskSchema(prefix: string, pool = 5): Promise<TestSchema & { pooled: DataSource }> {
  const db = await migratedTestSchema(createDataSource, prefix);
  if (pool <= 5) return { ...db, pooled: db.dataSource };
  const options = db.dataSource.options as { extra?: Record<string, unknown> };
  const pooled = new DataSource({ ...db.dataSource.options, extra: { ...options.extra, max: pool } });
  await pooled.initialize();
  return {
    ...db,
    pooled,
    drop: async () => {
      await pooled.destroy();
      await db.drop();
    },
  };
}

// ---------------------------------------------------------------- loan events, as pledge-loans publishes them

let sequence = 0;
let offset = 0;

export interface LoanRef {
  readonly bank: string;
  readonly loanRef: string;
}

const meta = (ref: LoanRef, eventId: string, occurredOn: string) => ({
  bank: ref.bank,
  loanRef: ref.loanRef,
  eventId,
  sequence: ++sequence,
  occurredOn,
  recordedAt: `${occurredOn}T10:00:00.000Z`,
});

export type LoanPayload = Record<string, unknown> & { eventId: string };
export interface LoanEvent {
  readonly type: LoanEventType;
  readonly data: LoanPayload;
}

export const smeBorrower = (serial: number, regionCode = XIANGCHENG, size = 'small') => ({
  uscc: makeUscc(`91${regionCode}MA${String(serial).padStart(7, '0')}`),
  name: `漳州市第${serial}科技有限公司`,
  size,
  regionCode,
});

export function registered(
  ref: LoanRef,
  opts: { occurredOn?: string; principal?: string; borrower?: ReturnType<typeof smeBorrower>; eventId?: string; serial?: number } = {},
): LoanEvent {
  const occurredOn = opts.occurredOn ?? '2024-03-01';
  const principal = opts.principal ?? '1000000.00';
  return {
    type: 'LoanRegistered',
    data: {
      ...meta(ref, opts.eventId ?? `${ref.loanRef}-reg`, occurredOn),
      borrower: opts.borrower ?? smeBorrower(opts.serial ?? 1),
      principal,
      annualRate: '0.0385',
      termMonths: 24,
      inclusive: true,
      pledge: {
        registrationNo: `Y-${ref.bank}-${ref.loanRef}`,
        registeredOn: occurredOn,
        appraisedValue: principal,
        rights: [{ kind: 'patent', number: '202310123456.6', title: '一种功率半导体封装结构' }],
      },
    },
  };
}

export const disbursed = (ref: LoanRef, eventId: string, occurredOn: string, amount: string): LoanEvent => ({
  type: 'LoanDisbursed',
  data: { ...meta(ref, eventId, occurredOn), amount },
});

export const defaulted = (ref: LoanRef, eventId: string, occurredOn: string, principalLoss: string): LoanEvent => ({
  type: 'LoanDefaulted',
  data: { ...meta(ref, eventId, occurredOn), principalLoss },
});

export const repaid = (ref: LoanRef, eventId: string, occurredOn: string, principal: string, interest = '0.00'): LoanEvent => ({
  type: 'RepaymentReceived',
  data: { ...meta(ref, eventId, occurredOn), principal, interest },
});

export const settled = (ref: LoanRef, eventId: string, occurredOn: string): LoanEvent => ({
  type: 'LoanSettled',
  data: { ...meta(ref, eventId, occurredOn) },
});

export function reversed(original: LoanEvent, eventId: string, occurredOn: string): LoanEvent {
  return {
    type: 'EventReversed',
    data: {
      ...meta(original.data as unknown as LoanRef, eventId, occurredOn),
      reversedEventId: original.data.eventId,
      reversedType: original.type,
      reversed: { ...original.data },
    },
  };
}

/** Registered, disbursed in full and defaulted with `loss`: a loan ready for a claim. */
export function defaultedLoan(ref: LoanRef, serial: number, loss: string, defaultedOn = '2025-05-20'): LoanEvent[] {
  return [
    registered(ref, { serial }),
    disbursed(ref, `${ref.loanRef}-d1`, '2024-03-05', '1000000.00'),
    defaulted(ref, `${ref.loanRef}-def`, defaultedOn, loss),
  ];
}

/** A validated envelope of `ipfin.loans.v1`, as the consumer hands it to the handler. */
export function envelope(event: LoanEvent): ConsumedEvent {
  const type = `ipfin.loans.${event.type}.v1`;
  const check = validateEventData(type, event.data);
  if (!check.ok) throw new Error(`test fixture ${event.data.eventId} is not a valid ${type}: ${check.errors.join('; ')}`);
  const env: EventEnvelope = {
    id: randomUUID(),
    type,
    source: '/ipfin/pledge-loans',
    subject: String(event.data.eventId),
    time: new Date().toISOString(),
    specversion: '1.0',
    data: event.data,
  };
  return { envelope: env, topic: 'ipfin.loans.v1', partition: 0, offset: String(++offset), key: `${String(event.data.bank)}:${String(event.data.loanRef)}` };
}

/**
 * Delivers envelopes as the validating consumer does: one transaction recording the `ce_id`s in
 * the inbox and handing only the new ones to the handler. Returns how many were new.
 */
export async function deliver(ds: DataSource, schema: string, consumer: LoanEventsConsumer, events: readonly ConsumedEvent[]): Promise<number> {
  return applyOnce({ dataSource: ds, schema, groupId: LOANS_CONSUMER_GROUP, handle: (e, m) => consumer.handle(e, m) }, events);
}

// ---------------------------------------------------------------- readers

export interface LedgerLineRow {
  entry_id: string;
  kind: string;
  reference: string;
  account: string;
  side: 'debit' | 'credit';
  amount_fen: string;
}

export async function ledgerLines(ds: DataSource, region: string): Promise<LedgerLineRow[]> {
  return ds.query(
    `select e.entry_id::text, e.kind, e.reference, l.account, l.side, l.amount_fen::text
       from ledger_entries e join ledger_lines l using (entry_id)
      where e.region = $1 order by e.entry_id, l.line_no`,
    [region],
  );
}

/** Balances after each entry, replaying the ledger in posting order (normal sides as in the domain). */
export function replay(lines: readonly LedgerLineRow[]): { capital: bigint; balance: bigint; paidOut: bigint; recovered: bigint }[] {
  const state = { capital: 0n, balance: 0n, paidOut: 0n, recovered: 0n };
  const field = { capital: 'capital', balance: 'balance', paid_out: 'paidOut', recovered: 'recovered' } as const;
  const debitNormal = new Set(['balance', 'paid_out']);
  const after: (typeof state)[] = [];
  let current: string | undefined;
  for (const line of lines) {
    if (current !== undefined && current !== line.entry_id) after.push({ ...state });
    current = line.entry_id;
    const increases = debitNormal.has(line.account) === (line.side === 'debit');
    const key = field[line.account as keyof typeof field];
    state[key] += increases ? BigInt(line.amount_fen) : -BigInt(line.amount_fen);
  }
  if (current !== undefined) after.push({ ...state });
  return after;
}

export async function fundRow(ds: DataSource, region: string): Promise<{ capital: bigint; balance: bigint; paidOut: bigint; recovered: bigint; lastApprovalSequence: number }> {
  const [row] = await ds.query('select * from funds where region = $1', [region]);
  return {
    capital: BigInt(row.capital_fen), balance: BigInt(row.balance_fen), paidOut: BigInt(row.paid_out_fen),
    recovered: BigInt(row.recovered_fen), lastApprovalSequence: row.last_approval_sequence,
  };
}

export interface OutboxRow {
  id: string;
  key: string;
  ce_type: string;
  payload: any;
}

export async function outboxRows(ds: DataSource, type?: string): Promise<OutboxRow[]> {
  return type === undefined
    ? ds.query('select id::text, key, ce_type, payload from outbox order by outbox.id')
    : ds.query('select id::text, key, ce_type, payload from outbox where ce_type = $1 order by outbox.id', [`ipfin.risk.${type}.v1`]);
}

export const fen = (amount: string): bigint => Money.parse(amount).fen;
