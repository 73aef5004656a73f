import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ipfin/http';
import { GetLoanQueryDto, ListLoansQueryDto } from './dto/list-loans-query.dto';
import { LOAN_EVENTS_BODY_SCHEMA, LOAN_EVENTS_RESPONSE_SCHEMA } from './loan-events.openapi';
import { LoanEventsService } from './loan-events.service';
import { LoansService } from './loans.service';

@ApiTags('loans')
@ApiBearerAuth()
@Controller('v1')
export class LoansController {
  constructor(private readonly events: LoanEventsService, private readonly loans: LoansService) {}

  @Post('loan-events')
  @HttpCode(200)
  @Roles('bank')
  @ApiOperation({ summary: 'Report 1…1000 loan events, applied in order; a result per event' })
  @ApiBody({ description: '1…1000 events, applied in order', schema: LOAN_EVENTS_BODY_SCHEMA })
  @ApiOkResponse({ description: 'A result per event, in request order', schema: LOAN_EVENTS_RESPONSE_SCHEMA })
  postEvents(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.events.post(principal.sub, body);
  }

  @Get('loans/:loanRef')
  @Roles('bank', 'regulator', 'admin')
  @ApiOperation({ summary: 'A loan with balances, pledge and event history (bank: its own; regulator: its region)' })
  getLoan(@CurrentPrincipal() principal: Principal, @Param('loanRef') loanRef: string, @Query() q: GetLoanQueryDto) {
    return this.loans.get(principal, loanRef, q.bank);
  }

  @Get('loans')
  @Roles('bank', 'regulator', 'admin')
  @ApiOperation({ summary: "The caller's loans (regulator: its region's), paginated" })
  listLoans(@CurrentPrincipal() principal: Principal, @Query() q: ListLoansQueryDto) {
    return this.loans.list(principal, q);
  }
}
