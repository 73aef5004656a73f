import { BusinessDate, Money, makePatentNumber, makeUscc } from '@ipfin/kernel';
import {
  OwnershipView,
  type CounterpartyFact,
  type LicenceKindFact,
  type PatentKindFact,
  type PatentPartyFact,
  type RegistryEvent,
} from '../../../ownership/domain/ownership-view';
import { fileProduct, type FilingEnterprise, type Product, type ProductFiling } from '../product';

/*
 * Realistic Zhangzhou (350600) fixtures: enterprises in its counties with valid USCCs, a local
 * university listing invention patents, and the registry events that move them around.
 */

export const ZHANGZHOU = '350600';
export const LONGHAI = '350681';
export const XIANGCHENG = '350602';
export const ZHANGPU = '350623';

/** Today for the scenarios (Asia/Shanghai). */
export const TODAY = BusinessDate.of(2025, 6, 30);

export const minxinValves: FilingEnterprise = {
  uscc: makeUscc('91350681MA31XK7Q5'),
  name: '福建闽新智能阀门有限公司',
  regionCode: LONGHAI,
  size: 'small',
};

export const jiulongOptics: FilingEnterprise = {
  uscc: makeUscc('91350602MA2Y8H3K1'),
  name: '漳州九龙江光电科技有限公司',
  regionCode: XIANGCHENG,
  size: 'medium',
};

export const zhangpuFoods: FilingEnterprise = {
  uscc: makeUscc('91350623MA8RT2W46'),
  name: '漳浦县海湾食品机械有限公司',
  regionCode: ZHANGPU,
  size: 'micro',
};

/** A public university (USCC type 12) that lists its stock patents. */
export const minnanUniversity: PatentPartyFact = {
  sub: 'univ-mnnu',
  uscc: makeUscc('12350600488542117'),
  name: '闽南师范大学',
  region: ZHANGZHOU,
};

export const asCounterparty = (e: FilingEnterprise): CounterpartyFact => ({
  uscc: e.uscc,
  name: e.name,
  regionCode: e.regionCode,
});
export const asParty = (e: FilingEnterprise): PatentPartyFact => ({ uscc: e.uscc, name: e.name, region: e.regionCode });

/** Invention patents (type 1), a PCT invention (type 8), a utility model (type 2) and a design (type 3). */
export const PATENTS = {
  valveControl: makePatentNumber(2021, 1, 1034567),
  flowSensor: makePatentNumber(2022, 1, 1188990),
  sealRing: makePatentNumber(2020, 1, 1457702),
  opticalCoating: makePatentNumber(2019, 1, 1002391),
  pctActuator: makePatentNumber(2021, 8, 8001234),
  valveHousingUtility: makePatentNumber(2022, 2, 2234561),
  valveDesign: makePatentNumber(2023, 3, 3001122),
  neverListed: makePatentNumber(2022, 1, 1999001),
} as const;

const kindOf = (number: string): PatentKindFact => {
  switch (number[4]) {
    case '2':
    case '9':
      return 'utility_model';
    case '3':
      return 'design';
    default:
      return 'invention';
  }
};

export function listed(
  number: string,
  owner: PatentPartyFact,
  listedOn: string,
  status: 'valid' | 'lapsed' = 'valid',
): RegistryEvent {
  return { type: 'PatentListed', data: { number, kind: kindOf(number), owner, status, listedOn } };
}

export function transferred(
  number: string,
  from: PatentPartyFact,
  assignee: FilingEnterprise,
  contractDate: string,
  transferId = `tr-${number}-${contractDate}`,
): RegistryEvent {
  return {
    type: 'PatentTransferred',
    data: { number, kind: kindOf(number), transferId, from, assignee: asCounterparty(assignee), contractDate },
  };
}

export function licensed(
  number: string,
  licensee: FilingEnterprise,
  licenceKind: LicenceKindFact,
  startsOn: string,
  endsOn: string,
  licenceId = `lic-${number}-${licensee.uscc}-${startsOn}`,
): RegistryEvent {
  return {
    type: 'LicenceRecorded',
    data: {
      number,
      kind: kindOf(number),
      licenceId,
      licensee: asCounterparty(licensee),
      licenceKind,
      startsOn,
      endsOn,
    },
  };
}

export function openLicenceTaken(
  number: string,
  licensee: FilingEnterprise,
  takenOn: string,
  endsOn: string,
  licenceId = `open-${number}-${licensee.uscc}`,
): RegistryEvent {
  return {
    type: 'OpenLicenceTaken',
    data: { number, kind: kindOf(number), licenceId, licensee: asCounterparty(licensee), takenOn, endsOn },
  };
}

export function registry(...events: RegistryEvent[]): OwnershipView {
  return OwnershipView.fromEvents(events);
}

let nextId = 1;
export const productId = (): string => `prod-${String(nextId++).padStart(5, '0')}`;

export function filing(
  enterprise: FilingEnterprise,
  overrides: Partial<Omit<ProductFiling, 'filedOn'>> & { filedOn?: string } = {},
): ProductFiling {
  const { filedOn, ...rest } = overrides;
  return {
    enterprise,
    name: '智能水阀控制器',
    category: '高端装备制造',
    patents: [PATENTS.valveControl],
    annualRevenue: Money.parse('12500000.00'),
    ...rest,
    filedOn: BusinessDate.parse(filedOn ?? '2024-03-15'),
  };
}

/** Files with the given registry and earlier filings, as the service would. */
export function file(
  view: OwnershipView,
  productFiling: ProductFiling,
  earlierFilings: readonly Product[] = [],
): Product {
  return fileProduct({ id: productId(), filing: productFiling, earlierFilings, ownership: view, today: TODAY });
}

/** Catches a thrown value so a scenario can assert on its fields. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected the action to throw');
}
