import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Principal } from '@ipfin/http';
import { RegionCode, type Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { assertFundOf } from '../common/access';
import { eventRegions, riskOutboxMessages } from '../common/risk-outbox';
import { CoveredLoanRepository, type ReassessmentScope } from '../claims/covered-loan.repository';
import { reassessCoverage, type CoveredLoan } from '../claims/domain/covered-loan';
import { parseFundPolicy, upsertPolicyVersion, type FundPolicy } from './domain/fund-policy';
import { policiesToSeed } from './domain/fund-policy.seeds';
import { fundProblemError, type FundProblem } from './domain/fund-problems';
import { riskEvent, type RiskEvent } from './domain/risk-event';
import { FundLedgerRepository } from './fund-ledger.repository';
import { FundPolicyDto } from './dto/fund-policy.dto';
import { PolicyVersionsDto, PutPolicyResultDto } from './dto/policy-result.dto';
import { fundPolicyInput, type PutFundPolicyDto } from './dto/put-fund-policy.dto';
import { PolicyRepository } from './policy.repository';

export type PolicyOutcome = 'added' | 'replaced' | 'unchanged';

type Applied =
  | { readonly outcome: PolicyOutcome; readonly policy: FundPolicy }
  | { readonly outcome: 'conflict'; readonly problem: FundProblem };

/**
 * Policy versions per fund region: `PUT /v1/funds/{region}/policy` and the seeds. A change is one
 * transaction under the exclusive policy lock: store the version, re-judge the loans registered in
 * the periods involved (`reassessCoverage`, skipping loans whose claim is approved or paid), and
 * publish `PolicySet` plus any `LoanCovered` whose outcome changed.
 */
@Injectable()
export class PolicyService {
  private readonly logger = new Logger(PolicyService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policies: PolicyRepository,
    private readonly funds: FundLedgerRepository,
    private readonly loans: CoveredLoanRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async put(principal: Principal, region: string, dto: PutFundPolicyDto): Promise<PutPolicyResultDto> {
    assertFundOf(principal, region);
    const parsed = parseFundPolicy(region, fundPolicyInput(dto));
    if (!parsed.ok) throw fundProblemError(parsed.problem);
    const applied = await this.dataSource.transaction(async (m) => {
      await this.policies.lockExclusive(m);
      return this.apply(m, parsed.policy, await this.policies.all(m));
    });
    if (applied.outcome === 'conflict') throw fundProblemError(applied.problem);
    return PutPolicyResultDto.of(applied.policy, applied.outcome);
  }

  /** Anyone signed in may read a fund's policy: banks learn whether they cooperate. */
  async versions(region: string): Promise<PolicyVersionsDto> {
    const versions = await this.policies.ofRegion(region);
    return { items: versions.map((v) => FundPolicyDto.from(v)), nextCursor: null };
  }

  /**
   * Writes the seeded versions that are missing (`policiesToSeed`): idempotent, and never over a fund
   * manager's version — the same `effectiveFrom` is left as it is, an overlapping one wins (logged).
   */
  async seed(): Promise<FundPolicy[]> {
    return this.dataSource.transaction(async (m) => {
      await this.policies.lockExclusive(m);
      let existing = await this.policies.all(m);
      const seeded: FundPolicy[] = [];
      for (const seed of policiesToSeed(existing)) {
        const applied = await this.apply(m, seed, existing);
        if (applied.outcome === 'conflict') {
          this.logger.warn(`Seed policy ${seed.region}@${seed.effectiveFrom} not applied: ${applied.problem.detail}`);
          continue;
        }
        seeded.push(seed);
        existing = await this.policies.all(m);
      }
      if (seeded.length > 0) {
        this.logger.log(`Seeded policy versions: ${seeded.map((p) => `${p.region}@${p.effectiveFrom}`).join(', ')}`);
      }
      return seeded;
    });
  }

  /** Stores `incoming` and re-judges the loans it may concern. Needs the exclusive policy lock. */
  private async apply(m: EntityManager, incoming: FundPolicy, existing: readonly FundPolicy[]): Promise<Applied> {
    const upsert = upsertPolicyVersion(existing, incoming);
    if (upsert.outcome === 'conflict') return { outcome: 'conflict', problem: upsert.problem };
    if (upsert.outcome === 'unchanged') return { outcome: 'unchanged', policy: upsert.policy };
    const all = [...existing.filter((v) => v.region !== incoming.region), ...upsert.versions];
    const involved = upsert.previous === undefined ? [incoming] : [incoming, upsert.previous];
    const first = !existing.some((v) => v.region === incoming.region);
    const candidates = await this.loans.forReassessment(m, reassessmentScope(incoming.region, involved, first));
    const changed: CoveredLoan[] = [];
    const events: RiskEvent[] = [riskEvent('PolicySet', upsert.event)];
    for (const loan of candidates) {
      const fold = reassessCoverage(loan, all);
      if (fold.loan !== null && fold.loan !== loan) changed.push(fold.loan);
      events.push(...fold.events);
    }
    await this.funds.lockMany(m, eventRegions(events));
    await this.policies.save(m, incoming);
    await this.loans.save(m, changed);
    await this.outbox.enqueue(m, riskOutboxMessages(events, this.clock.now()));
    return { outcome: upsert.outcome, policy: incoming };
  }
}

/**
 * The loans a change of `region`'s `versions` may judge differently: registered in their periods
 * (in the region, judged by its fund, or of their banks) — and, for the fund's first version, every
 * loan of its region whatever the date: a loan with no policy in force belongs to the nearest fund
 * that has any version (`decideCoverage`), so that fund hears of it from now on.
 */
function reassessmentScope(region: string, versions: readonly FundPolicy[], firstVersion: boolean): ReassessmentScope {
  const prefix = RegionCode.parse(region).prefix();
  const from = versions.map((v) => v.effectiveFrom).sort()[0];
  const ends = versions.map((v) => v.effectiveTo);
  const to = ends.every((e): e is string => e !== undefined) ? [...ends].sort().reverse()[0] : null;
  return {
    regionFrom: prefix.padEnd(6, '0'),
    regionTo: prefix.padEnd(6, '9'),
    fundRegion: region,
    banks: [...new Set(versions.flatMap((v) => v.cooperatingBanks))],
    registeredFrom: from,
    registeredTo: to,
    anyDateInRegion: firstVersion,
  };
}
