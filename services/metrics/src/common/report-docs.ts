/**
 * OpenAPI shapes of the metrics answers (documentation only: the services return plain objects
 * of the same shape). Money is a decimal string with two places, ratios four places.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const MONEY = { type: String, example: '1250000.00', description: 'CNY, exactly two decimals' };

/** Response headers of an `Accept: text/csv` answer (`respond`): what the JSON says beside its rows. */
export const CSV_HEADERS = {
  'Ipfin-As-Of': { description: 'text/csv only: the answer\'s asOf (empty before anything is folded)', schema: { type: 'string' } },
  'Ipfin-Lag-Events': { description: 'text/csv only: the answer\'s lagEvents', schema: { type: 'integer' } },
} as const;

/** `CSV_HEADERS` and, for a paged answer, the link to its next page. */
export const CSV_PAGE_HEADERS = {
  ...CSV_HEADERS,
  Link: { description: 'text/csv only: `<path?…&cursor=…>; rel="next"` while there is a next page', schema: { type: 'string' } },
} as const;

class ReportBase {
  @ApiProperty({ type: String, nullable: true, example: '350600', description: 'Region asked for (null: all, admin only)' }) region!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ce_time of the newest event folded in (RFC 3339)' }) asOf!: string | null;
  @ApiProperty({ description: 'Events published but not yet folded in' }) lagEvents!: number;
}

/**
 * What `defaults` counts, on both financing and banks: pledge-loans lets a loan default several
 * times (losses add up), so it is loans, not `LoanDefaulted` events.
 */
const DEFAULTS = {
  type: Number,
  example: 1,
  description: 'Defaulted loans: each loan once, in the period (and row) of its earliest default not reversed — the date pledge-loans reports as '
    + 'defaultedOn — however often it defaulted; reversing that default moves it to the next earliest one left, or removes it. '
    + 'A later default of the same loan adds its principal loss on its own date but no second default',
};

export class FinancingFiguresDto {
  @ApiProperty({ description: 'Loans registered in the period' }) loans!: number;
  @ApiProperty({ ...MONEY, description: 'Σ principal of the loans registered in the period' }) contracted!: string;
  @ApiProperty({ ...MONEY, description: 'Σ tranches disbursed in the period' }) disbursed!: string;
  @ApiProperty({ ...MONEY, description: 'Disbursed − repaid principal − principal loss, over all events up to `to` (in a period row: up to the row\'s end, or `to` if earlier)' }) outstanding!: string;
  @ApiProperty({ description: 'Distinct micro/small/medium borrowers with a loan registered in the period (totals: distinct across all rows)' }) smesServed!: number;
  @ApiProperty({ ...MONEY, description: 'Contracted principal of the loans pledging at least one patent' }) patentPledged!: string;
  @ApiProperty({ ...MONEY, description: 'Contracted principal of the loans pledging trademarks only' }) trademarkPledged!: string;
  @ApiProperty(DEFAULTS) defaults!: number;
  @ApiProperty({ ...MONEY, description: 'Σ principal losses declared in the period, every default on its own date' }) principalLoss!: string;
}

export class FinancingRowDto extends FinancingFiguresDto {
  @ApiProperty({ example: '2024-Q1', description: 'The period (2024, 2024-Q1, 2024-03), the bank\'s sub, patent / trademark, the borrower\'s 6-digit region code or its size' }) key!: string;
}

export class FinancingReportDto extends ReportBase {
  @ApiProperty({ type: String, nullable: true, example: '2024-01-01', description: 'First business date included (null: from the beginning)' }) from!: string | null;
  @ApiProperty({ example: '2024-12-31', description: 'Last business date included' }) to!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['year', 'quarter', 'month', 'bank', 'rightKind', 'region', 'borrowerSize'] }) groupBy!: string | null;
  @ApiProperty({ type: FinancingFiguresDto }) totals!: FinancingFiguresDto;
  @ApiProperty({ type: [FinancingRowDto] }) rows!: FinancingRowDto[];
}

export class BankRowDto {
  @ApiProperty({ example: 'bank-icbc-zz' }) bank!: string;
  @ApiProperty({ description: 'Distinct micro/small/medium borrowers with a loan registered in the year' }) smesServed!: number;
  @ApiProperty(MONEY) contracted!: string;
  @ApiProperty() loans!: number;
  @ApiProperty() inclusiveLoans!: number;
  @ApiProperty({ ...DEFAULTS, description: `${DEFAULTS.description}. The bank's loans defaulted in the year` }) defaults!: number;
  @ApiProperty({ example: '0.0125', description: 'Principal loss declared in the year (every default on its own date) ÷ contracted in the year' }) defaultRate!: string;
}

export class BanksReportDto extends ReportBase {
  @ApiProperty() year!: number;
  @ApiProperty({ type: [BankRowDto] }) rows!: BankRowDto[];
}

export class ClaimCountsDto {
  @ApiProperty() filed!: number;
  @ApiProperty() waiting!: number;
  @ApiProperty() paid!: number;
  @ApiProperty() rejected!: number;
}

