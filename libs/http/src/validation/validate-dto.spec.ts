import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { configureUsccAllowList, configuredUsccAllowList, IsBusinessDate, IsNotBlank, IsMoney, IsPatentNumberField, IsRegionCodeField, IsUsccField } from './field-decorators';
import { parseDto, validateDto } from './validation.pipe';

class AmountDto {
  @IsMoney() amount!: string;
}

class EventDataDto {
  @IsString() eventId!: string;
  @ValidateNested() @Type(() => AmountDto) data!: AmountDto;
}

class IdentifiersDto {
  @IsUsccField() uscc!: string;
  @IsRegionCodeField() region!: string;
  @IsBusinessDate() on!: string;
  @IsPatentNumberField({ each: true }) patents!: string[];
}

describe('validateDto', () => {
  it('returns an empty list for a valid item', () => {
    expect(validateDto(EventDataDto, { eventId: 'e1', data: { amount: '5000000.00' } })).toEqual([]);
  });

  it('lists every problem with the item prefix, without throwing', () => {
    expect(validateDto(EventDataDto, { data: { amount: 12.5, note: 'x' } }, '[3]')).toEqual([
      { field: '[3].eventId', message: 'eventId must be a string' },
      { field: '[3].data.note', message: 'property note should not exist' },
      { field: '[3].data.amount', message: expect.stringMatching(/not a JSON number/) },
    ]);
  });

  it('refuses an item that is not an object', () => {
    expect(validateDto(EventDataDto, 'nope', '[0]')).toEqual([{ field: '[0]', message: 'must be a JSON object' }]);
  });

  it('parseDto returns the transformed instance', () => {
    const result = parseDto(EventDataDto, { eventId: 'e1', data: { amount: '1' } });
    expect(result.ok && result.value instanceof EventDataDto && result.value.data instanceof AmountDto).toBe(true);
  });
});

describe('identifier decorators', () => {
  const uscc = makeUscc('91350600MA2Y12345');

  it('normalise valid identifiers', () => {
    const patent = makePatentNumber(2023, 1, 123456);
    const result = parseDto(IdentifiersDto, { uscc: ` ${uscc.toLowerCase()} `, region: '350583', on: '2024-02-29', patents: [`zl${patent}`, `CN ${patent}`] });
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ uscc, patents: [patent, patent] }) });
  });

  it('names the offending element of an each-validated array', () => {
    const errors = validateDto(IdentifiersDto, { uscc, region: '350583', on: '2024-01-31', patents: ['202310123456.0'] });
    expect(errors).toEqual([{ field: 'patents', message: expect.stringMatching(/^patents\[0\]: .*check character/) }]);
  });

  it('refuses impossible regions and dates', () => {
    const errors = validateDto(IdentifiersDto, { uscc, region: '990000', on: '2024-13-01', patents: [] });
    expect(errors.map((e) => e.field)).toEqual(['region', 'on']);
  });

  it('admits an allow-listed USCC that fails its check character', () => {
    const early = uscc.slice(0, 17) + (uscc.endsWith('0') ? '1' : '0');
    expect(validateDto(IdentifiersDto, { uscc: early, region: '350583', on: '2024-01-31', patents: [] })).toHaveLength(1);
    configureUsccAllowList([early.toLowerCase()]);
    try {
      expect(configuredUsccAllowList().has(early)).toBe(true);
      expect(validateDto(IdentifiersDto, { uscc: early, region: '350583', on: '2024-01-31', patents: [] })).toEqual([]);
    } finally {
      configureUsccAllowList([]);
    }
  });
});

describe('IsNotBlank', () => {
  class NamedDto {
    @IsNotBlank() name!: string;
    @IsNotBlank({ each: true }) notes!: string[];
  }

  it('admits text with something in it', () => {
    expect(validateDto(NamedDto, { name: ' 漳州 ', notes: ['a'] })).toEqual([]);
  });

  it('refuses blank text, empty text and non-strings, naming the field', () => {
    expect(validateDto(NamedDto, { name: ' \t ', notes: ['ok', '  '] })).toEqual([
      { field: 'name', message: 'name must not be blank' },
      { field: 'notes', message: 'notes[1] must not be blank' },
    ]);
    expect(validateDto(NamedDto, { name: 7, notes: [] })).toEqual([{ field: 'name', message: 'name must be a string, got number' }]);
    expect(validateDto(NamedDto, { name: '', notes: [] })).toEqual([{ field: 'name', message: 'name must not be blank' }]);
  });
});
