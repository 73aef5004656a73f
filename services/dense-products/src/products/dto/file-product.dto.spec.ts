import { configureUsccAllowList } from '@ipfin/http';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { FileProductDto, toProductFiling } from './file-product.dto';
import { ListProductsQueryDto } from './list-products-query.dto';
import { RecogniseProductDto } from './recognise-product.dto';
import { RejectProductDto } from './reject-product.dto';
import { WithdrawRecognitionDto } from './withdraw-recognition.dto';

/** What the global ValidationPipe does: transform, then validate refusing unknown fields. */
function validate<T extends object>(cls: new () => T, body: unknown): { dto: T; errors: string[] } {
  const dto = plainToInstance(cls, body);
  const flatten = (errors: ValidationError[], prefix = ''): string[] =>
    errors.flatMap((e) => {
      const path = prefix === '' ? e.property : `${prefix}.${e.property}`;
      return [...Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`), ...flatten(e.children ?? [], path)];
    });
  return { dto, errors: flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })) };
}

const fieldOf = (error: string): string => error.split(':')[0];
const unique = <T>(value: T, index: number, all: T[]): boolean => all.indexOf(value) === index;

const invention = makePatentNumber(2021, 1, 1034567);
const uscc = makeUscc('91350681MA31XK7Q5');

describe('FileProductDto', () => {
  const body = { name: '智能水阀控制器', patents: [invention], filedOn: '2024-03-15' };

  it('accepts the api.md shape and normalises patent numbers to YYYYTNNNNNNN.C', () => {
    const { dto, errors } = validate(FileProductDto, {
      ...body,
      category: '高端装备制造',
      annualRevenue: '12500000.00',
      patents: [`ZL ${invention.toLowerCase()}`, `CN${makePatentNumber(2022, 2, 2234561)}`],
    });

    expect(errors).toEqual([]);
    expect(dto.patents).toEqual([invention, makePatentNumber(2022, 2, 2234561)]);
  });

  it('accepts an agency filing with the enterprise, upper-casing its USCC', () => {
    const { dto, errors } = validate(FileProductDto, {
      ...body,
      enterprise: { uscc: uscc.toLowerCase(), name: '福建闽新智能阀门有限公司', regionCode: '350681', size: 'small' },
    });

    expect(errors).toEqual([]);
    expect(dto.enterprise?.uscc).toBe(uscc);
  });

  it('refuses a patent number with a wrong check character, naming its position', () => {
    const wrong = `${invention.slice(0, -1)}${invention.endsWith('0') ? '1' : '0'}`;

    const { errors } = validate(FileProductDto, { ...body, patents: [invention, wrong] });

    expect(errors).toEqual([expect.stringMatching(/^patents: patents\[1\] .*check character/)]);
  });

  it('refuses an empty patent list, a USCC with a wrong check character, bad dates, money and unknown fields', () => {
    const badUscc = `${uscc.slice(0, -1)}${uscc.endsWith('0') ? '1' : '0'}`;
    const { errors } = validate(FileProductDto, {
      name: '  ',
      patents: [],
      filedOn: '2023-02-29',
      annualRevenue: '1,000.00',
      enterprise: { uscc: badUscc, name: 'x', regionCode: '3506', size: 'huge' },
      owner: 'me',
    });

    expect(new Set(errors.map(fieldOf))).toEqual(
      new Set([
        'name',
        'patents',
        'filedOn',
        'annualRevenue',
        'enterprise.uscc',
        'enterprise.regionCode',
        'enterprise.size',
        'owner',
      ]),
    );
    expect(errors.find((e) => e.startsWith('enterprise.uscc'))).toContain('wrong check character');
  });

  it('refuses six-digit region codes that are no GB/T 2260 region', () => {
    const firm = { uscc, name: '福建闽新智能阀门有限公司', size: 'small' };
    for (const regionCode of ['350099', '000000', '990000']) {
      const { errors } = validate(FileProductDto, { ...body, enterprise: { ...firm, regionCode } });
      expect(errors).toEqual([
        expect.stringMatching(new RegExp(`^enterprise\\.regionCode: regionCode: .*${regionCode}`)),
      ]);
    }
    expect(validate(FileProductDto, { ...body, enterprise: { ...firm, regionCode: ' 350681 ' } })).toMatchObject({
      errors: [],
      dto: { enterprise: { regionCode: '350681' } },
    });
  });

  it('refuses blank names and categories once trimmed', () => {
    const { errors } = validate(FileProductDto, {
      ...body,
      name: '\u3000 ',
      category: '  ',
      enterprise: { uscc, name: ' ', regionCode: '350681', size: 'small' },
    });

    expect(errors).toEqual([
      'name: name must not be blank',
      'category: category must not be blank',
      'enterprise.name: name must not be blank',
    ]);
  });

  it("admits an early USCC on the operator's allow-list, in the body and the list query, and no other", () => {
    const early = `${uscc.slice(0, -1)}${uscc.endsWith('0') ? '1' : '0'}`;
    const other = makeUscc('91350681MA31XK7Q6');
    const otherWrong = `${other.slice(0, -1)}${other.endsWith('0') ? '1' : '0'}`;
    const agencyBody = (code: string) => ({
      ...body,
      enterprise: { uscc: code, name: '漳州老字号阀门厂', regionCode: '350681', size: 'small' },
    });
    expect(validate(FileProductDto, agencyBody(early)).errors).toEqual([
      expect.stringMatching(/^enterprise\.uscc: .*wrong check character/),
    ]);

    configureUsccAllowList([early]);
    try {
      const filed = validate(FileProductDto, agencyBody(early.toLowerCase()));
      expect(filed.errors).toEqual([]);
      expect(filed.dto.enterprise?.uscc).toBe(early);
      expect(validate(ListProductsQueryDto, { enterprise: ` ${early.toLowerCase()}` })).toMatchObject({
        errors: [],
        dto: { enterprise: early },
      });
      expect(validate(FileProductDto, agencyBody(otherWrong)).errors).toEqual([
        expect.stringMatching(/^enterprise\.uscc: .*wrong check character/),
      ]);
      expect(validate(ListProductsQueryDto, { enterprise: otherWrong }).errors).toEqual([
        expect.stringMatching(/^enterprise: .*wrong check character/),
      ]);
    } finally {
      configureUsccAllowList([]);
    }
  });

  it('maps to the domain filing with money in fen and a business date', () => {
    const { dto } = validate(FileProductDto, { ...body, annualRevenue: '12500000.5' });
    const enterprise = { uscc, name: '福建闽新智能阀门有限公司', regionCode: '350681' };

    const filing = toProductFiling(dto, { enterprise, agencyId: 'agency-zz-kwzx' });

    expect(filing.annualRevenue?.fen).toBe(1_250_000_050n);
    expect(filing.filedOn.toString()).toBe('2024-03-15');
    expect(filing).toMatchObject({ agencyId: 'agency-zz-kwzx', enterprise, patents: [invention] });
  });
});

describe('decision DTOs', () => {
  it('recognise needs a calendar date and a certificate number', () => {
    expect(
      validate(RecogniseProductDto, { recognisedOn: '2024-06-18', certificateNo: 'ZLMJ-2024-0012' }).errors,
    ).toEqual([]);
    expect(
      validate(RecogniseProductDto, { recognisedOn: '2024-06-31', certificateNo: ' ' })
        .errors.map(fieldOf)
        .filter(unique),
    ).toEqual(['recognisedOn', 'certificateNo']);
  });

  it('reject and withdraw need a reason and a date', () => {
    expect(validate(RejectProductDto, { reason: '不符合认定条件', rejectedOn: '2024-06-18' }).errors).toEqual([]);
    expect(validate(RejectProductDto, { rejectedOn: '2024-06-18' }).errors.map(fieldOf).filter(unique)).toEqual([
      'reason',
    ]);
    expect(validate(WithdrawRecognitionDto, { withdrawnOn: '2024-09-01', reason: '认定证书被撤销' }).errors).toEqual(
      [],
    );
    expect(
      validate(WithdrawRecognitionDto, { withdrawnOn: '2024/09/01', reason: '认定证书被撤销' })
        .errors.map(fieldOf)
        .filter(unique),
    ).toEqual(['withdrawnOn']);
  });

  it('list query accepts status, enterprise and paging', () => {
    const { dto, errors } = validate(ListProductsQueryDto, {
      status: 'recognised',
      enterprise: uscc.toLowerCase(),
      limit: '50',
    });

    expect(errors).toEqual([]);
    expect(dto).toMatchObject({ status: 'recognised', enterprise: uscc, limit: 50 });
    expect(validate(ListProductsQueryDto, { status: 'paid', limit: '501' }).errors.map(fieldOf).filter(unique)).toEqual(
      ['status', 'limit'],
    );
  });
});
