import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  RISK_EVENT_TYPES,
  type BorrowerSize,
  type EventReversedV1,
  type LoanEventType,
  type LoanRegisteredV1,
} from '@ipfin/contracts';
import { Money, makeUscc } from '@ipfin/kernel';
import { emptyFund, type FundBalances } from '../../../funds/domain/fund-ledger';
import { parseFundPolicy, type FundPolicy, type FundPolicyInput } from '../../../funds/domain/fund-policy';
import { ZHANGZHOU_POLICY, ZHANGZHOU_POLICY_INPUT } from '../../../funds/domain/fund-policy.seeds';
import type { RiskEvent } from '../../../funds/domain/risk-event';
import {
  approveClaim,
  fileClaim,
  nextApprovalSequence,
  type Claim,
  type FiledClaim,
  type WaitingClaim,
} from '../claim';
import { receiveContribution, settleFund } from '../claim-payout';
import { applyLoanEvent, type CoveredLoan, type LoanEventMessage } from '../covered-loan';

/*
 * Realistic fixtures for the scenario specs: Zhangzhou (350600) and its counties, Huancui District
 * of Weihai (371002), banks by their `sub`, borrowers with valid USCCs.
 */

export const yuan = (text: string): Money => Money.parse(text);

/** Zhangzhou's seeded policy: 80 %, SMEs, 2024-02-02 … 2029-02-01. */
export const ZZ = ZHANGZHOU_POLICY;

export function policy(region: string, input: FundPolicyInput): FundPolicy {
  const parsed = parseFundPolicy(region, input);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return parsed.policy;
}

/** Zhangzhou's seed with extra terms, e.g. a claim window the fund manager added. */
export const zhangzhouWith = (extra: Partial<FundPolicyInput>): FundPolicy =>
  policy('350600', { ...ZHANGZHOU_POLICY_INPUT, ...extra });

/**
 * Huancui, Weihai (371002), first year of the pilot: province 40 % + city 20 % = fund 60 %, bank 40 %,
 * at most ¥1 000 000 per loan, claims within 10 working days.
 */
export const WEIHAI_FIRST_YEAR: FundPolicy = policy('371002', {
  effectiveFrom: '2024-02-20',
  effectiveTo: '2025-02-19',
  fundSharePercent: '60',
  cooperatingBanks: ['bank-icbc-wh', 'bank-whccb', 'bank-whrcb'],
  borrowerSizes: ['micro', 'small', 'medium'],
  perLoanCap: '1000000.00',
  claimWindowDays: 10,
  claimWindowUnit: 'working',
});

/** From the second year the per-loan cap no longer applies. */
export const WEIHAI_LATER: FundPolicy = policy('371002', {
  effectiveFrom: '2025-02-20',
  fundSharePercent: '60',
  cooperatingBanks: ['bank-icbc-wh', 'bank-whccb', 'bank-whrcb'],
  borrowerSizes: ['micro', 'small', 'medium'],
  claimWindowDays: 10,
  claimWindowUnit: 'working',
});

/** A borrower registered in `region`, with a valid USCC (`91` + region + 9 characters + check). */
export function borrower(
  region: string,
  serial: string,
  size: BorrowerSize = 'small',
  name = '漳州市芯创电子科技有限公司',
): LoanRegisteredV1['borrower'] {
  return { uscc: makeUscc(`91${region}${serial}`), name, size, regionCode: region };
}

interface LoanRef {
  readonly bank: string;
  readonly loanRef: string;
}

let sequence = 0;
const meta = (ref: LoanRef, eventId: string, occurredOn: string) => ({
  bank: ref.bank,
  loanRef: ref.loanRef,
  eventId,
  sequence: ++sequence,
  occurredOn,
  recordedAt: `${occurredOn}T10:00:00+08:00`,
});

export interface RegistrationSpec extends LoanRef {
  readonly borrower: LoanRegisteredV1['borrower'];
  readonly principal: string;
  readonly occurredOn: string;
  readonly termMonths?: number;
  readonly eventId?: string;
}

export function registered(spec: RegistrationSpec): LoanEventMessage & { type: 'LoanRegistered' } {
  return {
    type: 'LoanRegistered',
    data: {
      ...meta(spec, spec.eventId ?? `${spec.loanRef}-reg`, spec.occurredOn),
      borrower: spec.borrower,
      principal: spec.principal,
      annualRate: '0.0385',
      termMonths: spec.termMonths ?? 24,
      inclusive: true,
      pledge: {
        registrationNo: `Y${spec.occurredOn.replace(/-/g, '')}${spec.loanRef.replace(/\D/g, '').slice(-6)}`,
        registeredOn: spec.occurredOn,
        appraisedValue: spec.principal,
        rights: [{ kind: 'patent', number: '202310123456.6', title: '一种功率半导体封装结构' }],
      },
    },
  };
}

export const disbursed = (ref: LoanRef, eventId: string, occurredOn: string, amount: string): LoanEventMessage => ({
  type: 'LoanDisbursed',
  data: { ...meta(ref, eventId, occurredOn), amount },
});

export const repaid = (
  ref: LoanRef,
  eventId: string,
  occurredOn: string,
  principal: string,
  interest = '0.00',
): LoanEventMessage => ({
  type: 'RepaymentReceived',
  data: { ...meta(ref, eventId, occurredOn), principal, interest },
});

export const defaulted = (
  ref: LoanRef,
  eventId: string,
  occurredOn: string,
  principalLoss: string,
): LoanEventMessage => ({
  type: 'LoanDefaulted',
  data: { ...meta(ref, eventId, occurredOn), principalLoss },
});

