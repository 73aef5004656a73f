/**
 * The risk-fund answer for a period (audit finding 2): the balance is a stock — the fund's
 * balance at the period's last day, never below zero (api.md) — so the account figures
 * (`capital`, `paidOut`, `bankShare`, `recoveredToFund`) are read from the beginning up to `to`
 * and `balance = capital − paidOut + recoveredToFund` holds; claims, covered loans and the loss
 * rate stay those of the period.
 */
import { randomUUID } from 'node:crypto';
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import { PROJECTIONS } from '../src/projections';
import { projectionHandlers } from '../src/rebuild/handlers';
import type { Envelope } from './support/dataset';
import { applyBatch, assertValid, consumed, scopeOf, servicesOver, type Services } from './support/harness';

const FUND = '350600';
let time = Date.parse('2025-07-01T00:00:00Z');
const risk = (name: string, data: Record<string, unknown>): Envelope =>
  ({ topic: 'risk', key: FUND, id: randomUUID(), type: `ipfin.risk.${name}.v1`, time: new Date((time += 1000)).toISOString(), data: { region: FUND, ...data } });
const claim = { claimId: 'claim-bal-1', bank: 'bank-icbc-zz', loanRef: 'BAL-1' };
const events = [
  risk('CapitalContributed', { contributionId: 'cap-bal-1', amount: '10000000.00', receivedOn: '2024-03-01' }),
  risk('ClaimFiled', { ...claim, principalLoss: '2500000.00', defaultedOn: '2025-01-20', filedOn: '2025-02-01', policyVersion: '2024-02-02' }),
  risk('ClaimApproved', {
    ...claim, principalLoss: '2500000.00', fundSharePercent: '80', capped: false, fundShare: '2000000.00', bankShare: '500000.00',
    approvedOn: '2025-02-10', approvalSequence: 1,
  }),
  risk('ClaimPaid', { ...claim, fundShare: '2000000.00', paidOn: '2025-02-20', approvalSequence: 1 }),
  risk('RecoveryShared', { ...claim, recoveryId: 'rec-bal-1', amount: '125000.00', fundPart: '100000.00', bankPart: '25000.00', recoveredOn: '2025-06-01' }),
];

let db: TestSchema;
let s: Services;

beforeAll(async () => {
  assertValid(events);
  db = await migratedTestSchema(createDataSource, 'metrics_balance');
  const group = PROJECTIONS.find((p) => p.name === 'risk')!.groupId;
  await applyBatch(db.dataSource, db.schema, group, projectionHandlers(db.dataSource).risk, events.map((e, i) => consumed(e, i)));
  s = servicesOver(db.dataSource);
});

afterAll(async () => {
  await db?.drop();
});

const figures = ({ asOf: _a, lagEvents: _l, region: _r, ...rest }: Awaited<ReturnType<Services['riskFund']['report']>>) => rest;
const noClaims = { filed: 0, waiting: 0, paid: 0, rejected: 0 };

describe('risk-fund balance for a period', () => {
  it('year=2025 with the capital contributed in 2024: the balance at the end of 2025, not the year\'s net flow', async () => {
    expect(figures(await s.riskFund.report(scopeOf(FUND), { year: '2025' }))).toEqual({
      capital: '10000000.00', paidOut: '2000000.00', bankShare: '500000.00', recoveredToFund: '100000.00', balance: '8100000.00',
      claims: { ...noClaims, paid: 1 }, coveredLoans: 0, lossRate: '0.0000',
    });
  });

  it('year=2024: the capital only, no claim of that year', async () => {
    expect(figures(await s.riskFund.report(scopeOf(FUND), { year: '2024' }))).toEqual({
      capital: '10000000.00', paidOut: '0.00', bankShare: '0.00', recoveredToFund: '0.00', balance: '10000000.00',
      claims: noClaims, coveredLoans: 0, lossRate: '0.0000',
    });
  });

  it('from/to: the account at `to` (approved, not yet paid on 2025-02-15), the claims filed in the range', async () => {
    expect(figures(await s.riskFund.report(scopeOf(FUND), { from: '2025-01-01', to: '2025-02-15' }))).toEqual({
      capital: '10000000.00', paidOut: '0.00', bankShare: '500000.00', recoveredToFund: '0.00', balance: '10000000.00',
      claims: { ...noClaims, paid: 1 }, coveredLoans: 0, lossRate: '0.0000',
    });
  });

  it('without a period: everything up to today, the same account as year=2025', async () => {
    const all = figures(await s.riskFund.report(scopeOf(FUND), {}));
    expect(all).toEqual(figures(await s.riskFund.report(scopeOf(FUND), { year: '2025' })));
  });
});
