import { configureUsccAllowList } from '@ipfin/http';
import { BusinessDate, Money, makePatentNumber, makeUscc, type FieldError } from '@ipfin/kernel';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  DeclareOpenLicenceDto,
  ListPatentItemDto,
  RecordLicenceDto,
  SearchPatentsQueryDto,
  TakeOpenLicenceDto,
  TransferPatentDto,
  WithdrawOpenLicenceQueryDto,
  fieldErrors,
  toLicenceCommand,
  toListingInput,
  toOpenLicenceDeclaration,
  toSearchCriteria,
  toTransferCommand,
  validateListingBatch,
  LISTING_BODY_LIMIT_MB,
  withdrawalDate,
} from '.';

/** What the global ValidationPipe does: transform, whitelist, refuse unknown fields. */
function check<T extends object>(
  cls: ClassConstructor<T>,
  body: unknown,
  implicitConversion = false,
): { value: T; errors: FieldError[] } {
  const value = plainToInstance(cls, body, { enableImplicitConversion: implicitConversion });
  return {
    value,
    errors: fieldErrors(
      validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
    ),
  };
}

const fields = (errors: readonly FieldError[]): string[] => [...new Set(errors.map((e) => e.field))];

const enterprise = { uscc: makeUscc('91350602MA2Y7K8Q3'), name: '漳州市芗城光电科技有限公司', regionCode: '350602' };
const transfer = { assignee: enterprise, price: '300000.00', contractDate: '2024-06-18', recordedOn: '2024-07-02' };
const licenceBody = {
  licensee: enterprise,
  kind: 'exclusive',
  royalty: '0',
  contractDate: '2024-03-01',
  startsOn: '2024-03-15',
  endsOn: '2029-03-14',
};

describe('money fields are decimal strings', () => {
  it.each([false, true])('refuses a JSON number, naming the field (implicit conversion %s)', (implicit) => {
    expect(fields(check(TransferPatentDto, { ...transfer, price: 300000 }, implicit).errors)).toEqual(['price']);
    expect(fields(check(RecordLicenceDto, { ...licenceBody, royalty: 0 }, implicit).errors)).toEqual(['royalty']);
    const royalty = { kind: 'lump_sum', amount: 20000 };
    expect(
      fields(check(DeclareOpenLicenceDto, { royalty, termYears: 3, declaredOn: '2024-09-01' }, implicit).errors),
    ).toEqual(['royalty.amount']);
  });

  it('refuses negative amounts and three decimals', () => {
    expect(fields(check(TransferPatentDto, { ...transfer, price: '-1.00' }).errors)).toEqual(['price']);
    expect(fields(check(TransferPatentDto, { ...transfer, price: '1.005' }).errors)).toEqual(['price']);
  });

  it('turns a valid body into a command with Money and BusinessDate', () => {
    const { value, errors } = check(TransferPatentDto, {
      ...transfer,
      pledgeeConsent: true,
      agencyId: 'agency-zz-ipservice',
    });
    expect(errors).toEqual([]);
    const command = toTransferCommand(value, 'tr-1');
    expect(command.price.equals(Money.parse('300000'))).toBe(true);
    expect(command).toMatchObject({
      transferId: 'tr-1',
      pledgeeConsent: true,
      agencyId: 'agency-zz-ipservice',
      assignee: enterprise,
    });
    expect(command.recordedOn?.equals(BusinessDate.parse('2024-07-02'))).toBe(true);
  });
});

