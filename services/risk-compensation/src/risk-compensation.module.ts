import { Module } from '@nestjs/common';
import { ClaimRepository } from './claims/claim.repository';
import { ClaimsController } from './claims/claims.controller';
import { ClaimsService } from './claims/claims.service';
import { CoveredLoanRepository } from './claims/covered-loan.repository';
import { LoanEventsConsumer } from './claims/loan-events.consumer';
import { FundLedgerRepository } from './funds/fund-ledger.repository';
import { FundOperations } from './funds/fund-operations';
import { FundsController } from './funds/funds.controller';
import { FundsService } from './funds/funds.service';
import { PolicySeeder } from './funds/policy-seeder';
import { PolicyRepository } from './funds/policy.repository';
import { PolicyService } from './funds/policy.service';

/**
 * Funds (policy, capital, ledger) and claims (coverage view, claims, payouts, recoveries) share
 * one fund ledger and one payout queue, so they are one Nest module; the code is split by feature.
 */
@Module({
  controllers: [FundsController, ClaimsController],
  providers: [
    PolicyRepository,
    FundLedgerRepository,
    ClaimRepository,
    CoveredLoanRepository,
    FundOperations,
    PolicyService,
    PolicySeeder,
    FundsService,
    ClaimsService,
    LoanEventsConsumer,
  ],
  exports: [PolicyService, FundsService, ClaimsService, LoanEventsConsumer],
})
export class RiskCompensationModule {}
