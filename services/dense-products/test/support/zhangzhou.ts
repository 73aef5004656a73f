/**
 * Zhangzhou parties and the patent-registry events (contract payloads of `ipfin.patents.v1`) the
 * integration tests feed the ownership view with. Identifiers pass their check characters.
 */
import type { PatentKindV1, PatentOwnerV1 } from '@ipfin/contracts';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import type { RegistryRecord } from './products-app';

export const ZHANGZHOU = '350600';
export const XIANGCHENG = '350602';
export const LONGHAI = '350681';
export const NANAN = '350583';
export const QUANZHOU = '350500';
export const FUJIAN = '350000';

export interface Enterprise {
  uscc: string;
  name: string;
  regionCode: string;
  size: 'micro' | 'small' | 'medium' | 'large';
}

export const enterprise = (
  serial: number,
  regionCode: string,
  name = `漳州市第${serial}智能装备有限公司`,
): Enterprise => ({
  uscc: makeUscc(`91${regionCode}MA${String(serial).padStart(7, '0')}`),
  name,
  regionCode,
  size: 'small',
});

export const minnanUniversity: PatentOwnerV1 = {
  sub: 'univ-mnnu',
  role: 'university',
  uscc: makeUscc('12350600488542117'),
  name: '闽南师范大学',
  region: ZHANGZHOU,
};

export const invention = (serial: number, year = 2021): string => makePatentNumber(year, 1, serial);
export const utilityModel = (serial: number, year = 2022): string => makePatentNumber(year, 2, serial);

const kindOf = (number: string): PatentKindV1 =>
  number[4] === '2' || number[4] === '9' ? 'utility_model' : number[4] === '3' ? 'design' : 'invention';

const asOwner = (e: Enterprise): PatentOwnerV1 => ({ uscc: e.uscc, name: e.name, region: e.regionCode });
const asCounterparty = (e: Enterprise) => ({ uscc: e.uscc, name: e.name, regionCode: e.regionCode });

export function listed(
  number: string,
  opts: { owner?: PatentOwnerV1; listedOn?: string; status?: 'valid' | 'lapsed' } = {},
): RegistryRecord {
  return {
    type: 'PatentListed',
    data: {
      number,
      kind: kindOf(number),
      title: `一种智能阀门控制方法（${number}）`,
      owner: opts.owner ?? minnanUniversity,
      status: opts.status ?? 'valid',
      filedYear: Number(number.slice(0, 4)),
      pct: number[4] === '8' || number[4] === '9',
      grantedOn: '2023-05-12',
      listedOn: opts.listedOn ?? '2024-01-02',
    },
  };
}

export function transferred(
  number: string,
  from: PatentOwnerV1 | Enterprise,
  to: Enterprise,
  contractDate: string,
): RegistryRecord {
  return {
    type: 'PatentTransferred',
    data: {
      number,
      kind: kindOf(number),
      transferId: `tr-${number}-${to.uscc}-${contractDate}`,
      from: 'uscc' in from && 'regionCode' in from ? asOwner(from) : from,
      assignee: asCounterparty(to),
      price: '180000.00',
      contractDate,
      recordedOn: contractDate,
    },
  };
}

export function licensed(
  number: string,
  licensee: Enterprise,
  licenceKind: 'exclusive' | 'sole' | 'ordinary',
  startsOn: string,
  endsOn: string,
): RegistryRecord {
  return {
    type: 'LicenceRecorded',
    data: {
      number,
      kind: kindOf(number),
      licenceId: `lic-${number}-${licensee.uscc}-${startsOn}`,
      licensor: minnanUniversity,
      licensee: asCounterparty(licensee),
      licenceKind,
      royalty: '20000.00',
      contractDate: startsOn,
      startsOn,
      endsOn,
      viaOpenLicence: false,
    },
  };
}

/** A filing body as api.md shows it. */
export const filing = (
  name: string,
  patents: string[],
  filedOn = '2024-03-15',
  extra: Record<string, unknown> = {},
) => ({
  name,
  category: '高端装备制造',
  patents,
  filedOn,
  annualRevenue: '12500000.00',
  ...extra,
});
