import type { ConsumedEvent } from '@ipfin/messaging';
import type { EntityManager } from 'typeorm';
import type { CoveredLoanRepository } from '../claims/covered-loan.repository';
import type { FixedTerms } from '../claims/domain/covered-loan';
import { foldCoverageBatch, saveCoverageBatch } from '../claims/loan-events.consumer';
import type { PolicyRepository } from '../funds/policy.repository';

/**
 * The coverage view's fold as a rebuild runs it: the service consumer's own fold
 * (`foldCoverageBatch` → `applyLoanEvent`, then `saveCoverageBatch`) and nothing else. It has no
 * outbox, no claims, no fund rows: the `LoanCovered` the fold computes are dropped (downstream has
 * them already; new `ce_id`s would be new events to it) and no waiting claim is withdrawn (claims
 * are owned state, and were withdrawn when the reversal first arrived). Registrations take the
 * coverage their approved or paid claim fixed (`fixedTerms`), as policy changes left them.
 */
export class CoverageReplay {
  constructor(
    private readonly loans: CoveredLoanRepository,
    private readonly policies: PolicyRepository,
    private readonly fixedTerms: FixedTerms,
  ) {}

  async handle(events: readonly ConsumedEvent[], manager: EntityManager): Promise<void> {
    const batch = await foldCoverageBatch(events, manager, { loans: this.loans, policies: this.policies }, this.fixedTerms);
    if (batch !== null) await saveCoverageBatch(manager, this.loans, batch);
  }
}
