import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentPrincipal, Idempotent, ProblemDto, Public, Roles, type Principal } from '@ipfin/http';
import { PATENT_PROBLEMS, type PatentProblemCode } from './domain';
import {
  DeclareOpenLicenceDto,
  ListPatentItemDto,
  RecordLicenceDto,
  SearchPatentsQueryDto,
  TakeOpenLicenceDto,
  TransferPatentDto,
  WithdrawOpenLicenceQueryDto,
} from './dto';
import { ListingsService } from './listings.service';
import { PatentCommandsService } from './patent-commands.service';
import { PatentQueriesService } from './patent-queries.service';
import {
  LicenceResponse, ListingBatchResponse, OpenLicenceResult, PatentDetailResponse, PatentPageResponse, TransferResponse,
} from './patent-responses';

const problems = (...codes: PatentProblemCode[]): string =>
  codes.map((c) => `\`${c}\` — ${PATENT_PROBLEMS[c].title}`).join('; ');

const NUMBER_PARAM = {
  name: 'number',
  description: 'Patent application number in any usual form (`ZL202310123456.6`, `2023 1012 3456.6`); normalised to YYYYTNNNNNNN.C',
  example: '202310123456.6',
};

const OWNER_REFUSALS = 'Not listed: 404 `patent-not-found`. Not the current owner: 403 `not-owner`.';

