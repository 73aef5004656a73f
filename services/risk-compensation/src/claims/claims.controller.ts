import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Idempotent, IdempotencyOf, ProblemDto, Roles, type IdempotentRequest, type Principal } from '@ipfin/http';
import { ClaimsService } from './claims.service';
import { ClaimDto } from './dto/claim.dto';
import { ClaimPageDto, RecoveryResultDto } from './dto/claim-results.dto';
import { ClaimsQueryDto } from './dto/claims-query.dto';
import { CoverageDto } from './dto/coverage.dto';
import { FileClaimDto } from './dto/file-claim.dto';
import { RecoveryDto } from './dto/recovery.dto';
import { RejectClaimDto } from './dto/reject-claim.dto';

const CLAIM_ID = { name: 'id', description: 'Claim id (UUID)' };

@ApiTags('claims')
@ApiBearerAuth()
@Controller('v1/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post()
  @Roles('bank')
  @Idempotent()
  @ApiOperation({
    summary: 'File a claim for a covered, defaulted loan of yours',
    description:
      'principalLoss ≤ the loss the loan events reported; defaultedOn = the first default they report; within the policy claim window ' +
      '(counted to today in Asia/Shanghai). One claim per loan unless rejected: after a rejection a new claim may be filed.',
  })
  @ApiCreatedResponse({ type: ClaimDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`unknown-loan`' })
  @ApiConflictResponse({ type: ProblemDto, description: '`claim-already-open`' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description:
      '`loan-not-covered`, `loan-not-defaulted`, `default-date-mismatch`, `claim-before-default`, `claim-window-closed`, `claim-amount-not-positive`, `claim-exceeds-reported-loss`',
  })
  file(@CurrentPrincipal() principal: Principal, @Body() dto: FileClaimDto, @IdempotencyOf() idempotency: IdempotentRequest | undefined) {
    return this.claims.file(principal, dto, idempotency);
  }

  @Get()
  @Roles('bank', 'fund')
  @ApiOperation({ summary: "Claims in filing order: a bank's own, a fund manager's region's; `{ items, nextCursor }`" })
  @ApiOkResponse({ type: ClaimPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ClaimsQueryDto) {
    return this.claims.list(principal, query);
  }

  @Get('coverage/:bankSub/:loanRef')
  @Roles('bank', 'fund')
  @ApiOperation({
    summary: 'Whether a loan is covered, and every reason why not',
    description: 'A bank asks about its own loans (another bank → 403); a fund manager about loans its fund judged (others → 404).',
  })
  @ApiParam({ name: 'bankSub', example: 'bank-icbc-zz' })
  @ApiParam({ name: 'loanRef', example: 'ZZ-2024-000123' })
  @ApiOkResponse({ type: CoverageDto })
  @ApiForbiddenResponse({ type: ProblemDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`loan-not-found`' })
  coverage(@CurrentPrincipal() principal: Principal, @Param('bankSub') bankSub: string, @Param('loanRef') loanRef: string) {
    return this.claims.coverage(principal, bankSub, loanRef);
  }

  @Get(':id')
  @Roles('bank', 'fund')
  @ApiOperation({ summary: "A claim (its bank; the fund manager of its region); anyone else's → 404" })
  @ApiParam(CLAIM_ID)
  @ApiOkResponse({ type: ClaimDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`claim-not-found`' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.claims.get(principal, id);
  }

  @Post(':id/approve')
  @Roles('fund')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: "Approve a filed claim (fund manager of the claim's region)",
    description:
      'Fixes fundShare = min(half-up(loss × percent / 100), perLoanCap) and bankShare = loss − fundShare under the covering policy version, ' +
      'queues the claim (`waiting`) and pays it — and any claim before it — as far as the balance covers, strictly in approval order. ' +
      'The claim is checked again against the loan events as they stand: still covered by the same policy version, still defaulted, ' +
      "first default still on the claim's `defaultedOn`, loss still reported. A waiting claim whose loss the loan events later withdraw " +
      '(default or registration reversed, reported loss below the claim) is rejected by the service and never paid.',
  })
  @ApiParam(CLAIM_ID)
  @ApiOkResponse({ type: ClaimDto, description: 'The claim, `waiting` or already `paid`' })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`claim-not-found` (also for claims of another region)' })
  @ApiConflictResponse({ type: ProblemDto, description: '`claim-not-filed`' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`loan-not-covered`, `loan-not-defaulted`, `default-date-mismatch`, `claim-exceeds-reported-loss` (the loan changed since filing)' })
  approve(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @IdempotencyOf() idempotency: IdempotentRequest | undefined) {
    return this.claims.approve(principal, id, idempotency);
  }

  @Post(':id/reject')
  @Roles('fund')
  @Idempotent()
  @HttpCode(200)
  @ApiOperation({
    summary: "Reject a filed claim with a reason (fund manager of the claim's region); the bank may file again",
    description:
      'Only a `filed` claim: once approved the fund owes the money. A `waiting` claim is rejected only by the service itself, when the ' +
      'loan events withdraw its loss (reason `default-reversed: …`, `claim-exceeds-reported-loss: …` or `registration-reversed: …`).',
  })
  @ApiParam(CLAIM_ID)
  @ApiOkResponse({ type: ClaimDto })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`claim-not-found`' })
  @ApiConflictResponse({ type: ProblemDto, description: '`claim-not-filed`' })
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RejectClaimDto,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ) {
    return this.claims.reject(principal, id, dto.reason, idempotency);
  }

  @Post(':id/recoveries')
  @Roles('bank')
  @Idempotent()
  @ApiOperation({
    summary: 'Record money recovered from the pledged IP after payout (the claim’s bank)',
    description:
      "The fund's part (half-up at the claim's percent, at most what the fund still has at stake) returns to the fund and may pay waiting claims; the rest stays with the bank. " +
      '`recoveredOn` may not be after today (Asia/Shanghai). With an Idempotency-Key the result is recorded in the same transaction as the recovery, so a retry never shares it twice.',
  })
  @ApiParam(CLAIM_ID)
  @ApiCreatedResponse({ type: RecoveryResultDto })
  @ApiBadRequestResponse({ type: ProblemDto, description: '`validation`: a malformed field, or `recoveredOn` after today (Asia/Shanghai)' })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`claim-not-found`' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: '`claim-not-paid`, `recovery-not-positive`, `recovery-before-payout`' })
  recover(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() dto: RecoveryDto,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ) {
    return this.claims.recover(principal, id, dto, idempotency);
  }
}
