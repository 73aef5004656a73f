/** Realistic Zhangzhou data for system tests, with identifiers that pass their check characters. */
import { makePatentNumber, makeUscc } from '@ipfin/kernel';

export const ZHANGZHOU = '350600';
export const XIANGCHENG = '350602';
export const LONGWEN = '350603';
/** Counties each owned by one system test file, so region figures there belong to that file alone. */
export const ZHAOAN = '350624';
export const DONGSHAN = '350626';

export const borrower = (serial: number, size: 'micro' | 'small' | 'medium' | 'large' = 'small', regionCode = XIANGCHENG) => ({
  uscc: makeUscc(`91${regionCode}MA${String(serial).padStart(7, '0')}`),
  name: `漳州市第${serial}科技有限公司`,
  size,
  regionCode,
});

export const patent = (serial: number, year = 2022): string => `ZL${makePatentNumber(year, 1, serial)}`;

export function registration(eventId: string, loanRef: string, occurredOn: string, opts: {
  borrower: ReturnType<typeof borrower>; principal: string; patents?: string[]; trademarks?: string[]; inclusive?: boolean; registrationNo?: string;
}) {
  const rights = [
    ...(opts.patents ?? []).map((number) => ({ kind: 'patent', number, title: '一种光伏组件' })),
    ...(opts.trademarks ?? []).map((number) => ({ kind: 'trademark', number })),
  ];
  return {
    eventId, type: 'LoanRegistered', loanRef, occurredOn,
    data: {
      borrower: opts.borrower, principal: opts.principal, annualRate: '0.0385', termMonths: 12, inclusive: opts.inclusive ?? true,
      pledge: { registrationNo: opts.registrationNo ?? `Y${loanRef}`, registeredOn: occurredOn, appraisedValue: '9000000.00', rights },
    },
  };
}

export const event = (eventId: string, type: string, loanRef: string, occurredOn: string, data: Record<string, unknown> = {}) =>
  ({ eventId, type, loanRef, occurredOn, data });