@ApiTags('patents')
@ApiExtraModels(ListPatentItemDto)
@Controller('v1/patents')
export class PatentsController {
  constructor(
    private readonly listings: ListingsService,
    private readonly commands: PatentCommandsService,
    private readonly queries: PatentQueriesService,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('university', 'enterprise')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'List 1…1000 patents owned by the caller (re-listing a number you own updates it); a result per item',
    description:
      'Applied in request order in one transaction. A refused item (400 invalid field, 409 `patent-owned-by-another`) does not stop the others. ' +
      'Statuses: `listed` (new), `updated` (re-listed with changes), `unchanged` (re-listed as is: nothing published), `rejected` (with `problem`).',
  })
  @ApiBody({ schema: { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: getSchemaPath(ListPatentItemDto) } } })
  @ApiOkResponse({ type: ListingBatchResponse, description: 'A result per item, in request order' })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'The body is not a JSON array of 1…1000 objects' })
  list(@CurrentPrincipal() principal: Principal, @Body() body: unknown) {
    return this.listings.post(principal, body);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search the public catalogue (no token needed)',
    security: [],
    description:
      '`q` matches title, abstract and keywords, Chinese included, by substring: every term must match (`光伏 组件` = both). ' +
      'Ranked in tiers: exact title first, then titles containing every term, then listings matching only across title, abstract and keywords together; ' +
      'within each tier the newest application first (application year, then serial number, descending). Without `q`, newest application first. ' +
      '`available=true`: valid, not pledged, no exclusive licence running today (a sole or ordinary licence leaves a patent available); `openLicence=true`: an open licence in force today.',
  })
  @ApiOkResponse({ type: PatentPageResponse })
  @ApiBadRequestResponse({ type: ProblemDto, description: 'A malformed filter, or a cursor not issued for this search' })
  search(@Query() query: SearchPatentsQueryDto) {
    return this.queries.search(query);
  }

  @Get(':number')
  @Public()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'One patent: listing, current owner, pledge state, licences, open-licence terms, transfer history (no token needed)', security: [] })
  @ApiOkResponse({ type: PatentDetailResponse })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  get(@Param('number') number: string) {
    return this.queries.get(number);
  }

  @Post(':number/transfers')
  @HttpCode(201)
  @Roles('university', 'enterprise')
  @Idempotent()
  @ApiBearerAuth()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'The owner transfers the patent: ownership moves to the assignee' })
  @ApiCreatedResponse({ type: TransferResponse, description: 'The transfer (id `<number>-T<n>`), with the new owner as `assignee`' })
  @ApiForbiddenResponse({ type: ProblemDto, description: OWNER_REFUSALS })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'Idempotency-Key reused with another body' })
  @ApiUnprocessableEntityResponse({
    type: ProblemDto,
    description: problems('patent-pledged', 'patent-lapsed', 'transfer-to-owner', 'transfer-out-of-order'),
  })
  transfer(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Body() dto: TransferPatentDto) {
    return this.commands.transfer(principal, number, dto);
  }

  @Post(':number/licences')
  @HttpCode(201)
  @Roles('university', 'enterprise')
  @Idempotent()
  @ApiBearerAuth()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'The owner records a licence contract (exclusive, sole or ordinary)' })
  @ApiCreatedResponse({ type: LicenceResponse, description: 'The licence (id `<number>-L<n>`)' })
  @ApiForbiddenResponse({ type: ProblemDto, description: OWNER_REFUSALS })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'Idempotency-Key reused with another body' })
  @ApiUnprocessableEntityResponse({
    description: problems('patent-pledged', 'open-licence-declared', 'licence-conflict', 'licence-outlasts-patent', 'patent-lapsed'),
  })
  recordLicence(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Body() dto: RecordLicenceDto) {
    return this.commands.recordLicence(principal, number, dto);
  }

  @Put(':number/open-licence')
  @Roles('university', 'enterprise')
  @ApiBearerAuth()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({
    summary: 'The owner declares an open licence (开放许可): anyone may take an ordinary licence on these terms',
    description: 'Repeating the same declaration answers it again and changes nothing.',
  })
  @ApiOkResponse({ type: OpenLicenceResult, description: 'The declaration with `expiresOn`, `lastDay` and `inForce`' })
  @ApiForbiddenResponse({ type: ProblemDto, description: OWNER_REFUSALS })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  @ApiUnprocessableEntityResponse({
    description: problems(
      'exclusive-licence-in-force', 'patent-pledged', 'open-licence-already-declared', 'open-licence-term-too-short',
      'evaluation-report-required', 'licence-outlasts-patent', 'patent-lapsed',
    ),
  })
  declareOpenLicence(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Body() dto: DeclareOpenLicenceDto) {
    return this.commands.declareOpenLicence(principal, number, dto);
  }

  @Delete(':number/open-licence')
  @Roles('university', 'enterprise')
  @ApiBearerAuth()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({
    summary: 'The owner withdraws the open licence from `withdrawnOn` (default today); licences already taken stay',
    description: 'Withdrawing again from the same day answers the withdrawn declaration and changes nothing.',
  })
  @ApiOkResponse({ type: OpenLicenceResult, description: 'The withdrawn declaration' })
  @ApiForbiddenResponse({ type: ProblemDto, description: OWNER_REFUSALS })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: problems('open-licence-not-declared', 'withdrawal-predates-taking') })
  withdrawOpenLicence(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Query() query: WithdrawOpenLicenceQueryDto) {
    return this.commands.withdrawOpenLicence(principal, number, query);
  }

  @Post(':number/open-licence/takers')
  @HttpCode(201)
  @Roles('enterprise')
  @Idempotent()
  @ApiBearerAuth()
  @ApiParam(NUMBER_PARAM)
  @ApiOperation({ summary: 'An enterprise takes an ordinary licence on the declared terms, to the declaration’s expiry' })
  @ApiCreatedResponse({ type: LicenceResponse, description: 'The licence taken (id `<number>-L<n>`, `viaOpenLicence: true`)' })
  @ApiForbiddenResponse({
    type: ProblemDto,
    description: '`enterprise-identity-missing` — your token has no `uscc` claim; `not-licensee` — licensee.uscc is not the USCC of your token',
  })
  @ApiNotFoundResponse({ type: ProblemDto, description: '`patent-not-found`' })
  @ApiConflictResponse({ type: ProblemDto, description: 'Idempotency-Key reused with another body' })
  @ApiUnprocessableEntityResponse({ type: ProblemDto, description: problems('open-licence-not-declared', 'already-licensed', 'licence-conflict', 'patent-lapsed') })
  takeOpenLicence(@CurrentPrincipal() principal: Principal, @Param('number') number: string, @Body() dto: TakeOpenLicenceDto) {
    return this.commands.takeOpenLicence(principal, number, dto);
  }
}
