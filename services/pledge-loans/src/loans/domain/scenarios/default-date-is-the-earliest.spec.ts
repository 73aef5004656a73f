import { applyToLoan, type LoanAggregate, type ParsedLoanEvent } from '..';

/*
 * `defaultedOn` is the earliest date among the loan's non-reversed defaults, in whatever order the
 * bank sends them: risk-compensation judges a claim's `defaultedOn` by that date
 * (`default-date-mismatch` otherwise), so the date `GET /v1/loans` shows must be the one to claim with.
 */

const BANK = 'bank-zzrcb';
const LOAN = 'ZZRCB-2025-0042';

const registered: ParsedLoanEvent = {
  eventId: 'reg',
  type: 'LoanRegistered',
  loanRef: LOAN,
  occurredOn: '2025-01-06',
  data: {
    borrower: { uscc: '91350602MA31K8P7X1', name: '漳州芗城闽锐精密机械有限公司', size: 'small', regionCode: '350602' },
    principal: 100_000_000n,
    annualRate: '0.0385',
    termMonths: 24,
    inclusive: true,
    pledge: {
      registrationNo: 'Y2025980100042',
      registeredOn: '2025-01-03',
      appraisedValue: 150_000_000n,
      rights: [{ kind: 'patent', number: '202011456789.3' }],
    },
  },
};
const disbursed: ParsedLoanEvent = {
  eventId: 'd1',
  type: 'LoanDisbursed',
  loanRef: LOAN,
  occurredOn: '2025-01-10',
  data: { amount: 100_000_000n },
};
const defaulted = (eventId: string, occurredOn: string): ParsedLoanEvent => ({
  eventId,
  type: 'LoanDefaulted',
  loanRef: LOAN,
  occurredOn,
  data: { principalLoss: 10_000_000n },
});
const reversal = (eventId: string, reversedEventId: string): ParsedLoanEvent => ({
  eventId,
  type: 'EventReversed',
  loanRef: LOAN,
  occurredOn: '2025-06-01',
  data: { reversedEventId },
});

function apply(...events: ParsedLoanEvent[]): LoanAggregate {
  return events.reduce<LoanAggregate | null>((loan, event, i) => {
    const step = applyToLoan(loan, event, {
      bank: BANK,
      recordedAt: `2025-06-0${(i % 9) + 1}T02:00:00.000Z`,
      contentHash: event.eventId,
    });
    if (!step.ok) throw new Error(`${event.eventId}: ${step.problem.code} ${step.problem.detail}`);
    return step.aggregate;
  }, null)!;
}

describe('scenario: the default date is the earliest default', () => {
  const later = defaulted('x1', '2025-05-01');
  const earlier = defaulted('x2', '2025-04-01');

  it('reports the earlier date when a default dated earlier arrives after a later one', () => {
    const loan = apply(registered, disbursed, later, earlier);

    expect(loan.state).toMatchObject({ status: 'defaulted', defaultedOn: '2025-04-01', principalLoss: 20_000_000n });
  });

  it('keeps the earliest date when later-dated defaults follow', () => {
    expect(apply(registered, disbursed, earlier, later).state?.defaultedOn).toBe('2025-04-01');
  });

  it('after reversing the earliest default, reports the earliest that remains', () => {
    expect(apply(registered, disbursed, later, earlier, reversal('r1', 'x2')).state).toMatchObject({
      status: 'defaulted',
      defaultedOn: '2025-05-01',
      principalLoss: 10_000_000n,
    });
    expect(apply(registered, disbursed, later, earlier, reversal('r1', 'x1')).state?.defaultedOn).toBe('2025-04-01');
  });

  it('has no default date once every default is reversed', () => {
    const loan = apply(registered, disbursed, later, earlier, reversal('r1', 'x1'), reversal('r2', 'x2'));

    expect(loan.state?.status).toBe('disbursed');
    expect(loan.state?.defaultedOn).toBeUndefined();
  });
});
