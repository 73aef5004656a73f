/**
 * The golden dataset of test/metrics-golden.spec.ts, generated deterministically from a seed, and
 * an oracle that recomputes every figure the metrics endpoints answer from that data alone: it
 * knows the programs' rules (api.md, the policies) but shares no code with the services.
 *
 * Everything lives in regions and under names no other system test uses (Zhangzhou's counties
 * 350627-350629, Quanzhou's 350521/350524, Nan'an 350583, `*-gold*` institutions), so county
 * figures and per-institution rows are exact even when other tests ran on the same stack first;
 * and Zhangzhou gets no 2023 data, which another test charts exactly.
 */
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { prng } from '@ipfin/testing';

export const SEED = 20_260_705;

export const ZZ = '350600';
export const QZ = '350500';
export const NANAN = '350583';
export const ZZ_COUNTIES = ['350627', '350628', '350629'] as const;
export const QZ_COUNTIES = ['350521', '350524'] as const;
export const FUND_REGION = '350627';
export const BANKS = [
  { sub: 'bank-gold-a', region: ZZ },
  { sub: 'bank-gold-b', region: ZZ },
  { sub: 'bank-gold-c', region: QZ },
] as const;
export const COOPERATING = ['bank-gold-a', 'bank-gold-b'];
export const AGENCY = 'agency-gold';
export const UNIVERSITY = { sub: 'univ-gold', region: '350627', uscc: makeUscc('12350627GD0000001') };
export const FUND = { sub: 'fund-gold', region: FUND_REGION };
/** Dates of 2026 activity stay before this day (the data must not lie in the future). */
const LAST_DAY_2026 = '2026-10-31';