describe('identifiers and dates', () => {
  it('checks the USCC check character and the region code, with nested paths', () => {
    const badUscc = `${enterprise.uscc.slice(0, 17)}${enterprise.uscc[17] === '0' ? '1' : '0'}`;
    const { errors } = check(TransferPatentDto, {
      ...transfer,
      assignee: { ...enterprise, uscc: badUscc, regionCode: '990000' },
    });
    expect(fields(errors)).toEqual(['assignee.uscc', 'assignee.regionCode']);
    expect(errors[0].message).toContain('check character');
  });

  it('normalises a lower-case USCC and admits allow-listed early codes', () => {
    expect(
      check(TransferPatentDto, { ...transfer, assignee: { ...enterprise, uscc: enterprise.uscc.toLowerCase() } }).value
        .assignee.uscc,
    ).toBe(enterprise.uscc);
    const early = `${enterprise.uscc.slice(0, 17)}${enterprise.uscc[17] === '0' ? '1' : '0'}`;
    configureUsccAllowList([early.toLowerCase()]);
    try {
      expect(check(TransferPatentDto, { ...transfer, assignee: { ...enterprise, uscc: early } }).errors).toEqual([]);
    } finally {
      configureUsccAllowList([]);
    }
  });

  it('refuses impossible dates and "true" strings for booleans', () => {
    const { errors } = check(
      TransferPatentDto,
      { ...transfer, contractDate: '2023-02-29', pledgeeConsent: 'true' },
      true,
    );
    expect(fields(errors)).toEqual(['contractDate', 'pledgeeConsent']);
  });

  it('refuses unknown fields', () => {
    expect(fields(check(TransferPatentDto, { ...transfer, discount: '5.00' }).errors)).toEqual(['discount']);
  });
});

