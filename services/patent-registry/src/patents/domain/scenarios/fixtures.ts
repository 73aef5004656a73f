import type { LoanEventBase, LoanRegisteredV1 } from '@ipfin/contracts';
import { BusinessDate, Money, isDomainError, makePatentNumber, makeUscc, type DomainError } from '@ipfin/kernel';
import {
  listPatent,
  type Actor,
  type Counterparty,
  type LicenceCommand,
  type ListedPatentState,
  type ListingInput,
  type LoanStreamEvent,
  type OpenLicenceDeclaration,
  type PatentKind,
  type PatentState,
  type PledgeRef,
} from '..';

/*
 * Zhangzhou (350600) fixtures: a normal university and a vocational college listing stock patents,
 * local and non-local enterprises taking them, two banks taking pledges.
 */

export const d = (text: string): BusinessDate => BusinessDate.parse(text);
export const cny = (text: string): Money => Money.parse(text);

export const ZHANGZHOU = '350600';
export const XIANGCHENG = '350602'; // 芗城区, Zhangzhou
export const LONGHAI = '350681'; // 龙海区, Zhangzhou
export const XIAMEN_SIMING = '350203';

/** 闽南师范大学 — a public institution, USCC starting 12. */
export const minnanNormal: Actor = {
  sub: 'univ-minnan-normal',
  role: 'university',
  region: ZHANGZHOU,
  uscc: makeUscc('12350600488000123'),
};
/** 漳州职业技术学院. */
export const zhangzhouVocational: Actor = {
  sub: 'univ-zhangzhou-vocational',
  role: 'university',
  region: ZHANGZHOU,
  uscc: makeUscc('12350600488000456'),
};

/** 漳州市芗城光电科技有限公司 — local enterprise, as a counterparty and as a token. */
export const xiangchengOptics: Counterparty = {
  uscc: makeUscc('91350602MA2Y7K8Q3'),
  name: '漳州市芗城光电科技有限公司',
  regionCode: XIANGCHENG,
};
export const xiangchengOpticsToken: Actor = {
  sub: 'ent-xiangcheng-optics',
  role: 'enterprise',
  region: XIANGCHENG,
  uscc: xiangchengOptics.uscc,
};

/** 龙海新能源设备有限公司 — local enterprise. */
export const longhaiEnergy: Counterparty = {
  uscc: makeUscc('91350681MA31B2C4D'),
  name: '漳州龙海新能源设备有限公司',
  regionCode: LONGHAI,
};
export const longhaiEnergyToken: Actor = {
  sub: 'ent-longhai-energy',
  role: 'enterprise',
  region: LONGHAI,
  uscc: longhaiEnergy.uscc,
};

/** 厦门思明智能制造有限公司 — outside Zhangzhou. */
export const simingManufacturing: Counterparty = {
  uscc: makeUscc('91350203MA8N4P6R1'),
  name: '厦门思明智能制造有限公司',
  regionCode: XIAMEN_SIMING,
};
export const simingManufacturingToken: Actor = {
  sub: 'ent-siming-mfg',
  role: 'enterprise',
  region: XIAMEN_SIMING,
  uscc: simingManufacturing.uscc,
};

export const ICBC_ZZ = 'bank-icbc-zz';
export const ZZ_RURAL = 'bank-zz-rural-commercial';

/** Invention filed 2023: term to 2042-12-31 on the 1-January assumption. */
export const PV_MODULE = makePatentNumber(2023, 1, 123456);
/** Invention filed 2022. */
export const BATTERY_SEPARATOR = makePatentNumber(2022, 1, 87654);
/** Utility model filed 2022: term to 2031-12-31. */
export const TEA_DRYER = makePatentNumber(2022, 2, 567890);
/** Design filed 2021 (10 years if filed before 2021-06-01: earliest expiry 2030-12-31). */
export const NARCISSUS_VASE = makePatentNumber(2021, 3, 45678);

const KIND_OF: Readonly<Record<string, PatentKind>> = {
  [PV_MODULE]: 'invention',
  [BATTERY_SEPARATOR]: 'invention',
  [TEA_DRYER]: 'utility_model',
  [NARCISSUS_VASE]: 'design',
};

