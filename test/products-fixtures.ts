/** Zhangzhou parties for the product system tests, with identifiers that pass their check characters. */
import { randomInt } from 'node:crypto';
import { makePatentNumber, makeUscc, shanghaiToday, systemClock } from '@ipfin/kernel';

export const ZHANGZHOU = '350600';
export const LONGHAI = '350681';

/** A public university (USCC type 12) listing its stock patents. */
export const minnanUniversity = { sub: 'univ-mnnu', uscc: makeUscc('12350600488542117'), region: ZHANGZHOU };

/** An enterprise in a county of Zhangzhou, as a transfer names it (and its token carries it). */
export const valveMaker = (serial: number) => ({
  uscc: makeUscc(`91${LONGHAI}MA${String(serial).padStart(7, '0')}`),
  name: '福建闽新智能阀门有限公司',
  regionCode: LONGHAI,
});

/**
 * A fresh invention patent number for this run: the registry's schema is wiped before every
 * system run, the topic is not, so a number from an earlier run never mixes into this one.
 */
export const freshInvention = (): string => makePatentNumber(2022, 1, randomInt(1_000_000, 9_999_999));

/** Today in Asia/Shanghai (`YYYY-MM-DD`): the business date the stack stamps on listings. */
export const todayInShanghai = (): string => shanghaiToday(systemClock).toString();

/** A listing as `POST /v1/patents` takes it. */
export const inventionListing = (number: string) => ({
  number: `ZL${number}`,
  title: '一种智能水阀的流量控制方法',
  kind: 'invention',
  status: 'valid',
  grantedOn: '2023-05-12',
  grade: 'A',
  category: '高端装备制造',
  keywords: ['智能阀门', '流量控制'],
});
