import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK } from '@ipfin/http';
import type { Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { ClaimRepository } from '../claims/claim.repository';
import type { Claim } from '../claims/domain/claim';
import { riskOutboxMessages } from '../common/risk-outbox';
import type { FundBalances, LedgerEntry } from './domain/fund-ledger';
import type { RiskEvent } from './domain/risk-event';
import { FundLedgerRepository } from './fund-ledger.repository';

/** What one fund operation changed, as the pure domain returned it. */
export interface FundChange {
  /** The fund's balances after `entries`; absent when the ledger did not move. */
  readonly fund?: FundBalances;
  readonly lastApprovalSequence: number;
  readonly entries: readonly LedgerEntry[];
  /** Claims created or changed (filed, approved, paid, rejected, recovered). */
  readonly claims: readonly Claim[];
  readonly events: readonly RiskEvent[];
}

/**
 * Writes a fund operation inside the transaction that holds the fund row lock: the claims (one
 * statement), the ledger entries and balances (two), and the events on `ipfin.risk.v1` (one outbox
 * insert) — all or nothing.
 */
@Injectable()
export class FundOperations {
  constructor(
    private readonly claims: ClaimRepository,
    private readonly ledger: FundLedgerRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async commit(m: EntityManager, change: FundChange): Promise<void> {
    await this.claims.save(m, change.claims);
    if (change.fund !== undefined) await this.ledger.post(m, change.fund, change.lastApprovalSequence, change.entries);
    if (change.events.length > 0) await this.outbox.enqueue(m, riskOutboxMessages(change.events, this.clock.now()));
  }
}
