import { makePatentNumber } from '@ipfin/kernel';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { listPatent } from '..';
import { ListPatentItemDto, fieldErrors } from '../../dto';
import { NARCISSUS_VASE, PV_MODULE, TEA_DRYER, d, listingOf, minnanNormal, refusal } from './fixtures';

describe('the kind of a listing must agree with the type digit of its number', () => {
  it('is a field error on `kind` at the HTTP edge', () => {
    const dto = plainToInstance(ListPatentItemDto, {
      number: TEA_DRYER,
      title: '一种茶叶烘干装置',
      kind: 'invention',
      status: 'valid',
    });
    const errors = fieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
    expect(errors).toEqual([{ field: 'kind', message: expect.stringContaining('utility_model') }]);
  });

  it('is also refused by the domain (a 400 on `kind`), whatever the caller validated', () => {
    const error = refusal(() =>
      listPatent(undefined, listingOf(NARCISSUS_VASE, { kind: 'utility_model' }), minnanNormal, d('2024-01-10')),
    );
    expect(error).toMatchObject({ kind: 'validation', errors: [{ field: 'kind' }] });
    expect(error.detail).toContain('design');
  });

  it('accepts PCT numbers (type digits 8 and 9) as inventions and utility models, and normalises a ZL prefix', () => {
    const pctInvention = makePatentNumber(2023, 8, 12345);
    const dto = plainToInstance(ListPatentItemDto, {
      number: `ZL${pctInvention}`,
      title: '一种电池管理系统',
      kind: 'invention',
      status: 'valid',
    });
    expect(fieldErrors(validateSync(dto))).toEqual([]);
    expect(dto.number).toBe(pctInvention);
    const pctUtility = plainToInstance(ListPatentItemDto, {
      number: makePatentNumber(2023, 9, 1),
      title: '散热器',
      kind: 'invention',
      status: 'valid',
    });
    expect(fieldErrors(validateSync(pctUtility)).map((e) => e.field)).toEqual(['kind']);
  });

  it('reports only the number when the number itself is wrong', () => {
    const wrongCheck = PV_MODULE.replace(/\.\d$/, (c) => `.${(Number(c.slice(1)) + 1) % 10}`);
    const dto = plainToInstance(ListPatentItemDto, {
      number: wrongCheck,
      title: '光伏',
      kind: 'design',
      status: 'valid',
    });
    const errors = fieldErrors(validateSync(dto));
    expect(errors.map((e) => e.field)).toEqual(['number']);
    expect(errors[0].message).toContain('check character');
  });
});
