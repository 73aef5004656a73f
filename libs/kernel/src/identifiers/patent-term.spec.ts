import { BusinessDate } from '../time/business-date';
import { patentExpiry, patentTermYears } from './patent-term';

describe('patentTermYears', () => {
  it('gives the statutory terms', () => {
    expect(patentTermYears('invention')).toBe(20);
    expect(patentTermYears('utility_model')).toBe(10);
    expect(patentTermYears('design')).toBe(15);
  });

  it('keeps the old 10-year design term for designs filed before 2021-06-01', () => {
    expect(patentTermYears('design', '2021-05-31')).toBe(10);
    expect(patentTermYears('design', '2021-06-01')).toBe(15);
    expect(patentTermYears('invention', '2001-01-01')).toBe(20);
  });
});

describe('patentExpiry', () => {
  it('is the day before the anniversary, as in the CNIPA guidelines example', () => {
    expect(patentExpiry('1999-09-06', 'invention').toString()).toBe('2019-09-05');
    expect(patentExpiry(BusinessDate.parse('2023-01-01'), 'utility_model').toString()).toBe('2032-12-31');
    expect(patentExpiry('2022-03-01', 'design').toString()).toBe('2037-02-28');
    expect(patentExpiry('2020-03-01', 'design').toString()).toBe('2030-02-28');
  });

  it('handles a filing on 29 February', () => {
    expect(patentExpiry('2000-02-29', 'invention').toString()).toBe('2020-02-28');
    expect(patentExpiry('2004-02-29', 'utility_model').toString()).toBe('2014-02-28');
    expect(patentExpiry('2024-03-01', 'invention').toString()).toBe('2044-02-29');
  });
});
