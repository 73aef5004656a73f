import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import {
  CLOCK,
  DEFAULT_PAGE_LIMIT,
  decodeCursor,
  encodeCursor,
  holdIdempotencyKey,
  recordIdempotentResult,
  type IdempotentRequest,
  type Principal,
} from '@ipfin/http';
import { Forbidden, NotFound, shanghaiToday, type Clock } from '@ipfin/kernel';
import { isFundOf } from '../common/access';
import { assertNotFuture } from '../common/business-dates';
import { settleFund } from './domain/claim-payout';
import { FundLedgerRepository } from '../funds/fund-ledger.repository';
import { FundOperations } from '../funds/fund-operations';
import { PolicyRepository } from '../funds/policy.repository';
import { ClaimRepository } from './claim.repository';
import { CoveredLoanRepository } from './covered-loan.repository';
import { approveClaim, fileClaim, rejectClaim, type Claim } from './domain/claim';
import { claimProblem, claimProblemError } from './domain/claim-problems';
import { recordRecovery } from './domain/recovery';
import { ClaimDto } from './dto/claim.dto';
import { ClaimPageDto, RecoveryResultDto } from './dto/claim-results.dto';
import type { ClaimsQueryDto } from './dto/claims-query.dto';
import { CoverageDto } from './dto/coverage.dto';
import { claimInput, type FileClaimDto } from './dto/file-claim.dto';
import { recoveryInput, type RecoveryDto } from './dto/recovery.dto';

const isSeqPosition = (value: unknown): value is { seq: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { seq?: unknown }).seq === 'string' &&
  /^\d{1,18}$/.test((value as { seq: string }).seq);

const isBankOf = (principal: Principal, claim: Claim): boolean => principal.role === 'bank' && claim.bank === principal.sub;

/** A bank sees its own claims; a fund manager the claims of its fund region. */
const maySee = (principal: Principal, claim: Claim): boolean => isBankOf(principal, claim) || isFundOf(principal, claim.region);

/**
 * Claims: filing, approval, rejection, recoveries, reads, and the coverage explanation. Every change
 * is one transaction holding the claim's fund row lock (`select … for update` on `funds`): load →
 * pure domain → write claims, ledger and outbox together. Payouts run in the same transaction as
 * the approval, contribution or recovery that makes them possible. A write with an
 * `Idempotency-Key` holds the key's row from the start and records its answer before the commit
 * (`holdIdempotencyKey`, `recordIdempotentResult`), so a retry replays it and never runs it again.
 */