const DAY = 86_400_000;
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
export const yuan = (fen: bigint): string => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${((fen < 0n ? -fen : fen) % 100n).toString().padStart(2, '0')}`;
export const fenOf = (s: string): bigint => {
  const [whole, cents = ''] = s.replace('-', '').split('.');
  const v = BigInt(whole) * 100n + BigInt(cents.padEnd(2, '0'));
  return s.startsWith('-') ? -v : v;
};
/** n ÷ d, four places, half-up; "0.0000" when d is 0. */
export const ratio4 = (n: bigint, d: bigint): string => {
  if (d === 0n) return '0.0000';
  const scaled = (n * 20000n + d) / (2n * d);
  return `${scaled / 10000n}.${(scaled % 10000n).toString().padStart(4, '0')}`;
};
const halfUpPercent = (fen: bigint, percent: bigint): bigint => (fen * percent * 2n + 100n) / 200n;

// ---- the data ---------------------------------------------------------------------------------

export interface Party { uscc: string; name: string; regionCode: string }
export interface Borrower extends Party { size: 'micro' | 'small' | 'medium' | 'large' }

export interface LoanEvent { eventId: string; type: string; loanRef: string; occurredOn: string; data: Record<string, any> }
export interface Loan {
  bank: string; loanRef: string; borrower: Borrower; principalFen: bigint; registeredOn: string;
  patent: boolean; inclusive: boolean; agencyId?: string; events: LoanEvent[];
}

export interface Transfer { number: string; invention: boolean; assignee: Party; price: string; contractDate: string; recordedOn?: string; agencyId?: string }
export interface Licence { number: string; licensee: Party; kind: 'exclusive' | 'sole' | 'ordinary'; royalty: string; contractDate: string; startsOn: string; endsOn: string; recordedOn?: string; agencyId?: string }
export interface OpenLicence { number: string; declaredOn: string; termYears: number; expiresOn: string; withdrawnOn?: string; takers: { licensee: Party; takenOn: string }[] }
export interface Product {
  key: string; enterprise: Party & { size: 'small' }; byAgency: boolean; name: string; patents: string[]; filedOn: string;
  decision?: { kind: 'recognised'; on: string; certificateNo: string; withdrawnOn?: string } | { kind: 'rejected'; on: string };
}
export interface Contribution { amount: string; receivedOn: string }
export interface ClaimPlan { bank: string; loanRef: string; loss: bigint; defaultedOn: string; fate: 'filed' | 'approved' | 'rejected'; /** Recorded today, after the payout (which happens on approval, today). */
  recovery?: { amount: bigint } }

export interface GoldenData {
  loans: Loan[];
  listings: { number: string; title: string; kind: 'invention' | 'utility_model' }[];
  transfers: Transfer[];
  licences: Licence[];
  openLicences: OpenLicence[];
  products: Product[];
  contributions: Contribution[];
  claims: ClaimPlan[];
}

export function generateGolden(seed = SEED): GoldenData {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;
  const between = (from: string, to: string): string => addDays(from, int(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY)));
  const money = (lo: number, hi: number): bigint => BigInt(int(lo, hi)) * 100n + BigInt(int(0, 99));
  const sizes = ['micro', 'small', 'medium', 'large'] as const;

  // ---- loans
  const borrowers: Borrower[] = [];
  const borrowerIn = (region: string, n: number): Borrower => {
    const b: Borrower = { uscc: makeUscc(`91${region}GD${String(n).padStart(7, '0')}`), name: `金样企业${n}`, regionCode: region, size: sizes[n % 4] };
    borrowers.push(b);
    return b;
  };
  const pool = [...ZZ_COUNTIES, ...QZ_COUNTIES, NANAN].flatMap((region, r) => Array.from({ length: 6 }, (_, i) => borrowerIn(region, 100 * (r + 1) + i)));
  const loans: Loan[] = [];
  let patentSerial = 7_100_000;
  const addLoan = (bank: string, borrower: Borrower, registeredOn: string, lastDay: string, opts: { agencyId?: string; inclusive?: boolean; plain?: boolean; defaults?: boolean } = {}): Loan => {
    const loanRef = `GOLD-${bank.slice(-1).toUpperCase()}-${loans.length + 1}`;
    const principalFen = money(200_000, 3_000_000);
    const patent = chance(0.6);
    const rights = patent
      ? [{ kind: 'patent', number: makePatentNumber(2015, 1, ++patentSerial) }, ...(chance(0.3) ? [{ kind: 'trademark', number: String(60_000_000 + loans.length) }] : [])]
      : [{ kind: 'trademark', number: String(70_000_000 + loans.length) }];
    const inclusive = opts.inclusive ?? (borrower.size !== 'large' && chance(0.7));
    const loan: Loan = { bank, loanRef, borrower, principalFen, registeredOn, patent, inclusive, ...(opts.agencyId ? { agencyId: opts.agencyId } : {}), events: [] };
    loans.push(loan);
    let seq = 0;
    const ev = (type: string, occurredOn: string, data: Record<string, any>): LoanEvent => {
      const e = { eventId: `${loanRef}-${++seq}`, type, loanRef, occurredOn, data };
      loan.events.push(e);
      return e;
    };
    ev('LoanRegistered', registeredOn, {
      borrower, principal: yuan(principalFen), annualRate: '0.0385', termMonths: 24, inclusive,
      pledge: { registrationNo: `Y${loanRef}`, registeredOn, appraisedValue: yuan(principalFen * 2n), rights },
      ...(opts.agencyId ? { agencyId: opts.agencyId } : {}),
    });
    if (opts.plain) return loan;
    const span = Math.max(1, Math.round((Date.parse(lastDay) - Date.parse(registeredOn)) / DAY));
    let day = registeredOn;
    const step = (): string => (day = addDays(day, Math.max(1, Math.floor(span / 6))));
    let disbursed = 0n;
    const tranches = opts.defaults ? int(1, 2) : int(0, 2);
    for (let t = 0; t < tranches; t++) {
      const amount = t === tranches - 1 ? loan.principalFen - disbursed : (loan.principalFen * BigInt(int(30, 60))) / 100n;
      disbursed += amount;
      ev('LoanDisbursed', step(), { amount: yuan(amount) });
    }
    let outstanding = disbursed;
    if (outstanding > 0n && chance(0.5)) {
      const principal = chance(0.2) && !opts.defaults ? outstanding : (outstanding * BigInt(int(10, 60))) / 100n;
      outstanding -= principal;
      ev('RepaymentReceived', step(), { principal: yuan(principal), interest: yuan(principal / 25n) });
      if (outstanding === 0n) {
        ev('LoanSettled', step(), {});
        return loan;
      }
    }
    if (outstanding > 0n && (opts.defaults || chance(0.35))) {
      if (chance(0.5)) ev('LoanOverdue', step(), { overdueDays: 95 });
      ev('LoanDefaulted', step(), { principalLoss: yuan((outstanding * BigInt(int(30, 100))) / 100n) });
    }
    return loan;
  };
  // Quanzhou before 2019 (its 2016 plan's targets), everyone 2023-2026, agency-gold's inclusive 2026 cluster.
  for (let i = 0; i < 8; i++) addLoan('bank-gold-c', pick(pool.filter((b) => b.regionCode.startsWith('3505'))), between('2017-01-01', '2018-12-31'), '2018-12-31');
  for (let i = 0; i < 60; i++) {
    const bank = pick(BANKS).sub;
    const borrower = pick(bank === 'bank-gold-c' ? pool.filter((b) => b.regionCode.startsWith('3505')) : pool);
    // Zhangzhou from 2024 only: another system test charts Zhangzhou's 2023 exactly.
    const registeredOn = between(borrower.regionCode.startsWith('3506') ? '2024-01-01' : '2023-01-01', '2026-06-30');
    addLoan(bank, borrower, registeredOn, LAST_DAY_2026, { ...(chance(0.1) ? { agencyId: AGENCY } : {}) });
  }
  const zzSmes = pool.filter((b) => b.regionCode.startsWith('3506') && b.size !== 'large');
  // Covered loans of the 350627 fund that go bad (its claims).
  const fundSmes = pool.filter((b) => b.regionCode === FUND_REGION && b.size !== 'large');
  for (let i = 0; i < 8; i++) addLoan(pick(COOPERATING), fundSmes[i % fundSmes.length], between('2024-01-01', '2025-12-31'), LAST_DAY_2026, { defaults: true });
  for (let i = 0; i < 7; i++) addLoan(pick(COOPERATING), zzSmes[i % 6], between('2026-01-05', '2026-05-31'), LAST_DAY_2026, { agencyId: AGENCY, inclusive: true });
  // Corrections: the last event of some loans reversed, some loans unwound entirely.
  for (const [i, loan] of loans.entries()) {
    const last = loan.events[loan.events.length - 1];
    const lastDay = loan.events.reduce((d, e) => (e.occurredOn > d ? e.occurredOn : d), loan.registeredOn);
    let seq = loan.events.length;
    const reverse = (target: LoanEvent): void => {
      loan.events.push({ eventId: `${loan.loanRef}-${++seq}`, type: 'EventReversed', loanRef: loan.loanRef, occurredOn: lastDay, data: { reversedEventId: target.eventId } });
    };
    if (i % 13 === 5 && !loan.agencyId) {
      for (const e of [...loan.events].reverse()) reverse(e);
    } else if (i % 7 === 3 && loan.events.length > 1 && last.type !== 'LoanSettled') {
      reverse(last);
    }
  }

  // Loans that default again: pledge-loans adds the losses up and reports the earliest default not
  // reversed as `defaultedOn`; metrics counts each defaulted loan once, on that date. Three loans
  // outside the fund (their claims stay as they are): a later default with a loss, an earlier one
  // without a loss, and a later one after which the first is reversed. No random draw: everything
  // else stays as it was.
  const againCandidates = loans.filter((l) => l.registeredOn >= '2023-01-01' && !isCovered(l) && !l.events.some((e) => e.type === 'EventReversed')
    && l.events.filter((e) => e.type === 'LoanDefaulted').length === 1
    && l.events.find((e) => e.type === 'LoanDefaulted')!.occurredOn <= addDays(LAST_DAY_2026, -30));
  againCandidates.slice(0, 3).forEach((loan, k) => {
    const first = loan.events.find((e) => e.type === 'LoanDefaulted')!;
    const sum = (type: string, field: string): bigint => loan.events.filter((e) => e.type === type).reduce((n, e) => n + fenOf(e.data[field]), 0n);
    const owed = sum('LoanDisbursed', 'amount') - sum('RepaymentReceived', 'principal') - sum('LoanDefaulted', 'principalLoss');
    const push = (type: string, occurredOn: string, data: Record<string, any>): LoanEvent => {
      const e = { eventId: `${loan.loanRef}-${loan.events.length + 1}`, type, loanRef: loan.loanRef, occurredOn, data };
      loan.events.push(e);
      return e;
    };
    if (k === 1) {
      push('LoanDefaulted', loan.events.find((e) => e.type === 'LoanDisbursed')!.occurredOn, { principalLoss: '0.00' });
    } else {
      const later = push('LoanDefaulted', addDays(first.occurredOn, 20), { principalLoss: yuan(owed / 2n) });
      if (k === 2) push('EventReversed', later.occurredOn, { reversedEventId: first.eventId });
    }
  });

  // ---- patents: univ-gold lists them, transfers, licenses, declares open licences
  const listings: GoldenData['listings'] = [];
  let serial = 7_200_000;
  const newPatent = (invention: boolean): string => {
    const number = makePatentNumber(2022, invention ? 1 : 2, ++serial);
    listings.push({ number, title: `金样专利${serial}`, kind: invention ? 'invention' : 'utility_model' });
    return number;
  };
  const enterprise = (n: number, region: string): Party =>
    ({ uscc: makeUscc(`91${region}GE${String(n).padStart(7, '0')}`), name: `金样受让企业${n}`, regionCode: region });
  const holders = Array.from({ length: 5 }, (_, i) => enterprise(i + 1, i < 3 ? '350627' : '350628'));
  const transfers: Transfer[] = [];
  for (let i = 0; i < 24; i++) {
    const invention = i < 20;
    const assignee = invention ? holders[i % 5] : enterprise(50 + i, '350629');
    const contractDate = between('2026-01-10', '2026-08-31');
    transfers.push({
      number: newPatent(invention), invention, assignee, price: yuan(money(10_000, 400_000)), contractDate,
      ...(chance(0.6) ? { recordedOn: addDays(contractDate, int(5, 50)) } : {}), ...(i < 22 ? { agencyId: AGENCY } : {}),
    });
  }
  const kinds = ['exclusive', 'sole', 'ordinary'] as const;
  const licences: Licence[] = Array.from({ length: 30 }, (_, i) => {
    const contractDate = between('2026-01-10', '2026-08-31');
    return {
      number: newPatent(true), licensee: enterprise(100 + i, pick(['350627', '350628'])), kind: kinds[i % 3], royalty: i % 5 === 0 ? '0.00' : yuan(money(1000, 80_000)),
      contractDate, startsOn: contractDate, endsOn: addDays(contractDate, 3 * 365), ...(chance(0.5) ? { recordedOn: addDays(contractDate, int(5, 60)) } : {}),
      ...(i < 28 ? { agencyId: AGENCY } : {}),
    };
  });
  const openLicences: OpenLicence[] = Array.from({ length: 6 }, (_, i) => {
    const declaredOn = between('2026-02-01', '2026-06-30');
    const termYears = i === 0 ? 1 : 3;
    return {
      number: newPatent(true), declaredOn, termYears, expiresOn: addDays(addDays(declaredOn, 365 * termYears), -1),
      ...(i === 1 ? { withdrawnOn: addDays(declaredOn, 60) } : {}),
      takers: i < 4 ? [{ licensee: enterprise(200 + i, '350628'), takenOn: addDays(declaredOn, 10 + i) }] : [],
    };
  });

  // ---- products of the five holders of transferred invention patents
  const products: Product[] = [];
  const patentsOf = (e: Party): string[] => transfers.filter((t) => t.invention && t.assignee.uscc === e.uscc).map((t) => t.number);
  const lastTransfer = transfers.reduce((d, t) => (t.contractDate > d ? t.contractDate : d), '2026-01-01');
  holders.forEach((holder, h) => {
    const count = h === 0 ? 24 : 8;
    for (let i = 0; i < count; i++) {
      const filedOn = between(addDays(lastTransfer, 1), '2026-09-15');
      const p: Product = {
        key: `${h}-${i}`, enterprise: { ...holder, size: 'small' }, byAgency: h === 0 || i < 7, name: `金样产品${h}-${i}`, patents: patentsOf(holder).slice(0, 1 + (i % 2)), filedOn,
      };
      if (h === 0 ? i < 22 : i < 4) p.decision = { kind: 'recognised', on: addDays(filedOn, int(3, 30)), certificateNo: `GOLD-${h}-${i}` };
      else if (h !== 0 && i < 6) p.decision = { kind: 'rejected', on: addDays(filedOn, int(3, 30)) };
      products.push(p);
    }
  });
  // One of the first enterprise's recognitions is withdrawn (its reward goes to the next in line).
  const withdrawn = products.find((p) => p.key === '0-3')!;
  if (withdrawn.decision?.kind === 'recognised') withdrawn.decision.withdrawnOn = addDays(withdrawn.decision.on, 5);

  // ---- the county fund of 350627: capital and claims on its covered, defaulted loans
  const contributions: Contribution[] = [
    { amount: '20000000.00', receivedOn: '2024-02-01' },
    { amount: '15000000.00', receivedOn: '2024-03-15' },
    { amount: '10000000.50', receivedOn: '2026-01-05' },
  ];
  const claims: ClaimPlan[] = [];
  for (const loan of loans) {
    if (!isCovered(loan)) continue;
    const effective = effectiveEvents(loan);
    const defaults = effective.filter((e) => e.type === 'LoanDefaulted');
    if (defaults.length === 0) continue;
    const loss = fenOf(defaults[0].data.principalLoss);
    const fate = (['approved', 'approved', 'rejected', 'filed', 'approved'] as const)[claims.length % 5];
    claims.push({
      bank: loan.bank, loanRef: loan.loanRef, loss, defaultedOn: defaults[0].occurredOn, fate,
      ...(fate === 'approved' && claims.length % 2 === 0 ? { recovery: { amount: loss / 4n } } : {}),
    });
  }
  return { loans, listings, transfers, licences, openLicences, products, contributions, claims };
}

/** The loan events that still count: not reversals, not reversed. */
export function effectiveEvents(loan: Loan): LoanEvent[] {
  const reversed = new Set(loan.events.filter((e) => e.type === 'EventReversed').map((e) => e.data.reversedEventId as string));
  return loan.events.filter((e) => e.type !== 'EventReversed' && !reversed.has(e.eventId));
}

/** Covered by the 350627 fund: a cooperating bank, an SME borrower in 350627, a registration that stands. */
export function isCovered(loan: Loan): boolean {
  return loan.borrower.regionCode === FUND_REGION && COOPERATING.includes(loan.bank) && loan.borrower.size !== 'large'
    && effectiveEvents(loan).some((e) => e.type === 'LoanRegistered');
}

/** Each bank's events, as it reports them: loan by loan, in order. */
export function loanEventsByBank(d: GoldenData): Map<string, LoanEvent[]> {
  const out = new Map<string, LoanEvent[]>();
  for (const loan of d.loans) out.set(loan.bank, [...(out.get(loan.bank) ?? []), ...loan.events]);
  return out;
}

// ---- the oracle -------------------------------------------------------------------------------

export interface Window { regions: readonly string[] | ((region: string) => boolean); from: string; to: string }

const within = (w: Window, region: string): boolean => (typeof w.regions === 'function' ? w.regions(region) : w.regions.includes(region));
const inDays = (w: Window, day: string | undefined): boolean => day !== undefined && day >= w.from && day <= w.to;

export function financing(d: GoldenData, w: Window, filter: { bank?: string; key?: (loan: Loan) => string } = {}) {
  const rows = new Map<string, { loans: number; contracted: bigint; disbursed: bigint; stock: bigint; smes: Set<string>; patent: bigint; trademark: bigint; defaults: number; loss: bigint }>();
  for (const loan of d.loans) {
    if (!within(w, loan.borrower.regionCode) || (filter.bank && loan.bank !== filter.bank)) continue;
    const effective = effectiveEvents(loan);
    if (!effective.some((e) => e.type === 'LoanRegistered')) continue;
    const key = filter.key ? filter.key(loan) : 'totals';
    const r = rows.get(key) ?? { loans: 0, contracted: 0n, disbursed: 0n, stock: 0n, smes: new Set<string>(), patent: 0n, trademark: 0n, defaults: 0, loss: 0n };
    rows.set(key, r);
    // A defaulted loan counts once, on its earliest default still standing (pledge-loans' defaultedOn).
    const defaultedOn = effective.filter((e) => e.type === 'LoanDefaulted').map((e) => e.occurredOn).sort()[0];
    if (inDays(w, defaultedOn)) r.defaults += 1;
    for (const e of effective) {
      const before = e.occurredOn <= w.to;
      switch (e.type) {
        case 'LoanRegistered':
          if (inDays(w, e.occurredOn)) {
            r.loans += 1;
            r.contracted += loan.principalFen;
            if (loan.patent) r.patent += loan.principalFen;
            else r.trademark += loan.principalFen;
            if (loan.borrower.size !== 'large') r.smes.add(loan.borrower.uscc);
          }
          break;
        case 'LoanDisbursed':
          if (inDays(w, e.occurredOn)) r.disbursed += fenOf(e.data.amount);
          if (before) r.stock += fenOf(e.data.amount);
          break;
        case 'RepaymentReceived':
          if (before) r.stock -= fenOf(e.data.principal);
          break;
        case 'LoanDefaulted':
          if (before) r.stock -= fenOf(e.data.principalLoss);
          if (inDays(w, e.occurredOn)) r.loss += fenOf(e.data.principalLoss);
          break;
        default:
          break;
      }
    }
  }
  return new Map([...rows.entries()].map(([key, r]) => [key, {
    loans: r.loans, contracted: yuan(r.contracted), disbursed: yuan(r.disbursed), outstanding: yuan(r.stock), smesServed: r.smes.size,
    patentPledged: yuan(r.patent), trademarkPledged: yuan(r.trademark), defaults: r.defaults, principalLoss: yuan(r.loss),
  }]));
}

export const ZERO_FIGURES = {
  loans: 0, contracted: '0.00', disbursed: '0.00', outstanding: '0.00', smesServed: 0, patentPledged: '0.00', trademarkPledged: '0.00', defaults: 0, principalLoss: '0.00',
};

/**
 * Whether the bank evaluation lists `bank`: it registered, had a loan default or declared a loss in
 * the window (a later default's loss of a loan that defaulted before it too).
 */
export function bankListed(d: GoldenData, w: Window, bank: string): boolean {
  const f = financing(d, w, { bank }).get('totals') ?? ZERO_FIGURES;
  return f.loans > 0 || f.defaults > 0 || fenOf(f.principalLoss) !== 0n;
}

export function bankRow(d: GoldenData, w: Window, bank: string) {
  const f = financing(d, w, { bank }).get('totals') ?? ZERO_FIGURES;
  const inclusiveLoans = d.loans.filter((l) => l.bank === bank && l.inclusive && within(w, l.borrower.regionCode) && inDays(w, l.registeredOn)
    && effectiveEvents(l).some((e) => e.type === 'LoanRegistered')).length;
  return {
    bank, smesServed: f.smesServed, contracted: f.contracted, loans: f.loans, inclusiveLoans, defaults: f.defaults,
    defaultRate: ratio4(fenOf(f.principalLoss), fenOf(f.contracted)),
  };
}

const zhangzhouUniversityReward = (n: number): bigint => (n < 6 ? 0n : (3_000_000n + 500_000n * BigInt(n - 6) < 30_000_000n ? 3_000_000n + 500_000n * BigInt(n - 6) : 30_000_000n));

/** In Zhangzhou, 2024-02-02 … 2029-02-01, for a calendar year overlapping that. */
const zhangzhouPolicyYear = (year: number): boolean => year >= 2024 && year <= 2029;

export function transfers(d: GoldenData, w: Window, inForceOn: string, zhangzhouPolicy: boolean) {
  const ts = d.transfers.filter((t) => within(w, t.assignee.regionCode));
  const ls = d.licences.filter((l) => within(w, l.licensee.regionCode));
  const ols = within(w, UNIVERSITY.region) ? d.openLicences : [];
  const perYear = new Map<number, number>();
  for (const t of ts.filter((x) => x.invention && inDays(w, x.contractDate))) perYear.set(Number(t.contractDate.slice(0, 4)), (perYear.get(Number(t.contractDate.slice(0, 4))) ?? 0) + 1);
  const n = [...perYear.values()].reduce((a, b) => a + b, 0);
  const reward = [...perYear.entries()].reduce((sum, [year, count]) => sum + (zhangzhouPolicy && zhangzhouPolicyYear(year) ? zhangzhouUniversityReward(count) : 0n), 0n);
  return {
    transfers: ts.filter((t) => inDays(w, t.contractDate)).length,
    licences: Object.fromEntries((['exclusive', 'sole', 'ordinary'] as const).map((k) => [k, ls.filter((l) => l.kind === k && inDays(w, l.contractDate)).length])),
    recordedContracts: [...ts, ...ls].filter((x) => inDays(w, x.recordedOn)).length,
    openLicencesDeclared: ols.filter((o) => inDays(w, o.declaredOn)).length,
    openLicencesInForce: ols.filter((o) => o.declaredOn <= inForceOn && o.expiresOn >= inForceOn && (o.withdrawnOn === undefined || o.withdrawnOn > inForceOn)).length,
    openLicencesTaken: ols.flatMap((o) => o.takers).filter((t) => inDays(w, t.takenOn)).length,
    universityReward: n > 0 ? { sub: UNIVERSITY.sub, inventionTransfersToLocalEnterprises: n, reward: yuan(reward) } : undefined,
  };
}

/** ¥5 000 per recognised product, at most ¥100 000 per enterprise and calendar year (zhangzhou-2024 §9). */
export function products(d: GoldenData, w: Window) {
  const ps = d.products.filter((p) => within(w, p.enterprise.regionCode));
  const standing = ps.filter((p) => p.decision?.kind === 'recognised' && !p.decision.withdrawnOn && inDays(w, p.decision.on));
  const rows = new Map<string, { filed: number; recognised: number; rewardFen: bigint }>();
  const row = (uscc: string) => rows.get(uscc) ?? rows.set(uscc, { filed: 0, recognised: 0, rewardFen: 0n }).get(uscc)!;
  for (const p of ps.filter((x) => inDays(w, x.filedOn))) row(p.enterprise.uscc).filed += 1;
  const perYear = new Map<string, number>();
  for (const p of standing) {
    row(p.enterprise.uscc).recognised += 1;
    const k = `${p.enterprise.uscc}|${p.decision!.on.slice(0, 4)}`;
    perYear.set(k, (perYear.get(k) ?? 0) + 1);
  }
  for (const [k, count] of perYear) {
    const reward = BigInt(count) * 500_000n;
    row(k.split('|')[0]).rewardFen += reward > 10_000_000n ? 10_000_000n : reward;
  }
  const total = [...rows.values()].reduce((n, r) => n + r.rewardFen, 0n);
  return {
    filed: ps.filter((p) => inDays(w, p.filedOn)).length,
    recognised: standing.length,
    rejected: ps.filter((p) => p.decision?.kind === 'rejected' && inDays(w, p.decision.on)).length,
    rewards: yuan(total),
    rows: [...rows.entries()].filter(([, r]) => r.filed || r.recognised || r.rewardFen).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([enterprise, r]) => ({ enterprise, filed: r.filed, recognised: r.recognised, reward: yuan(r.rewardFen) })),
  };
}

export function agencyRow(d: GoldenData, w: Window, zhangzhouPolicy: boolean) {
  const registrations = d.loans.filter((l) => l.agencyId === AGENCY && l.inclusive && within(w, l.borrower.regionCode) && inDays(w, l.registeredOn)
    && effectiveEvents(l).some((e) => e.type === 'LoanRegistered'));
  const deals = [...d.transfers.map((t) => ({ agencyId: t.agencyId, region: t.assignee.regionCode, day: t.contractDate })),
    ...d.licences.map((l) => ({ agencyId: l.agencyId, region: l.licensee.regionCode, day: l.contractDate }))]
    .filter((x) => x.agencyId === AGENCY && within(w, x.region) && inDays(w, x.day));
  const filings = d.products.filter((p) => p.byAgency && within(w, p.enterprise.regionCode) && inDays(w, p.filedOn));
  const years = new Set([...registrations.map((r) => r.registeredOn), ...deals.map((x) => x.day), ...filings.map((p) => p.filedOn)].map((x) => Number(x.slice(0, 4))));
  let subsidy = 0n;
  for (const year of years) {
    const y = (day: string): boolean => Number(day.slice(0, 4)) === year;
    // Zhangzhou §13: inclusive *patent* pledge registrations benefiting ≥ 5 enterprises.
    const enterprises = new Set(registrations.filter((r) => y(r.registeredOn) && r.patent).map((r) => r.borrower.uscc)).size;
    if (zhangzhouPolicy && zhangzhouPolicyYear(year) && enterprises >= 5 && deals.filter((x) => y(x.day)).length >= 50 && filings.filter((p) => y(p.filedOn)).length >= 50) subsidy += 15_000_000n;
  }
  const row = {
    agency: AGENCY,
    inclusivePledgeEnterprises: new Set(registrations.map((r) => r.borrower.uscc)).size,
    transfersAndLicences: deals.length,
    productFilings: filings.length,
    subsidyEarned: subsidy > 0n,
    subsidy: yuan(subsidy),
  };
  return row.inclusivePledgeEnterprises || row.transfersAndLicences || row.productFilings ? row : undefined;
}

/** The 350627 fund, everything up to today (claims are filed, approved and paid today). */
export function riskFund(d: GoldenData) {
  const capital = d.contributions.reduce((n, c) => n + fenOf(c.amount), 0n);
  const approved = d.claims.filter((c) => c.fate === 'approved');
  const fundShare = (c: ClaimPlan): bigint => halfUpPercent(c.loss, 80n);
  const paidOut = approved.reduce((n, c) => n + fundShare(c), 0n);
  const recovered = approved.reduce((n, c) => n + (c.recovery ? halfUpPercent(c.recovery.amount, 80n) : 0n), 0n);
  const covered = d.loans.filter(isCovered);
  const coveredLoss = covered.flatMap(effectiveEvents).filter((e) => e.type === 'LoanDefaulted').reduce((n, e) => n + fenOf(e.data.principalLoss), 0n);
  const contracted = covered.reduce((n, l) => n + l.principalFen, 0n);
  return {
    capital: yuan(capital),
    paidOut: yuan(paidOut),
    bankShare: yuan(approved.reduce((n, c) => n + c.loss - fundShare(c), 0n)),
    recoveredToFund: yuan(recovered),
    balance: yuan(capital - paidOut + recovered),
    claims: {
      filed: d.claims.filter((c) => c.fate === 'filed').length,
      waiting: 0,
      paid: approved.length,
      rejected: d.claims.filter((c) => c.fate === 'rejected').length,
    },
    coveredLoans: covered.length,
    lossRate: ratio4(coveredLoss, contracted),
  };
}
