import { BusinessDate, isLeapYear } from '../time/business-date';
import { PatentKind } from './patent-number';

/** Designs filed from this day on get 15 years (Patent Law as amended in 2020, art. 42). */
export const DESIGN_15_YEAR_TERM_FROM = BusinessDate.of(2021, 6, 1);

/**
 * Statutory term in years, counted from the filing date: invention 20, utility model 10, design 15.
 * With a filing date, designs filed before 2021-06-01 get their old 10-year term. Term adjustments
 * (patent term compensation for delays) are not modelled.
 */
export function patentTermYears(kind: PatentKind, filingDate?: BusinessDate | string): number {
  switch (kind) {
    case 'invention':
      return 20;
    case 'utility_model':
      return 10;
    case 'design':
      return filingDate !== undefined && BusinessDate.from(filingDate).isBefore(DESIGN_15_YEAR_TERM_FROM) ? 10 : 15;
  }
}

/**
 * Last day the patent is in force, ignoring early lapse (unpaid annuities, surrender): the day
 * before the term's anniversary of the filing date. The CNIPA examination guidelines' example: an
 * invention filed 1999-09-06 is protected 1999-09-06 … 2019-09-05. A loan pledging it may not
 * mature after this day. Filed on 29 February, a term ending in a common year ends on 28 February.
 */
export function patentExpiry(filingDate: BusinessDate | string, kind: PatentKind): BusinessDate {
  const filed = BusinessDate.from(filingDate);
  const endYear = filed.year + patentTermYears(kind, filed);
  if (filed.month === 2 && filed.day === 29 && !isLeapYear(endYear)) return BusinessDate.of(endYear, 2, 28);
  return BusinessDate.of(endYear, filed.month, filed.day).addDays(-1);
}
