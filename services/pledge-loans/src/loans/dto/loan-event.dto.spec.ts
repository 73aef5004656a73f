import { contentHash, toLoanEventJson, type ParsedLoanEvent } from '../domain';
import { validateLoanEventItem } from './loan-event.dto';

const NOW = new Date('2024-06-01T08:00:00+08:00');

const registration = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  eventId: 'icbc-zz-0001-reg',
  type: 'LoanRegistered',
  loanRef: 'ICBC-ZZ-2024-0001',
  occurredOn: '2024-03-01',
  data: {
    borrower: { uscc: '91350602MA31K8P7X1', name: '漳州芗城闽锐精密机械有限公司', size: 'small', regionCode: '350602' },
    principal: '3000000.00',
    annualRate: '0.0385',
    termMonths: 12,
    inclusive: true,
    pledge: {
      registrationNo: 'Y2024980001234',
      registeredOn: '2024-02-26',
      appraisedValue: '4200000.00',
      rights: [{ kind: 'patent', number: '202121234567.7', title: '一种数控机床主轴冷却装置' }],
    },
    ...overrides,
  },
});

function parsed(plain: unknown): ParsedLoanEvent {
  const result = validateLoanEventItem(plain, 0, { now: NOW });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function errorsOf(plain: unknown, options = { now: NOW }): { field: string; message: string }[] {
  const result = validateLoanEventItem(plain, 0, options);
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

describe('validateLoanEventItem', () => {
  it('parses a registration into fen and normalised identifiers', () => {
    const event = parsed(
      registration({
        borrower: {
          uscc: ' 91350602ma31k8p7x1 ',
          name: '漳州芗城闽锐精密机械有限公司',
          size: 'small',
          regionCode: '350602',
        },
        principal: '3000000',
        annualRate: '0.03850',
        pledge: {
          registrationNo: 'Y2024980001234',
          registeredOn: '2024-02-26',
          appraisedValue: '4200000.5',
          rights: [
            { kind: 'patent', number: 'zl 2021 2123 4567.7' },
            { kind: 'trademark', number: 'TM 0028765432' },
          ],
        },
      }),
    );
    expect(event).toEqual({
      eventId: 'icbc-zz-0001-reg',
      type: 'LoanRegistered',
      loanRef: 'ICBC-ZZ-2024-0001',
      occurredOn: '2024-03-01',
      data: {
        borrower: {
          uscc: '91350602MA31K8P7X1',
          name: '漳州芗城闽锐精密机械有限公司',
          size: 'small',
          regionCode: '350602',
        },
        principal: 300_000_000n,
        annualRate: '0.0385',
        termMonths: 12,
        inclusive: true,
        pledge: {
          registrationNo: 'Y2024980001234',
          registeredOn: '2024-02-26',
          appraisedValue: 420_000_050n,
          rights: [
            { kind: 'patent', number: '202121234567.7' },
            { kind: 'trademark', number: '28765432' },
          ],
        },
      },
    });
  });

  it('gives equal content hashes to equal events however they are spelled, and round-trips its JSON form', () => {
    const canonical = parsed(registration());
    const respelled = parsed(
      registration({
        principal: '3000000',
        pledge: {
          rights: [{ title: '一种数控机床主轴冷却装置', number: 'CN202121234567.7', kind: 'patent' }],
          appraisedValue: '4200000',
          registeredOn: '2024-02-26',
          registrationNo: 'Y2024980001234',
        },
      }),
    );
    expect(contentHash(respelled)).toBe(contentHash(canonical));
    expect(contentHash(parsed(registration({ principal: '3000000.01' })))).not.toBe(contentHash(canonical));
    expect(parsed(toLoanEventJson(canonical))).toEqual(canonical);
  });

  it('accepts a settlement with no data, null data or {}, and nothing else', () => {
    const base = { eventId: 's1', type: 'LoanSettled', loanRef: 'L-1', occurredOn: '2024-05-01' };
    for (const data of [undefined, null, {}])
      expect(parsed({ ...base, data })).toMatchObject({ type: 'LoanSettled', data: {} });
    expect(errorsOf({ ...base, data: { reason: 'repaid' } })).toEqual([
      { field: 'data.reason', message: 'property reason should not exist' },
    ]);
  });

  it('names the field of money sent as a JSON number, a negative amount, or more than two decimals', () => {
    const disbursement = (amount: unknown): unknown => ({
      eventId: 'd1',
      type: 'LoanDisbursed',
      loanRef: 'L-1',
      occurredOn: '2024-05-01',
      data: { amount },
    });
    expect(errorsOf(disbursement(1.5))).toEqual([
      {
        field: 'data.amount',
        message: 'amount must be a decimal string with at most two decimals, e.g. "1250000.00", not a JSON number',
      },
    ]);
    expect(errorsOf(disbursement('-1.50'))).toEqual([{ field: 'data.amount', message: 'amount may not be negative' }]);
    expect(errorsOf(disbursement('1.505'))[0].field).toBe('data.amount');
    expect(errorsOf(disbursement('0.00'))).toEqual([
      { field: 'data.amount', message: 'amount must be greater than 0' },
    ]);
    expect(errorsOf(disbursement('1e6'))[0].field).toBe('data.amount');
  });

  it('refuses a repayment of nothing', () => {
    const zero = {
      eventId: 'r1',
      type: 'RepaymentReceived',
      loanRef: 'L-1',
      occurredOn: '2024-05-01',
      data: { principal: '0', interest: '0.00' },
    };
    expect(errorsOf(zero)).toEqual([{ field: 'data.principal', message: 'principal and interest cannot both be 0' }]);
  });

  it('checks identifiers with their check characters, and admits allow-listed early USCCs', () => {
    const wrongCheck = registration({
      borrower: { uscc: '91350602MA31K8P7X2', name: 'X', size: 'small', regionCode: '350602' },
    });
    expect(errorsOf(wrongCheck).map((e) => e.field)).toEqual(['data.borrower.uscc']);
    const allowed = validateLoanEventItem(wrongCheck, 0, { now: NOW, usccAllowList: new Set(['91350602MA31K8P7X2']) });
    expect(allowed.ok).toBe(true);
    const futurePatent = registration({
      pledge: {
        registrationNo: 'R',
        registeredOn: '2024-02-26',
        appraisedValue: '1.00',
        rights: [{ kind: 'patent', number: '203021234567.9' }],
      },
    });
    expect(errorsOf(futurePatent).map((e) => e.field)).toEqual(['data.pledge.rights[0].number']);
  });

  it('refuses blank ids and free text, naming each field, as it refuses empty ones', () => {
    const blank = ' \t ';
    const item = registration({
      borrower: { uscc: '91350602MA31K8P7X1', name: blank, size: 'small', regionCode: '350602' },
      pledge: {
        registrationNo: blank,
        registeredOn: '2024-02-26',
        appraisedValue: '4200000.00',
        rights: [{ kind: 'patent', number: blank, title: blank }],
      },
      agencyId: blank,
    });
    const result = validateLoanEventItem({ ...item, eventId: blank, loanRef: blank }, 0, { now: NOW });

    expect(result).toEqual({
      ok: false,
      errors: expect.arrayContaining([
        { field: 'eventId', message: 'eventId must not be blank' },
        { field: 'loanRef', message: 'loanRef must not be blank' },
        { field: 'data.borrower.name', message: 'name must not be blank' },
        { field: 'data.pledge.registrationNo', message: 'registrationNo must not be blank' },
        { field: 'data.pledge.rights[0].number', message: 'number must not be blank' },
        { field: 'data.pledge.rights[0].title', message: 'title must not be blank' },
        { field: 'data.agencyId', message: 'agencyId must not be blank' },
      ]),
    });
    expect(result).not.toHaveProperty('eventId');
    expect(!result.ok && result.errors).toHaveLength(7);
    expect(
      errorsOf({
        eventId: 'v1',
        type: 'EventReversed',
        loanRef: 'L-1',
        occurredOn: '2024-05-01',
        data: { reversedEventId: '  ' },
      }),
    ).toEqual([{ field: 'data.reversedEventId', message: 'reversedEventId must not be blank' }]);
    expect(errorsOf({ ...registration(), eventId: '' }).map((e) => e.message)).toEqual(['eventId must not be blank']);
  });

  it('reports an unknown type alone, and a non-object item with an empty field', () => {
    expect(
      errorsOf({
        eventId: 'x',
        type: 'LoanRestructured',
        loanRef: 'L-1',
        occurredOn: '2024-05-01',
        data: { amount: 1 },
      }).map((e) => e.field),
    ).toEqual(['type']);
    expect(validateLoanEventItem('nope', 7)).toEqual({
      ok: false,
      errors: [{ field: '', message: 'item [7] must be a JSON object' }],
    });
  });

  it('echoes the eventId of a refused item when it has one', () => {
    const result = validateLoanEventItem(
      { eventId: 'd9', type: 'LoanDisbursed', loanRef: 'L-1', occurredOn: '2024-05-01' },
      0,
    );
    expect(result).toMatchObject({ ok: false, eventId: 'd9', errors: [{ field: 'data' }] });
  });
});
