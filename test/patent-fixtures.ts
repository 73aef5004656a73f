/** Zhangzhou actors and stock patents for the patent-registry system tests (valid check characters). */
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { token } from './support/client';
import { XIANGCHENG, ZHANGZHOU } from './fixtures';

/** 闽南师范大学: lists stock patents. */
export const UNIVERSITY = { sub: 'univ-minnan-normal', uscc: makeUscc('12350600488000123') };
/** 漳州市芗城光电科技有限公司: buys and takes licences. */
export const ENTERPRISE = { sub: 'ent-xiangcheng-optics', uscc: makeUscc('91350602MA2Y7K8Q3'), name: '漳州市芗城光电科技有限公司', regionCode: XIANGCHENG };
export const BANK = 'bank-icbc-zz';

export const universityToken = (): string => token('university', UNIVERSITY.sub, ZHANGZHOU, UNIVERSITY.uscc);
export const enterpriseToken = (): string => token('enterprise', ENTERPRISE.sub, XIANGCHENG, ENTERPRISE.uscc);
export const bankToken = (): string => token('bank', BANK, ZHANGZHOU);

/** Invention patents filed in 2023, in a serial range no other system test uses. */
export const stockPatent = (serial: number): string => makePatentNumber(2023, 1, 7_700_000 + serial);

export const enterpriseParty = { uscc: ENTERPRISE.uscc, name: ENTERPRISE.name, regionCode: ENTERPRISE.regionCode };

export function stockListing(number: string, title: string, extra: Record<string, unknown> = {}) {
  return { number, title, kind: 'invention', status: 'valid', grade: 'A', category: '新能源', ipc: 'H01L31/048', ...extra };
}
