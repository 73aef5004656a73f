import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, holdIdempotencyKey, recordIdempotentResult, type IdempotentRequest, type Principal } from '@ipfin/http';
import { shanghaiToday, type Clock } from '@ipfin/kernel';
import { ClaimRepository } from '../claims/claim.repository';
import { receiveContribution } from '../claims/domain/claim-payout';
import { assertFundOf, assertMayReadFund } from '../common/access';
import { assertNotFuture } from '../common/business-dates';
import { fundProblemError } from './domain/fund-problems';
import { ContributionResultDto } from './dto/contribution-result.dto';
import { contributionInput, type ContributionDto } from './dto/contribution.dto';
import { FundSummaryDto } from './dto/fund-summary.dto';
import { FundLedgerRepository } from './fund-ledger.repository';
import { FundOperations } from './fund-operations';

/** Capital and figures of a fund: `POST /v1/funds/{region}/contributions`, `GET /v1/funds/{region}`. */
@Injectable()
export class FundsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: FundLedgerRepository,
    private readonly claims: ClaimRepository,
    private readonly operations: FundOperations,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Capital arrives: with the fund row locked, post the contribution and pay what the new balance
   * covers of the waiting claims, strictly in approval order (`receiveContribution`). With an
   * `Idempotency-Key` the answer is recorded in the same transaction, so a retry never adds the
   * capital twice.
   */
  async contribute(
    principal: Principal,
    region: string,
    dto: ContributionDto,
    idempotency?: IdempotentRequest,
  ): Promise<ContributionResultDto> {
    const paidOn = shanghaiToday(this.clock).toString();
    assertNotFuture('receivedOn', dto.receivedOn, paidOn);
    assertFundOf(principal, region);
    const input = contributionInput(randomUUID(), dto);
    return this.dataSource.transaction(async (m) => {
      const locked = await this.ledger.lock(m, region);
      await holdIdempotencyKey(m, idempotency);
      const queue = await this.claims.payableQueue(m, region, locked.balances.balance.add(input.amount));
      const op = receiveContribution(locked.balances, input, queue, paidOn);
      if (!op.ok) throw fundProblemError(op.problem);
      await this.operations.commit(m, {
        fund: op.fund,
        lastApprovalSequence: locked.lastApprovalSequence,
        entries: op.entries,
        claims: op.paid,
        events: op.events,
      });
      const result = Object.assign(new ContributionResultDto(), {
        id: input.contributionId,
        region,
        amount: input.amount.toString(),
        receivedOn: input.receivedOn,
        paidClaims: op.paid.map((c) => c.id),
        fund: FundSummaryDto.from(await this.ledger.summary(region, m)),
      });
      await recordIdempotentResult(m, idempotency, result);
      return result;
    });
  }

  async summary(principal: Principal, region: string): Promise<FundSummaryDto> {
    assertMayReadFund(principal, region);
    return FundSummaryDto.from(await this.ledger.summary(region));
  }
}