describe('listing items', () => {
  const number = makePatentNumber(2023, 1, 123456);
  const item = {
    number: `ZL ${number}`,
    title: '一种光伏组件的封装方法',
    kind: 'invention',
    status: 'valid',
    ipc: 'h01l 31/048',
    grantedOn: '2024-05-17',
    keywords: ['光伏'],
  };

  it('normalises the number and the IPC symbol', () => {
    const { value, errors } = check(ListPatentItemDto, item);
    expect(errors).toEqual([]);
    const input = toListingInput(value);
    expect(input).toMatchObject({ number, ipc: 'H01L31/048', kind: 'invention', keywords: ['光伏'] });
    expect(input.grantedOn?.toString()).toBe('2024-05-17');
  });

  it('refuses a bad grade, status and keyword list', () => {
    const { errors } = check(ListPatentItemDto, { ...item, grade: 'D', status: 'expired', keywords: ['ok', 7] });
    expect(fields(errors)).toEqual(['status', 'grade', 'keywords']);
  });

  it('validates a batch item by item', () => {
    const result = validateListingBatch([item, { ...item, kind: 'design' }, 'nope']);
    if (!result.ok) throw new Error('batch refused');
    expect(result.items.map((i) => i.ok)).toEqual([true, false, false]);
    expect(result.items[1]).toMatchObject({ ok: false, errors: [{ field: 'kind' }] });
    expect(validateListingBatch([])).toMatchObject({ ok: false, errors: [{ field: 'body' }] });
    expect(validateListingBatch({ number })).toMatchObject({ ok: false, errors: [{ field: 'body' }] });
  });

  it('fits the largest valid batch in the body limit', () => {
    const han = (n: number): string => '光'.repeat(n);
    const largest = Array.from({ length: 1000 }, (_, i) => ({
      number: makePatentNumber(2023, 1, 100000 + i), title: han(500), kind: 'invention', status: 'valid', ipc: 'H01L31/048',
      grantedOn: '2024-05-17', grade: 'A', category: han(100), abstract: han(5000), keywords: Array.from({ length: 20 }, () => han(50)),
    }));
    const result = validateListingBatch(largest);
    expect(result.ok && result.items.every((i) => i.ok)).toBe(true);
    const bytes = Buffer.byteLength(JSON.stringify(largest));
    expect(bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(bytes).toBeLessThan(LISTING_BODY_LIMIT_MB * 1024 * 1024);
  });

  it('refuses a blank title or category in its own item, naming the field', () => {
    const result = validateListingBatch([{ ...item, title: '   ' }, item, { ...item, title: '\t', category: ' ' }]);
    if (!result.ok) throw new Error('batch refused');
    expect(result.items.map((i) => i.ok)).toEqual([false, true, false]);
    expect(result.items[0]).toMatchObject({ ok: false, errors: [{ field: 'title', message: 'title must not be blank' }] });
    expect(result.items[2]).toMatchObject({ ok: false, errors: [{ field: 'title' }, { field: 'category' }] });
    expect(toListingInput(check(ListPatentItemDto, { ...item, category: ' 新能源 ' }).value).category).toBe('新能源');
  });
});

describe('blank free text', () => {
  const blank = ' \t ';

  it('refuses a blank counterparty name on transfers, licences and takers', () => {
    expect(fields(check(TransferPatentDto, { ...transfer, assignee: { ...enterprise, name: blank } }).errors)).toEqual([
      'assignee.name',
    ]);
    expect(fields(check(RecordLicenceDto, { ...licenceBody, licensee: { ...enterprise, name: blank } }).errors)).toEqual([
      'licensee.name',
    ]);
    expect(
      fields(check(TakeOpenLicenceDto, { licensee: { ...enterprise, name: blank }, takenOn: '2024-10-08' }).errors),
    ).toEqual(['licensee.name']);
  });

  it('refuses a blank agencyId and evaluationReportNo', () => {
    expect(fields(check(TransferPatentDto, { ...transfer, agencyId: blank }).errors)).toEqual(['agencyId']);
    expect(fields(check(RecordLicenceDto, { ...licenceBody, agencyId: '' }).errors)).toEqual(['agencyId']);
    const declaration = { royalty: { kind: 'lump_sum', amount: '1.00' }, termYears: 3, declaredOn: '2024-09-01' };
    expect(fields(check(DeclareOpenLicenceDto, { ...declaration, evaluationReportNo: blank }).errors)).toEqual([
      'evaluationReportNo',
    ]);
  });

  it('refuses a blank owner filter', () => {
    expect(fields(check(SearchPatentsQueryDto, { owner: '  ' }).errors)).toEqual(['owner']);
  });

  it('still trims a name with something in it', () => {
    const { value, errors } = check(TransferPatentDto, { ...transfer, assignee: { ...enterprise, name: ` ${enterprise.name} ` } });
    expect(errors).toEqual([]);
    expect(toTransferCommand(value, 'tr-1').assignee.name).toBe(enterprise.name);
  });
});

describe('licence bodies', () => {
  it('accepts a zero royalty and an optional pledgee consent', () => {
    const { value, errors } = check(RecordLicenceDto, { ...licenceBody, pledgeeConsent: false });
    expect(errors).toEqual([]);
    expect(toLicenceCommand(value, 'lic-1')).toMatchObject({
      licenceId: 'lic-1',
      kind: 'exclusive',
      pledgeeConsent: false,
    });
    expect(toLicenceCommand(value, 'lic-1').royalty.isZero()).toBe(true);
  });

  it('refuses an unknown licence kind', () => {
    expect(fields(check(RecordLicenceDto, { ...licenceBody, kind: 'semi-exclusive' }).errors)).toEqual(['kind']);
  });
});

describe('open-licence declarations', () => {
  const body = { royalty: { kind: 'percent_of_sales', percent: '3.50' }, termYears: 3, declaredOn: '2024-09-01' };

  it('accepts a percentage royalty and canonicalises it', () => {
    const { value, errors } = check(DeclareOpenLicenceDto, { ...body, evaluationReportNo: 'PJ1' });
    expect(errors).toEqual([]);
    expect(toOpenLicenceDeclaration(value)).toMatchObject({
      royalty: { kind: 'percent_of_sales', percent: '3.5' },
      termYears: 3,
      evaluationReportNo: 'PJ1',
    });
  });

  it('needs the field of the royalty kind and refuses the other', () => {
    expect(fields(check(DeclareOpenLicenceDto, { ...body, royalty: { kind: 'lump_sum' } }).errors)).toEqual([
      'royalty.amount',
    ]);
    expect(
      fields(
        check(DeclareOpenLicenceDto, { ...body, royalty: { kind: 'lump_sum', amount: '1.00', percent: '3' } }).errors,
      ),
    ).toEqual(['royalty.percent']);
    expect(
      fields(check(DeclareOpenLicenceDto, { ...body, royalty: { kind: 'percent_of_sales', percent: '101' } }).errors),
    ).toEqual(['royalty.percent']);
    expect(
      fields(check(DeclareOpenLicenceDto, { ...body, royalty: { kind: 'percent_of_sales', percent: 3 } }).errors),
    ).toEqual(['royalty.percent']);
  });

  it('leaves a zero term to the domain rule (422) but refuses a fraction or a string', () => {
    expect(check(DeclareOpenLicenceDto, { ...body, termYears: 0 }).errors).toEqual([]);
    expect(fields(check(DeclareOpenLicenceDto, { ...body, termYears: 1.5 }).errors)).toEqual(['termYears']);
    expect(fields(check(DeclareOpenLicenceDto, { ...body, termYears: '3' }, true).errors)).toEqual(['termYears']);
  });
});

describe('withdrawal query, takers and search', () => {
  it('defaults the withdrawal date to today', () => {
    const today = BusinessDate.parse('2025-03-01');
    expect(withdrawalDate(check(WithdrawOpenLicenceQueryDto, {}).value, today).withdrawnOn).toBe(today);
    expect(
      withdrawalDate(
        check(WithdrawOpenLicenceQueryDto, { withdrawnOn: '2025-02-01' }).value,
        today,
      ).withdrawnOn.toString(),
    ).toBe('2025-02-01');
    expect(fields(check(WithdrawOpenLicenceQueryDto, { withdrawnOn: '2025-13-01' }).errors)).toEqual(['withdrawnOn']);
  });

  it('validates a taker', () => {
    expect(check(TakeOpenLicenceDto, { licensee: enterprise, takenOn: '2024-10-08' }).errors).toEqual([]);
    expect(
      fields(check(TakeOpenLicenceDto, { licensee: { ...enterprise, name: '' }, takenOn: '2024-10-08' }).errors),
    ).toEqual(['licensee.name']);
  });

  it('turns a search query into criteria', () => {
    const { value, errors } = check(SearchPatentsQueryDto, {
      q: '光伏 组件',
      ipc: 'h01l',
      openLicence: 'true',
      available: 'false',
      limit: '500',
    });
    expect(errors).toEqual([]);
    const criteria = toSearchCriteria(value);
    expect(criteria).toMatchObject({ ipcPrefix: 'H01L', openLicence: true, available: false, limit: 500 });
    expect(criteria.plan.terms.map((t) => t.text)).toEqual(['光伏', '组件']);
    expect(fields(check(SearchPatentsQueryDto, { limit: '501' }).errors)).toEqual(['limit']);
    expect(fields(check(SearchPatentsQueryDto, { limit: '0' }).errors)).toEqual(['limit']);
  });

  it('refuses a query it would have to cut: more than 8 distinct terms or a term over 64 characters', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `t${i}`).join(' ');
    expect(check(SearchPatentsQueryDto, { q: `${eight} t0 T1` }).errors).toEqual([]);
    const nine = check(SearchPatentsQueryDto, { q: `${eight} 不存在` });
    expect(nine.errors).toEqual([{ field: 'q', message: 'q has 9 distinct terms; at most 8 are searched together' }]);
    expect(fields(check(SearchPatentsQueryDto, { q: `光伏 ${'组'.repeat(65)}` }).errors)).toEqual(['q']);
    expect(check(SearchPatentsQueryDto, { q: '组'.repeat(64) }).errors).toEqual([]);
  });
});