@Injectable()
export class ClaimsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly claims: ClaimRepository,
    private readonly loans: CoveredLoanRepository,
    private readonly policies: PolicyRepository,
    private readonly ledger: FundLedgerRepository,
    private readonly operations: FundOperations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private today(): string {
    return shanghaiToday(this.clock).toString();
  }

  /** `POST /v1/claims` (bank): a claim on its own covered, defaulted loan. */
  async file(principal: Principal, dto: FileClaimDto, idempotency?: IdempotentRequest): Promise<ClaimDto> {
    const input = claimInput(dto);
    const filing = { claimId: randomUUID(), bank: principal.sub, filedOn: this.today() };
    try {
      return await this.dataSource.transaction(async (m) => {
        const loan = await this.loans.find(principal.sub, input.loanRef, m);
        if (loan?.region == null) {
          // Unknown or concerning no fund: nothing to lock, the domain says why.
          const refused = fileClaim(loan, input, filing, [], null);
          if (!refused.ok) throw claimProblemError(refused.problems);
          throw new Error(`unreachable: a claim on loan ${input.loanRef} without a fund was accepted`);
        }
        const locked = await this.ledger.lock(m, loan.region);
        await holdIdempotencyKey(m, idempotency);
        const existing = await this.claims.ofLoan(m, loan.bank, loan.loanRef);
        const policy =
          loan.covered && loan.policyVersion !== undefined
            ? await this.policies.version(m, loan.region, loan.policyVersion)
            : null;
        const filed = fileClaim(loan, input, filing, existing, policy);
        if (!filed.ok) throw claimProblemError(filed.problems);
        await this.operations.commit(m, {
          lastApprovalSequence: locked.lastApprovalSequence,
          entries: [],
          claims: [filed.claim],
          events: [filed.event],
        });
        return this.answer(m, idempotency, ClaimDto.from(filed.claim));
      });
    } catch (error: unknown) {
      // The partial unique index (one open claim per loan) as the last line against a race.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw claimProblemError([
          claimProblem('claim-already-open', `Loan ${input.loanRef} already has a claim that is not rejected.`),
        ]);
      }
      throw error;
    }
  }

  /**
   * `POST /v1/claims/{id}/approve` (fund of the claim's region): fixes the shares under the covering
   * policy version, gives the next approval sequence, and pays what the balance covers of the queue.
   */
  async approve(principal: Principal, id: string, idempotency?: IdempotentRequest): Promise<ClaimDto> {
    const region = await this.visibleFundRegion(principal, id);
    const today = this.today();
    return this.dataSource.transaction(async (m) => {
      const locked = await this.ledger.lock(m, region);
      await holdIdempotencyKey(m, idempotency);
      const claim = await this.mustGet(m, id);
      const policy = await this.policies.version(m, claim.region, claim.policyVersion);
      if (policy === null) throw new Error(`policy ${claim.region}@${claim.policyVersion} of claim ${id} is missing`);
      const loan = await this.loans.find(claim.bank, claim.loanRef, m);
      const sequence = locked.lastApprovalSequence + 1;
      const approval = approveClaim(claim, policy, { approvedOn: today, approvalSequence: sequence }, loan);
      if (!approval.ok) throw claimProblemError(approval.problems);
      await this.claims.save(m, [approval.claim]);
      const queue = await this.claims.payableQueue(m, region, locked.balances.balance);
      const settled = settleFund(locked.balances, queue, today);
      await this.operations.commit(m, {
        fund: settled.fund,
        lastApprovalSequence: sequence,
        entries: settled.entries,
        claims: settled.paid,
        events: [approval.event, ...settled.events],
      });
      return this.answer(m, idempotency, ClaimDto.from(settled.paid.find((c) => c.id === id) ?? approval.claim));
    });
  }

  /** `POST /v1/claims/{id}/reject` (fund of the claim's region): only a filed claim. */
  async reject(principal: Principal, id: string, reason: string, idempotency?: IdempotentRequest): Promise<ClaimDto> {
    const region = await this.visibleFundRegion(principal, id);
    const today = this.today();
    return this.dataSource.transaction(async (m) => {
      const locked = await this.ledger.lock(m, region);
      await holdIdempotencyKey(m, idempotency);
      const claim = await this.mustGet(m, id);
      const rejection = rejectClaim(claim, reason, today);
      if (!rejection.ok) throw claimProblemError(rejection.problems);
      await this.operations.commit(m, {
        lastApprovalSequence: locked.lastApprovalSequence,
        entries: [],
        claims: [rejection.claim],
        events: [rejection.event],
      });
      return this.answer(m, idempotency, ClaimDto.from(rejection.claim));
    });
  }

  /**
   * `POST /v1/claims/{id}/recoveries` (the claim's bank): shares money recovered after payout; the
   * fund's part returns to the balance and may pay waiting claims. `recoveredOn` may not be after
   * today (400).
   */
  async recover(principal: Principal, id: string, dto: RecoveryDto, idempotency?: IdempotentRequest): Promise<RecoveryResultDto> {
    const today = this.today();
    assertNotFuture('recoveredOn', dto.recoveredOn, today);
    const known = await this.claims.get(id);
    if (known === null || !isBankOf(principal, known)) throw new NotFound(`claim ${id}`, undefined, 'claim-not-found');
    const input = recoveryInput(randomUUID(), dto);
    return this.dataSource.transaction(async (m) => {
      const locked = await this.ledger.lock(m, known.region);
      await holdIdempotencyKey(m, idempotency);
      const claim = await this.mustGet(m, id);
      const queue = await this.claims.payableQueue(m, claim.region, locked.balances.balance.add(input.amount));
      const op = recordRecovery(locked.balances, claim, input, principal.sub, queue, today);
      if (!op.ok) throw claimProblemError(op.problems);
      await this.operations.commit(m, {
        fund: op.fund,
        lastApprovalSequence: locked.lastApprovalSequence,
        entries: op.entries,
        claims: [op.claim, ...op.paid],
        events: op.events,
      });
      await this.claims.saveRecovery(m, op.claim, input, op.shares);
      return this.answer(m, idempotency, Object.assign(new RecoveryResultDto(), {
        id: input.recoveryId,
        claimId: op.claim.id,
        amount: input.amount.toString(),
        fundPart: op.shares.fundPart.toString(),
        bankPart: op.shares.bankPart.toString(),
        capped: op.shares.capped,
        recoveredOn: input.recoveredOn,
        paidClaims: op.paid.map((c) => c.id),
        claim: ClaimDto.from(op.claim),
      }));
    });
  }

  async get(principal: Principal, id: string): Promise<ClaimDto> {
    const claim = await this.claims.get(id);
    if (claim === null || !maySee(principal, claim)) throw new NotFound(`claim ${id}`, undefined, 'claim-not-found');
    return ClaimDto.from(claim);
  }

  /** `GET /v1/claims?status=`: a bank's own claims, a fund manager's region's, in filing order. */
  async list(principal: Principal, q: Partial<ClaimsQueryDto>): Promise<ClaimPageDto> {
    const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
    const scope =
      principal.role === 'bank'
        ? { bank: principal.sub }
        : principal.role === 'fund' && principal.region !== undefined
          ? { region: principal.region }
          : null;
    if (scope === null) throw new Forbidden(`A ${principal.role} may not list claims.`);
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, isSeqPosition).seq;
    const rows = await this.claims.list({
      ...scope,
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(after === undefined ? {} : { afterSeq: after }),
      limit,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ClaimDto.from(r.claim)),
      nextCursor: rows.length > limit && last !== undefined ? encodeCursor({ seq: last.seq }) : null,
    };
  }

  /**
   * `GET /v1/claims/coverage/{bankSub}/{loanRef}`: a bank asks about its own loans (another bank's
   * → 403, asked before anything is looked up); a fund manager about loans its fund judged (others
   * → 404, so their existence is not revealed).
   */
  async coverage(principal: Principal, bankSub: string, loanRef: string): Promise<CoverageDto> {
    if (principal.role === 'bank' && principal.sub !== bankSub) {
      throw new Forbidden(`A bank may ask only about its own loans; you are ${principal.sub}.`, 'not-your-loan');
    }
    const loan = await this.loans.find(bankSub, loanRef);
    const visible = loan !== null && (principal.role === 'bank' || (loan.region !== null && isFundOf(principal, loan.region)));
    if (!visible) throw new NotFound(`loan ${bankSub}/${loanRef}`, undefined, 'loan-not-found');
    return CoverageDto.from(loan);
  }

  /** The fund region of a claim the caller (a fund manager) may act on; 404 for anyone else's. */
  private async visibleFundRegion(principal: Principal, id: string): Promise<string> {
    const claim = await this.claims.get(id);
    if (claim === null || !isFundOf(principal, claim.region)) throw new NotFound(`claim ${id}`, undefined, 'claim-not-found');
    return claim.region;
  }

  /** The operation's answer, recorded for its `Idempotency-Key` in the same transaction. */
  private async answer<T>(m: EntityManager, idempotency: IdempotentRequest | undefined, result: T): Promise<T> {
    await recordIdempotentResult(m, idempotency, result);
    return result;
  }

  private async mustGet(m: EntityManager, id: string): Promise<Claim> {
    const claim = await this.claims.get(id, m);
    if (claim === null) throw new NotFound(`claim ${id}`, undefined, 'claim-not-found');
    return claim;
  }
}