const TITLES: Readonly<Record<string, string>> = {
  [PV_MODULE]: '一种光伏组件的封装方法',
  [BATTERY_SEPARATOR]: '锂离子电池隔膜及其制备方法',
  [TEA_DRYER]: '一种茶叶烘干装置',
  [NARCISSUS_VASE]: '水仙花瓶',
};

export function listingOf(number: string, overrides: Partial<ListingInput> = {}): ListingInput {
  return {
    number,
    title: TITLES[number] ?? '测试专利',
    kind: KIND_OF[number] ?? 'invention',
    status: 'valid',
    grade: 'A',
    category: '新能源',
    ...overrides,
  };
}

/** The patent as listed by `owner` on `on` (optionally on top of a state known from the loan stream). */
export function listedBy(
  owner: Actor,
  number: string,
  options: { on?: string; current?: PatentState; listing?: Partial<ListingInput> } = {},
): ListedPatentState {
  return listPatent(options.current, listingOf(number, options.listing), owner, d(options.on ?? '2024-01-10')).state;
}

export function pledged(state: ListedPatentState, ...pledges: PledgeRef[]): ListedPatentState {
  return { ...state, pledges: [...state.pledges, ...pledges] };
}

export function licence(overrides: Partial<LicenceCommand> = {}): LicenceCommand {
  return {
    licenceId: 'lic-1',
    licensee: xiangchengOptics,
    kind: 'ordinary',
    royalty: cny('50000.00'),
    contractDate: d('2024-03-01'),
    startsOn: d('2024-03-15'),
    endsOn: d('2029-03-14'),
    ...overrides,
  };
}

export function openLicence(overrides: Partial<OpenLicenceDeclaration> = {}): OpenLicenceDeclaration {
  return {
    royalty: { kind: 'lump_sum', amount: cny('20000.00') },
    termYears: 3,
    declaredOn: d('2024-09-01'),
    ...overrides,
  };
}

let sequence = 0;

function loanBase(bank: string, loanRef: string, occurredOn: string, eventId: string): LoanEventBase {
  sequence += 1;
  return { bank, loanRef, eventId, sequence, occurredOn, recordedAt: `${occurredOn}T10:00:00+08:00` };
}

/** A `LoanRegistered` pledging the given rights (patent numbers as the bank wrote them). */
export function loanRegistered(
  bank: string,
  loanRef: string,
  patents: readonly string[],
  options: { trademarks?: readonly string[]; on?: string } = {},
): LoanStreamEvent {
  const on = options.on ?? '2024-02-01';
  const data: LoanRegisteredV1 = {
    ...loanBase(bank, loanRef, on, `${loanRef}-reg`),
    borrower: { uscc: xiangchengOptics.uscc, name: xiangchengOptics.name, size: 'small', regionCode: XIANGCHENG },
    principal: '5000000.00',
    annualRate: '0.0385',
    termMonths: 36,
    inclusive: true,
    pledge: {
      registrationNo: `Y2024980${loanRef.slice(-4)}`,
      registeredOn: on,
      appraisedValue: '8000000.00',
      rights: [
        ...patents.map((number) => ({ kind: 'patent' as const, number })),
        ...(options.trademarks ?? []).map((number) => ({ kind: 'trademark' as const, number })),
      ],
    },
  };
  return { type: 'LoanRegistered', data };
}

export function loanSettled(bank: string, loanRef: string, on = '2025-02-01'): LoanStreamEvent {
  return { type: 'LoanSettled', data: loanBase(bank, loanRef, on, `${loanRef}-settle`) };
}

export function loanDefaulted(bank: string, loanRef: string, on = '2025-01-01'): LoanStreamEvent {
  return { type: 'LoanDefaulted', data: { ...loanBase(bank, loanRef, on, `${loanRef}-default`) } };
}

export function reversalOf(original: LoanStreamEvent, on = '2025-03-01'): LoanStreamEvent {
  if (original.type === 'EventReversed') throw new Error('a reversal cannot be reversed');
  const { bank, loanRef, eventId } = original.data;
  return {
    type: 'EventReversed',
    data: {
      ...loanBase(bank, loanRef, on, `${eventId}-rev`),
      reversedEventId: eventId,
      reversedType: original.type,
      reversed: { ...original.data },
    },
  };
}

/** The domain error `act` throws; fails the test when it does not throw one. */
export function refusal(act: () => unknown): DomainError {
  try {
    act();
  } catch (error: unknown) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected the domain to refuse, but it accepted');
}