export class RiskFundReportDto extends ReportBase {
  @ApiProperty({ ...MONEY, description: 'Σ contributions received up to the period\'s last day (receivedOn ≤ to, from the beginning)' }) capital!: string;
  @ApiProperty({ ...MONEY, description: 'Σ fund shares paid up to the period\'s last day (paidOn ≤ to)' }) paidOut!: string;
  @ApiProperty({ ...MONEY, description: 'Σ bank shares of approved and paid claims up to the period\'s last day (approvedOn ≤ to)' }) bankShare!: string;
  @ApiProperty({ ...MONEY, description: "Σ the fund's parts of recoveries up to the period's last day (recoveredOn ≤ to)" }) recoveredToFund!: string;
  @ApiProperty({ ...MONEY, description: "The balance at the period's last day: capital − paidOut + recoveredToFund (a stock, never below zero)" }) balance!: string;
  @ApiProperty({ type: ClaimCountsDto, description: 'Claims filed in the period, by their current status' }) claims!: ClaimCountsDto;
  @ApiProperty({ description: 'Covered loans registered in the period' }) coveredLoans!: number;
  @ApiProperty({ example: '0.0310', description: 'Principal loss (declared in the period) ÷ contracted (registered in the period), both over covered loans' }) lossRate!: string;
}

export class LicenceCountsDto {
  @ApiProperty() exclusive!: number;
  @ApiProperty() sole!: number;
  @ApiProperty() ordinary!: number;
}

export class UniversityRewardDto {
  @ApiProperty({ example: 'univ-xmu' }) sub!: string;
  @ApiProperty() inventionTransfersToLocalEnterprises!: number;
  @ApiProperty(MONEY) reward!: string;
}

export class TransfersReportDto extends ReportBase {
  @ApiProperty({ type: Number, nullable: true }) year!: number | null;
  @ApiProperty({ description: "Transfers with the assignee in region, by contractDate" }) transfers!: number;
  @ApiProperty({ type: LicenceCountsDto, description: 'Recorded licence contracts (not open-licence takings), licensee in region, by contractDate' }) licences!: LicenceCountsDto;
  @ApiProperty({ description: 'Transfers and licences with recordedOn in the period' }) recordedContracts!: number;
  @ApiProperty({ description: "Open-licence declarations (owner's region) by declaredOn" }) openLicencesDeclared!: number;
  @ApiProperty({
    description: "Declarations in force at the period's end (or today, if earlier), in the region of the patent's owner that day: a transfer moves a declaration in force to the assignee's region from its contractDate (the assignee is bound by it); declared and taken figures stay where they happened",
  }) openLicencesInForce!: number;
  @ApiProperty({ description: 'Licences taken under an open licence, by takenOn' }) openLicencesTaken!: number;
  @ApiProperty({ type: [UniversityRewardDto] }) universityRewards!: UniversityRewardDto[];
}

export class ProductRowDto {
  @ApiProperty({ description: "The enterprise's USCC" }) enterprise!: string;
  @ApiProperty() filed!: number;
  @ApiProperty() recognised!: number;
  @ApiProperty(MONEY) reward!: string;
}

export class ProductsReportDto extends ReportBase {
  @ApiProperty({ type: Number, nullable: true }) year!: number | null;
  @ApiProperty({ description: 'by filedOn' }) filed!: number;
  @ApiProperty({ description: 'by recognisedOn (withdrawn recognitions excluded)' }) recognised!: number;
  @ApiProperty({ description: 'by rejectedOn' }) rejected!: number;
  @ApiProperty({ ...MONEY, description: 'Σ rewards, by recognisedOn, adjustments included' }) rewards!: string;
  @ApiProperty({ type: [ProductRowDto] }) rows!: ProductRowDto[];
}

export class AgencyRowDto {
  @ApiProperty({ example: 'agency-zz-ipc' }) agency!: string;
  @ApiProperty({ description: 'Distinct borrowers of inclusive loans registered with this agencyId (any right kind)' }) inclusivePledgeEnterprises!: number;
  @ApiProperty() transfersAndLicences!: number;
  @ApiProperty() productFilings!: number;
  @ApiProperty({ description: 'Per calendar year: ≥ 5 distinct enterprises benefiting from its inclusive *patent* pledges (trademark-only pledges do not count, zhangzhou-2024 §13), ≥ 50 transfers + licences, ≥ 50 product filings' }) subsidyEarned!: boolean;
  @ApiProperty(MONEY) subsidy!: string;
}

export class AgenciesReportDto extends ReportBase {
  @ApiProperty({ type: Number, nullable: true }) year!: number | null;
  @ApiProperty({ type: [AgencyRowDto] }) rows!: AgencyRowDto[];
}

export class TargetDto {
  @ApiProperty({ example: 'nanan-2022-pledge-financing' }) id!: string;
  @ApiProperty({ example: '350583' }) region!: string;
  @ApiProperty({ example: 'pledge-financing-cumulative' }) indicator!: string;
  @ApiProperty({ enum: ['CNY', 'count'] }) unit!: string;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true, description: 'Money string for CNY, a number for counts' }) baseline!: string | number | null;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], description: 'Money string for CNY, a number for counts' }) target!: string | number;
  @ApiProperty({ example: '2024-12-31' }) dueOn!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true, description: 'Live figure (null for an indicator the platform does not measure)' }) actual!: string | number | null;
  @ApiProperty({ type: String, nullable: true, example: '0.4200', description: 'actual ÷ target, 4 places half-up' }) progress!: string | null;
}

export class TargetsPageDto {
  @ApiProperty({ type: [TargetDto] }) items!: TargetDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'ce_time of the newest event folded into the projections the actuals read (RFC 3339)' }) asOf!: string | null;
  @ApiProperty({ description: 'Events published on those topics but not yet folded in' }) lagEvents!: number;
}