export const settled = (ref: LoanRef, eventId: string, occurredOn: string): LoanEventMessage => ({
  type: 'LoanSettled',
  data: meta(ref, eventId, occurredOn),
});

/** An `EventReversed` that undoes `original`, carrying its type and payload as pledge-loans does. */
export function reversal(original: LoanEventMessage, eventId: string, occurredOn: string): LoanEventMessage {
  if (original.type === 'EventReversed') throw new Error('A reversal cannot be reversed');
  const reversedType: Exclude<LoanEventType, 'EventReversed'> = original.type;
  const data: EventReversedV1 = {
    ...meta(original.data, eventId, occurredOn),
    reversedEventId: original.data.eventId,
    reversedType,
    reversed: { ...original.data },
  };
  return { type: 'EventReversed', data };
}

export interface Folded {
  readonly loan: CoveredLoan | null;
  readonly events: readonly RiskEvent[];
}

/** Folds loan events into the fund's view, collecting the risk events published. */
export function foldLoan(
  messages: readonly LoanEventMessage[],
  policies: readonly FundPolicy[],
  start: CoveredLoan | null = null,
): Folded {
  let loan = start;
  const events: RiskEvent[] = [];
  for (const message of messages) {
    const step = applyLoanEvent(loan, message, policies);
    loan = step.loan;
    events.push(...step.events);
  }
  return { loan, events };
}

/** The loan's view, failing the test when the loan is unknown. */
export function known(folded: Folded): CoveredLoan {
  if (folded.loan === null) throw new Error('expected a known loan');
  return folded.loan;
}

/**
 * A defaulted loan of `bank` in `region`'s county: registered, disbursed in full, defaulted with
 * `loss` on `defaultedOn`.
 */
export function defaultedLoan(args: {
  bank: string;
  loanRef: string;
  borrower: LoanRegisteredV1['borrower'];
  principal: string;
  registeredOn: string;
  disbursedOn: string;
  loss: string;
  defaultedOn: string;
  policies: readonly FundPolicy[];
}): CoveredLoan {
  const ref = { bank: args.bank, loanRef: args.loanRef };
  return known(
    foldLoan(
      [
        registered({ ...ref, borrower: args.borrower, principal: args.principal, occurredOn: args.registeredOn }),
        disbursed(ref, `${args.loanRef}-d1`, args.disbursedOn, args.principal),
        defaulted(ref, `${args.loanRef}-def1`, args.defaultedOn, args.loss),
      ],
      args.policies,
    ),
  );
}

export function mustFile(
  loan: CoveredLoan,
  principalLoss: string,
  filedOn: string,
  policies: readonly FundPolicy[],
  existing: readonly Claim[] = [],
  claimId = `claim-${loan.loanRef}`,
): FiledClaim {
  const covering = policies.find((p) => p.region === loan.region && p.effectiveFrom === loan.policyVersion) ?? null;
  const filing = fileClaim(
    loan,
    { loanRef: loan.loanRef, principalLoss: yuan(principalLoss), defaultedOn: loan.defaultedOn ?? '' },
    { claimId, bank: loan.bank, filedOn },
    existing,
    covering,
  );
  if (!filing.ok) throw new Error(filing.problems.map((p) => `${p.code}: ${p.detail}`).join('\n'));
  return filing.claim;
}

export function mustApprove(
  claim: Claim,
  loan: CoveredLoan,
  policies: readonly FundPolicy[],
  approvedOn: string,
  regionClaims: readonly Claim[],
): WaitingClaim {
  const covering = policies.find((p) => p.region === claim.region && p.effectiveFrom === claim.policyVersion);
  if (covering === undefined) throw new Error(`no policy ${claim.region}@${claim.policyVersion}`);
  const approval = approveClaim(
    claim,
    covering,
    { approvedOn, approvalSequence: nextApprovalSequence(regionClaims) },
    loan,
  );
  if (!approval.ok) throw new Error(approval.problems.map((p) => `${p.code}: ${p.detail}`).join('\n'));
  return approval.claim;
}

/** A fund of `region` holding `capital`, contributed on `receivedOn`. */
export function fundWith(region: string, capital: string, receivedOn = '2024-02-05'): FundBalances {
  const result = receiveContribution(
    emptyFund(region),
    { contributionId: `${region}-seed-capital`, amount: yuan(capital), receivedOn },
    [],
    receivedOn,
  );
  if (!result.ok) throw new Error(result.problem.detail);
  return result.fund;
}

export { settleFund };

const PAYLOAD_BY_NAME = new Map<string, new () => object>(RISK_EVENT_TYPES.map((t) => [t.name, t.payload]));

/** Validation errors of each event against its contract class (empty when all are valid). */
export function contractErrors(events: readonly RiskEvent[]): string[] {
  return events.flatMap((event) => {
    const payload = PAYLOAD_BY_NAME.get(event.type);
    if (payload === undefined) return [`${event.type}: not in RISK_EVENT_TYPES`];
    const errors = validateSync(plainToInstance(payload, JSON.parse(JSON.stringify(event.data)) as object), {
      forbidUnknownValues: false,
    });
    const keyError =
      event.key === event.data.region
        ? []
        : [`${event.type}: key ${event.key} is not the fund region ${event.data.region}`];
    return [
      ...keyError,
      ...errors.map((e) => `${event.type}.${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`),
    ];
  });
}
