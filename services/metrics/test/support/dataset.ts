/**
 * A deterministic, seeded dataset of all four topics as the producers would publish it (valid
 * payloads, per-key order), and an oracle computing every figure from it naively: filter the
 * events that still count, then add them up. The oracle shares no code with the service.
 */
import { randomUUID } from 'node:crypto';
import { makePatentNumber, makeUscc } from '@ipfin/kernel';
import { prng } from '@ipfin/testing';

export type TopicName = 'loans' | 'risk' | 'patents' | 'products';

export interface Envelope {
  topic: TopicName;
  key: string;
  id: string;
  type: string;
  time: string;
  data: Record<string, any>;
}


const DAY = 86_400_000;
export const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
export const yuan = (fen: bigint): string => {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

export const BANKS = ['bank-icbc-zz', 'bank-boc-zz', 'bank-ccb-qz'] as const;
export const LOAN_REGIONS = ['350602', '350603', '350623', '350583', '350503'] as const;
export const UNIVERSITIES = [
  { sub: 'univ-xmu', region: '350203' },
  { sub: 'univ-mnnu', region: '350602' },
  { sub: 'inst-weihai', region: '371002' },
] as const;
export const AGENCIES = ['agency-zz-1', 'agency-zz-2'] as const;
const COUNTERPARTY_REGIONS = ['350602', '350603', '350623', '350583', '430500', '371002'] as const;
const SIZES = ['micro', 'small', 'medium', 'large'] as const;

export interface Dataset {
  envelopes: Envelope[];
}

export function generateDataset(seed: number, scale = 1): Dataset {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number): boolean => rnd() < p;
  const dayBetween = (from: string, to: string): string => addDays(from, int(0, Math.round((Date.parse(to) - Date.parse(from)) / DAY)));
  const money = (lo: number, hi: number): bigint => BigInt(int(lo, hi)) * 100n + BigInt(int(0, 99));

  const out: Envelope[] = [];
  let clock = Date.parse('2025-07-01T00:00:00Z');
  const emit = (topic: TopicName, key: string, name: string, data: Record<string, any>): void => {
    clock += 1000;
    out.push({ topic, key, id: randomUUID(), type: `ipfin.${topic}.${name}.v1`, time: new Date(clock).toISOString(), data });
  };

  // ---- loans ------------------------------------------------------------------------------
  const borrowers = Array.from({ length: 40 * scale }, (_, i) => {
    const region = LOAN_REGIONS[i % LOAN_REGIONS.length];
    return { uscc: makeUscc(`91${region}MA${String(i + 1).padStart(7, '0')}`), name: `企业${i + 1}`, size: SIZES[i % 4], regionCode: region };
  });
  const defaults: { bank: string; loanRef: string; region: string; lossFen: bigint; day: string; size: string; principalFen: bigint; registeredOn: string; unwound: boolean }[] = [];
  const loans: { bank: string; loanRef: string; borrower: (typeof borrowers)[number]; principalFen: bigint; registeredOn: string; unwound: boolean }[] = [];
  for (let i = 0; i < 150 * scale; i++) {
    const bank = pickOne(BANKS);
    const loanRef = `L-${seed}-${i}`;
    const key = `${bank}:${loanRef}`;
    // Agency loans: a cluster of 2024 inclusive Zhangzhou loans by agency-zz-1 so that it earns the subsidy.
    const agencyLoan = i < 8 * scale;
    const borrower = agencyLoan ? borrowers[(i * 5) % borrowers.length] : pickOne(borrowers);
    const registeredOn = agencyLoan ? dayBetween('2024-01-05', '2024-11-30') : dayBetween('2023-01-01', '2025-06-20');
    const principalFen = money(100_000, 5_000_000);
    const drawnPatent = chance(0.6);
    const alsoTrademark = drawnPatent && chance(0.3);
    // agency-zz-1's cluster: five patent pledges (exactly the subsidy's ≥ 5 enterprises) and three
    // trademark-only ones, which count as inclusive pledge enterprises but not toward the subsidy.
    const patentPledge = agencyLoan ? i < 5 * scale : drawnPatent;
    const rights = patentPledge
      ? [{ kind: 'patent', number: makePatentNumber(2020, 1, 100000 + i) }, ...(alsoTrademark ? [{ kind: 'trademark', number: String(3000000 + i) }] : [])]
      : [{ kind: 'trademark', number: String(4000000 + i) }];
    const inclusive = agencyLoan ? true : borrower.size !== 'large' && chance(0.7);
    const agencyId = agencyLoan ? 'agency-zz-1' : chance(0.1) ? 'agency-zz-2' : undefined;
    let seq = 0;
    const history: { eventId: string; type: string; data: Record<string, any> }[] = [];
    const base = (occurredOn: string) => {
      seq += 1;
      return { bank, loanRef, eventId: `${loanRef}-e${seq}`, sequence: seq, occurredOn, recordedAt: new Date(clock).toISOString() };
    };
    const push = (type: string, data: Record<string, any>): void => {
      history.push({ eventId: data.eventId, type, data });
      emit('loans', key, type, data);
    };
    push('LoanRegistered', {
      ...base(registeredOn),
      borrower, principal: yuan(principalFen), annualRate: '0.0385', termMonths: 24, inclusive,
      pledge: { registrationNo: `Y${loanRef}`, registeredOn, appraisedValue: yuan(principalFen * 2n), rights },
      ...(agencyId ? { agencyId } : {}),
    });
    let day = registeredOn;
    let disbursed = 0n;
    const tranches = int(0, 2);
    for (let t = 0; t < tranches; t++) {
      day = addDays(day, int(1, 40));
      const amount = t === tranches - 1 ? principalFen - disbursed : (principalFen * BigInt(int(30, 70))) / 100n;
      disbursed += amount;
      push('LoanDisbursed', { ...base(day), amount: yuan(amount) });
    }
    let outstanding = disbursed;
    if (disbursed > 0n && chance(0.5)) {
      day = addDays(day, int(10, 200));
      const principal = (outstanding * BigInt(int(10, 60))) / 100n;
      outstanding -= principal;
      push('RepaymentReceived', { ...base(day), principal: yuan(principal), interest: yuan(principal / 20n) });
    }
    let defaulted: { eventId: string; lossFen: bigint; day: string } | null = null;
    if (outstanding > 0n && chance(0.25)) {
      day = addDays(day, int(30, 300));
      const lossFen = (outstanding * BigInt(int(20, 100))) / 100n;
      const b = base(day);
      push('LoanDefaulted', { ...b, principalLoss: yuan(lossFen) });
      defaulted = { eventId: b.eventId, lossFen, day };
    }
    // pledge-loans lets a loan default again (losses add up; its default date is the earliest
    // left): some loans default a second time, later with a loss or earlier without one, and
    // some then have the first default reversed. No random draw: the rest stays as it was.
    if (defaulted && i % 4 === 1) {
      const first = defaulted;
      const later = i % 8 === 1;
      const againDay = later ? addDays(day, 45) : addDays(first.day, -20);
      const againLoss = later ? (outstanding - first.lossFen) / 2n : 0n;
      if (later) day = againDay;
      const again = base(againDay);
      push('LoanDefaulted', { ...again, principalLoss: yuan(againLoss) });
      if (i % 16 === 1) {
        day = addDays(day, 1);
        const target = history.find((h) => h.eventId === first.eventId)!;
        push('EventReversed', { ...base(day), reversedEventId: target.eventId, reversedType: target.type, reversed: target.data });
        history.pop(); // neither the reversal nor the reversed default is left to reverse below
        history.splice(history.indexOf(target), 1);
        defaulted = { eventId: again.eventId, lossFen: againLoss, day: againDay };
      }
    }
    const reverse = (target: { eventId: string; type: string; data: Record<string, any> }): void => {
      day = addDays(day, 1);
      push('EventReversed', { ...base(day), reversedEventId: target.eventId, reversedType: target.type, reversed: target.data });
    };
    const unwound = !agencyLoan && chance(0.06);
    if (unwound) {
      // Wrongly reported loan: every event reversed, latest first, then the registration.
      for (const e of [...history].reverse()) reverse(e);
      defaulted = null;
    } else if (history.length > 1 && chance(0.15)) {
      const last = history[history.length - 1];
      reverse(last);
      if (last.eventId === defaulted?.eventId) defaulted = null;
    }
    loans.push({ bank, loanRef, borrower, principalFen, registeredOn, unwound });
    if (defaulted) {
      defaults.push({ bank, loanRef, region: borrower.regionCode, lossFen: defaulted.lossFen, day: defaulted.day, size: borrower.size, principalFen, registeredOn, unwound });
    }
  }

  // ---- risk (keyed by fund region) ---------------------------------------------------------
  const fundOf = (region: string): string | null => (region.startsWith('3506') ? '350600' : region.startsWith('3505') ? '350500' : null);
  for (const fund of ['350600', '350500']) {
    for (let c = 0; c < 4; c++) {
      emit('risk', fund, 'CapitalContributed', { region: fund, contributionId: `cap-${fund}-${c}`, amount: yuan(money(1_000_000, 20_000_000)), receivedOn: dayBetween('2023-01-01', '2025-06-30') });
    }
  }
  const coveredLoans = new Set<string>();
  for (const loan of loans) {
    const fund = fundOf(loan.borrower.regionCode);
    if (!fund) continue;
    const covered = loan.borrower.size !== 'large' && loan.bank !== 'bank-ccb-qz';
    const judged = {
      region: fund, bank: loan.bank, loanRef: loan.loanRef, registrationEventId: `${loan.loanRef}-e1`,
      borrower: { uscc: loan.borrower.uscc, size: loan.borrower.size, regionCode: loan.borrower.regionCode },
      principal: yuan(loan.principalFen), registeredOn: loan.registeredOn, policyVersion: '2023-01-01',
    };
    emit('risk', fund, 'LoanCovered', {
      ...judged, covered, cause: 'registered',
      reasons: covered ? [] : [{ rule: loan.borrower.size === 'large' ? 'borrower-size' : 'bank-not-cooperating', detail: 'generated' }],
    });
    let finalCovered = covered;
    if (loan.unwound) {
      emit('risk', fund, 'LoanCovered', { ...judged, covered: false, cause: 'registration-reversed', reasons: [{ rule: 'registration-reversed', detail: 'reversed' }] });
      finalCovered = false;
    } else if (covered && chance(0.08)) {
      emit('risk', fund, 'LoanCovered', { ...judged, covered: false, cause: 'policy-changed', reasons: [{ rule: 'max-principal', detail: 'corrected policy' }] });
      finalCovered = false;
    }
    if (finalCovered) coveredLoans.add(`${loan.bank}:${loan.loanRef}`);
  }
  // A county fund for 350602 takes some covered loans over (a policy change): the city fund hears
  // `covered: false` (key 350600), then the county fund `covered: true` (key 350602) — two keys,
  // folded in either order. Their claims go to the county fund. No random draw: the rest of the
  // dataset stays as it was.
  const movedTo = new Map<string, string>();
  emit('risk', '350602', 'CapitalContributed', { region: '350602', contributionId: 'cap-350602-0', amount: '5000000.00', receivedOn: '2024-01-10' });
  for (const loan of loans.filter((l) => l.borrower.regionCode === '350602' && coveredLoans.has(`${l.bank}:${l.loanRef}`)).filter((_, i) => i % 2 === 0).slice(0, 4)) {
    const judged = {
      bank: loan.bank, loanRef: loan.loanRef, registrationEventId: `${loan.loanRef}-e1`,
      borrower: { uscc: loan.borrower.uscc, size: loan.borrower.size, regionCode: loan.borrower.regionCode },
      principal: yuan(loan.principalFen), registeredOn: loan.registeredOn, cause: 'policy-changed',
    };
    emit('risk', '350600', 'LoanCovered', { ...judged, region: '350600', covered: false, policyVersion: '2023-01-01', reasons: [{ rule: 'no-policy', detail: 'moved to the 350602 fund' }] });
    emit('risk', '350602', 'LoanCovered', { ...judged, region: '350602', covered: true, policyVersion: '2024-01-01', reasons: [] });
    movedTo.set(`${loan.bank}:${loan.loanRef}`, '350602');
  }
  let approval = 0;
  let waiting = 0;
  for (const d of defaults) {
    const fund = movedTo.get(`${d.bank}:${d.loanRef}`) ?? fundOf(d.region);
    if (!fund || !coveredLoans.has(`${d.bank}:${d.loanRef}`)) continue;
    const claimId = `claim-${d.loanRef}`;
    const ref = { region: fund, claimId, bank: d.bank, loanRef: d.loanRef };
    const filedOn = addDays(d.day, 5);
    emit('risk', fund, 'ClaimFiled', { ...ref, principalLoss: yuan(d.lossFen), defaultedOn: d.day, filedOn, policyVersion: '2023-01-01' });
    const fate = rnd();
    if (fate < 0.2) continue; // still filed
    if (fate < 0.35) {
      emit('risk', fund, 'ClaimRejected', { ...ref, reason: 'late', rejectedOn: addDays(filedOn, 3) });
      continue;
    }
    const fundShare = (d.lossFen * 80n + 50n) / 100n;
    approval += 1;
    const approvedOn = addDays(filedOn, int(1, 20));
    emit('risk', fund, 'ClaimApproved', {
      ...ref, principalLoss: yuan(d.lossFen), fundSharePercent: '80', capped: false, fundShare: yuan(fundShare), bankShare: yuan(d.lossFen - fundShare),
      approvedOn, approvalSequence: approval,
    });
    // Withdrawn while waiting, as risk-compensation does when the bank reverses the loan's
    // default: the first approval and every other waiting one (whatever the seed, one at least).
    if (approval === 1 || (fate < 0.5 && waiting++ % 2 === 0)) {
      emit('risk', fund, 'ClaimRejected', { ...ref, reason: 'default-reversed: the default was reversed', rejectedOn: addDays(approvedOn, 7) });
      continue;
    }
    if (fate < 0.5) continue; // waiting
    const paidOn = addDays(approvedOn, int(0, 30));
    emit('risk', fund, 'ClaimPaid', { ...ref, fundShare: yuan(fundShare), paidOn, approvalSequence: approval });
    if (chance(0.5)) {
      const amount = d.lossFen / 3n;
      const fundPart = (amount * 80n + 50n) / 100n;
      emit('risk', fund, 'RecoveryShared', { ...ref, recoveryId: `rec-${claimId}`, amount: yuan(amount), fundPart: yuan(fundPart), bankPart: yuan(amount - fundPart), recoveredOn: addDays(paidOn, int(10, 200)) });
    }
  }

  // ---- patents (keyed by patent number) -----------------------------------------------------
  const enterprise = (n: number, region: string) => ({ uscc: makeUscc(`91${region}MB${String(n).padStart(7, '0')}`), name: `受让企业${n}`, regionCode: region });
  let serial = 0;
  const patentNo = (invention: boolean): string => makePatentNumber(2021, invention ? 1 : 2, 200000 + ++serial);
  for (let i = 0; i < 90 * scale; i++) {
    const owner = i < 20 * scale ? UNIVERSITIES[0] : chance(0.8) ? pickOne(UNIVERSITIES) : null;
    const from = owner ? { sub: owner.sub, role: 'university', region: owner.region } : { sub: `ent-${i}`, role: 'enterprise', region: '350603' };
    const invention = i < 20 * scale ? true : chance(0.7);
    const number = patentNo(invention);
    // agency-zz-1 handles 60 deals in Zhangzhou in 2024 (subsidy); the rest is spread out.
    const subsidised = i < 60;
    const region = subsidised || i < 20 * scale ? pickOne(['350602', '350603', '350623']) : pickOne(COUNTERPARTY_REGIONS);
    const contractDate = subsidised ? dayBetween('2024-01-01', '2024-12-31') : dayBetween('2023-06-01', '2025-06-30');
    const recordedOn = chance(0.6) ? addDays(contractDate, int(5, 90)) : undefined;
    const agencyId = subsidised && i % 2 === 0 ? 'agency-zz-1' : chance(0.1) ? 'agency-zz-2' : undefined;
    emit('patents', number, 'PatentListed', { number, kind: invention ? 'invention' : 'utility_model', title: `专利${i}`, owner: from, status: 'valid', filedYear: 2021, pct: false, listedOn: '2023-01-02' });
    emit('patents', number, 'PatentTransferred', {
      number, kind: invention ? 'invention' : 'utility_model', transferId: `tr-${i}`, from, assignee: enterprise(i, region),
      price: yuan(money(0, 500_000)), contractDate, ...(recordedOn ? { recordedOn } : {}), ...(agencyId ? { agencyId } : {}),
    });
  }
  for (let i = 0; i < 70 * scale; i++) {
    const owner = pickOne(UNIVERSITIES);
    const number = patentNo(true);
    const subsidised = i < 30;
    const contractDate = subsidised ? dayBetween('2024-01-01', '2024-12-31') : dayBetween('2023-06-01', '2025-06-30');
    const recordedOn = chance(0.5) ? addDays(contractDate, int(5, 90)) : undefined;
    const agencyId = subsidised ? 'agency-zz-1' : chance(0.1) ? 'agency-zz-2' : undefined;
    const region = subsidised ? '350602' : pickOne(COUNTERPARTY_REGIONS);
    emit('patents', number, 'LicenceRecorded', {
      number, kind: 'invention', licenceId: `lic-${i}`, licensor: { sub: owner.sub, role: 'university', region: owner.region },
      licensee: enterprise(1000 + i, region), licenceKind: pickOne(['exclusive', 'sole', 'ordinary']), royalty: chance(0.2) ? '0.00' : yuan(money(1000, 90_000)),
      contractDate, startsOn: contractDate, endsOn: addDays(contractDate, 730), ...(recordedOn ? { recordedOn } : {}), ...(agencyId ? { agencyId } : {}),
      viaOpenLicence: false,
    });
  }
  for (let i = 0; i < 30 * scale; i++) {
    const owner = pickOne(UNIVERSITIES);
    const number = patentNo(true);
    const ownerRef = { sub: owner.sub, role: 'university', region: owner.region };
    const declaredOn = dayBetween('2023-03-01', '2025-06-30');
    const termYears = int(1, 3);
    const expiresOn = addDays(addDays(declaredOn, 365 * termYears), -1);
    const royalty = chance(0.5) ? { kind: 'lump_sum', amount: yuan(money(100, 5000)) } : { kind: 'percent_of_sales', percent: '2.5' };
    emit('patents', number, 'OpenLicenceDeclared', { number, kind: 'invention', owner: ownerRef, royalty, termYears, declaredOn, expiresOn });
    const takers = int(0, 3);
    for (let t = 0; t < takers; t++) {
      emit('patents', number, 'OpenLicenceTaken', {
        number, kind: 'invention', licenceId: `ol-${i}-${t}`, owner: ownerRef, licensee: enterprise(2000 + i * 10 + t, pickOne(COUNTERPARTY_REGIONS)),
        takenOn: addDays(declaredOn, int(1, 200)), endsOn: expiresOn, declaredOn, royalty,
      });
    }
    const withdrawnOn = chance(0.3) ? addDays(declaredOn, int(30, 500)) : undefined;
    // Transfers of the declared patent (the assignee is bound by the open licence), chosen by `i`
    // with no random draw, so the rest of the dataset stays as it was: none; one while in force;
    // two in a row; one dated before declaredOn; one after the licence ended (expired or
    // withdrawn); one on the declaration day. A withdrawal after a transfer is the assignee's.
    let current: Record<string, any> = ownerRef;
    const transfer = (t: number, contractDate: string): void => {
      const regions = ['350603', '371002', '350583', '430500'].filter((r) => r !== current.region);
      const assignee = enterprise(3000 + i * 10 + t, regions[(i + t) % regions.length]);
      emit('patents', number, 'PatentTransferred', {
        number, kind: 'invention', transferId: `ol-tr-${i}-${t}`, from: current, assignee, price: yuan(BigInt(10_000 + i) * 100n), contractDate,
      });
      current = { uscc: assignee.uscc, name: assignee.name, role: 'enterprise', region: assignee.regionCode };
    };
    const scenario = i % 6;
    if (scenario === 1) transfer(0, addDays(declaredOn, 100));
    if (scenario === 2) {
      transfer(0, addDays(declaredOn, 60));
      transfer(1, addDays(declaredOn, 250));
    }
    if (scenario === 3) transfer(0, addDays(declaredOn, -30));
    if (scenario === 5) transfer(0, declaredOn);
    if (withdrawnOn) emit('patents', number, 'OpenLicenceWithdrawn', { number, kind: 'invention', owner: current, declaredOn, withdrawnOn });
    if (scenario === 4) transfer(0, addDays(withdrawnOn && withdrawnOn <= expiresOn ? withdrawnOn : addDays(expiresOn, 1), 3));
  }

  // ---- products (keyed by enterprise USCC) -----------------------------------------------
  const firms = Array.from({ length: 25 * scale }, (_, i) => {
    const region = pickOne(['350602', '350603', '350623', '350583', '371002']);
    return { uscc: makeUscc(`91${region}MC${String(i + 1).padStart(7, '0')}`), name: `产品企业${i + 1}`, regionCode: region, size: 'small' };
  });
  for (let i = 0; i < 110 * scale; i++) {
    const subsidised = i < 55;
    const firm = subsidised ? firms.filter((f) => f.regionCode.startsWith('3506'))[i % 5] ?? firms[0] : pickOne(firms);
    const productId = `prod-${seed}-${i}`;
    const ref = { uscc: firm.uscc, regionCode: firm.regionCode };
    let sequence = 0;
    const at = () => ({ productId, sequence: ++sequence, recordedAt: new Date(clock).toISOString() });
    const filedOn = subsidised ? dayBetween('2024-01-01', '2024-12-31') : dayBetween('2023-06-01', '2025-06-30');
    const agencyId = subsidised ? 'agency-zz-1' : chance(0.1) ? 'agency-zz-2' : undefined;
    emit('products', firm.uscc, 'ProductFiled', {
      ...at(), enterprise: firm, name: `产品${i}`, patents: [makePatentNumber(2022, 1, 300000 + i)], filedOn, ...(agencyId ? { agencyId } : {}),
    });
    const fate = rnd();
    if (fate < 0.25) continue;
    if (fate < 0.4) {
      emit('products', firm.uscc, 'ProductRejected', { ...at(), enterprise: ref, reason: '不符合', rejectedOn: addDays(filedOn, int(10, 90)) });
      continue;
    }
    const recognisedOn = addDays(filedOn, int(10, 120));
    const year = Number(recognisedOn.slice(0, 4));
    emit('products', firm.uscc, 'ProductRecognised', { ...at(), enterprise: ref, recognisedOn, certificateNo: `CERT-${i}`, recognitionYear: year });
    const amount = chance(0.8) ? 500000n : 0n;
    emit('products', firm.uscc, 'ProductRewarded', { ...at(), enterprise: ref, year, recognisedOn, amount: yuan(amount), basis: amount > 0n ? 'per-product' : 'cap-reached' });
    if (chance(0.1)) {
      emit('products', firm.uscc, 'ProductRecognitionWithdrawn', { ...at(), enterprise: ref, withdrawnOn: addDays(recognisedOn, 30), reason: '撤销', recognisedOn, certificateNo: `CERT-${i}`, recognitionYear: year });
      if (amount > 0n) {
        emit('products', firm.uscc, 'ProductRewardAdjusted', {
          ...at(), enterprise: ref, year, recognisedOn, previousAmount: yuan(amount), amount: '0.00', change: yuan(-amount), reason: 'recognition-withdrawn',
        });
      }
    }
  }
  return { envelopes: out };
}

// ---- the oracle ------------------------------------------------------------------------------

export interface Query {
  /** Inclusive region code bounds. */
  regionFrom: string;
  regionTo: string;
  from: string;
  to: string;
}

export function bounds(region: string): { regionFrom: string; regionTo: string } {
  if (region.endsWith('0000')) return { regionFrom: region, regionTo: `${region.slice(0, 2)}9999` };
  if (region.endsWith('00')) return { regionFrom: region, regionTo: `${region.slice(0, 4)}99` };
  return { regionFrom: region, regionTo: region };
}

const inRegion = (q: Query, region: string): boolean => region >= q.regionFrom && region <= q.regionTo;
const inDays = (q: Query, day: string | undefined): boolean => day !== undefined && day >= q.from && day <= q.to;
const fenOf = (s: string): bigint => {
  const [whole, cents = ''] = s.replace('-', '').split('.');
  const v = BigInt(whole) * 100n + BigInt(cents.padEnd(2, '0'));
  return s.startsWith('-') ? -v : v;
};
export const ratio4 = (n: bigint, d: bigint): string => {
  if (d === 0n) return '0.0000';
  const scaled = (n * 10000n * 2n + d) / (2n * d);
  return `${scaled / 10000n}.${(scaled % 10000n).toString().padStart(4, '0')}`;
};

/** The loan events that still count: neither reversals nor reversed. */
function effectiveLoanEvents(envelopes: readonly Envelope[]): Envelope[] {
  const loanEvents = envelopes.filter((e) => e.topic === 'loans');
  const reversed = new Set(loanEvents.filter((e) => e.type.endsWith('EventReversed.v1')).map((e) => `${e.data.bank}|${e.data.reversedEventId}`));
  return loanEvents.filter((e) => !e.type.endsWith('EventReversed.v1') && !reversed.has(`${e.data.bank}|${e.data.eventId}`));
}

export interface LoanFigures {
  loans: number; contracted: string; disbursed: string; outstanding: string; smesServed: number;
  patentPledged: string; trademarkPledged: string; defaults: number; principalLoss: string;
}

export function expectedFinancing(
  envelopes: readonly Envelope[], q: Query, bank?: string, loanWhere?: (registration: Envelope['data']) => boolean,
): LoanFigures {
  const effective = effectiveLoanEvents(envelopes);
  const registrations = new Map(effective.filter((e) => e.type.endsWith('LoanRegistered.v1')).map((e) => [`${e.data.bank}|${e.data.loanRef}`, e.data]));
  const loanOf = (e: Envelope) => registrations.get(`${e.data.bank}|${e.data.loanRef}`);
  const counts = (e: Envelope): boolean => {
    const loan = loanOf(e);
    return loan !== undefined && inRegion(q, loan.borrower.regionCode) && (bank === undefined || e.data.bank === bank) &&
      (loanWhere === undefined || loanWhere(loan));
  };
  let loans = 0, contracted = 0n, disbursed = 0n, stock = 0n, patent = 0n, trademark = 0n, loss = 0n;
  const smes = new Set<string>();
  /** Per loan, its earliest default still standing: a defaulted loan counts once, on that day. */
  const defaultedOn = new Map<string, string>();
  for (const e of effective.filter(counts)) {
    const kind = e.type.split('.')[2];
    if (kind === 'LoanRegistered' && inDays(q, e.data.occurredOn)) {
      loans += 1;
      const p = fenOf(e.data.principal);
      contracted += p;
      if (e.data.pledge.rights.some((r: { kind: string }) => r.kind === 'patent')) patent += p;
      else trademark += p;
      if (e.data.borrower.size !== 'large') smes.add(e.data.borrower.uscc);
    }
    const before = e.data.occurredOn <= q.to;
    if (kind === 'LoanDisbursed') {
      if (inDays(q, e.data.occurredOn)) disbursed += fenOf(e.data.amount);
      if (before) stock += fenOf(e.data.amount);
    }
    if (kind === 'RepaymentReceived' && before) stock -= fenOf(e.data.principal);
    if (kind === 'LoanDefaulted') {
      if (before) stock -= fenOf(e.data.principalLoss);
      if (inDays(q, e.data.occurredOn)) loss += fenOf(e.data.principalLoss);
      const id = `${e.data.bank}|${e.data.loanRef}`;
      const first = defaultedOn.get(id);
      if (first === undefined || e.data.occurredOn < first) defaultedOn.set(id, e.data.occurredOn);
    }
  }
  const defaults = [...defaultedOn.values()].filter((day) => inDays(q, day)).length;
  return {
    loans, contracted: yuan(contracted), disbursed: yuan(disbursed), outstanding: yuan(stock), smesServed: smes.size,
    patentPledged: yuan(patent), trademarkPledged: yuan(trademark), defaults, principalLoss: yuan(loss),
  };
}

export function expectedBanks(envelopes: readonly Envelope[], q: Query) {
  const rows = BANKS.flatMap((bank) => {
    const f = expectedFinancing(envelopes, q, bank);
    const effective = effectiveLoanEvents(envelopes).filter((e) => e.type.endsWith('LoanRegistered.v1') && e.data.bank === bank
      && inRegion(q, e.data.borrower.regionCode) && inDays(q, e.data.occurredOn));
    // A bank is listed when it registered, defaulted or lost anything in the period (a loss of a
    // loan defaulted earlier too).
    if (f.loans === 0 && f.defaults === 0 && fenOf(f.principalLoss) === 0n) return [];
    return [{
      bank, smesServed: f.smesServed, contracted: f.contracted, loans: f.loans,
      inclusiveLoans: effective.filter((e) => e.data.inclusive).length, defaults: f.defaults,
      defaultRate: ratio4(fenOf(f.principalLoss), fenOf(f.contracted)),
    }];
  });
  return rows.sort((a, b) => b.smesServed - a.smesServed || (fenOf(b.contracted) > fenOf(a.contracted) ? 1 : fenOf(b.contracted) < fenOf(a.contracted) ? -1 : 0) || (a.bank < b.bank ? -1 : 1));
}

export function expectedRiskFund(envelopes: readonly Envelope[], q: Query) {
  const risk = envelopes.filter((e) => e.topic === 'risk' && inRegion(q, e.data.region));
  const of = (name: string) => risk.filter((e) => e.type === `ipfin.risk.${name}.v1`);
  const status = new Map<string, { status: string; filedOn: string }>();
  for (const e of risk) {
    const kind = e.type.split('.')[2];
    const next = { ClaimFiled: 'filed', ClaimApproved: 'waiting', ClaimRejected: 'rejected', ClaimPaid: 'paid' }[kind];
    if (next) status.set(e.data.claimId, { status: next, filedOn: kind === 'ClaimFiled' ? e.data.filedOn : status.get(e.data.claimId)!.filedOn });
  }
  const claims = { filed: 0, waiting: 0, paid: 0, rejected: 0 } as Record<string, number>;
  for (const c of status.values()) if (inDays(q, c.filedOn)) claims[c.status] += 1;
  // Each fund's latest LoanCovered per loan is that fund's coverage of it (events of one fund are in order).
  const coverage = new Map<string, Record<string, any>>();
  for (const e of of('LoanCovered')) coverage.set(`${e.data.bank}|${e.data.loanRef}|${e.data.region}`, e.data);
  const covered = [...coverage.values()].filter((c) => c.covered);
  const coveredRegistered = covered.filter((c) => inDays(q, c.registeredOn));
  const defaults = effectiveLoanEvents(envelopes).filter((e) => e.type.endsWith('LoanDefaulted.v1') && inDays(q, e.data.occurredOn));
  const coveredLoss = covered
    .flatMap((c) => defaults.filter((e) => e.data.bank === c.bank && e.data.loanRef === c.loanRef))
    .reduce((n, e) => n + fenOf(e.data.principalLoss), 0n);
  // The fund's account (capital, payouts, bank shares, recoveries, balance) as of `to`.
  const account = (name: string, field: string, date: string) => of(name).filter((e) => e.data[date] <= q.to).reduce((n, e) => n + fenOf(e.data[field]), 0n);
  const capital = account('CapitalContributed', 'amount', 'receivedOn');
  const paidOut = account('ClaimPaid', 'fundShare', 'paidOn');
  const recovered = account('RecoveryShared', 'fundPart', 'recoveredOn');
  const contracted = coveredRegistered.reduce((n, c) => n + fenOf(c.principal), 0n);
  // Bank shares of approved and paid claims: an approval later withdrawn (rejected) no longer counts.
  const withdrawn = new Set(of('ClaimRejected').map((e) => e.data.claimId));
  const bankShare = of('ClaimApproved').filter((e) => e.data.approvedOn <= q.to && !withdrawn.has(e.data.claimId)).reduce((n, e) => n + fenOf(e.data.bankShare), 0n);
  return {
    capital: yuan(capital), paidOut: yuan(paidOut), bankShare: yuan(bankShare),
    recoveredToFund: yuan(recovered), balance: yuan(capital - paidOut + recovered), claims,
    coveredLoans: coveredRegistered.length, lossRate: ratio4(coveredLoss, contracted),
  };
}

/** Zhangzhou §7, written out again for the oracle. */
const zhangzhouUniversityReward = (n: number): bigint => (n < 6 ? 0n : [3_000_000n + 500_000n * BigInt(n - 6), 30_000_000n].reduce((a, b) => (a < b ? a : b)));

export function expectedTransfers(envelopes: readonly Envelope[], q: Query, inForceOn: string, zhangzhouPolicy: boolean) {
  const patents = envelopes.filter((e) => e.topic === 'patents');
  const of = (name: string) => patents.filter((e) => e.type === `ipfin.patents.${name}.v1`);
  const transfers = of('PatentTransferred').filter((e) => inRegion(q, e.data.assignee.regionCode));
  const licences = of('LicenceRecorded').filter((e) => inRegion(q, e.data.licensee.regionCode));
  const declarations = of('OpenLicenceDeclared').filter((e) => inRegion(q, e.data.owner.region));
  const withdrawals = new Map(of('OpenLicenceWithdrawn').map((e) => [`${e.data.number}|${e.data.declaredOn}`, e.data.withdrawnOn as string]));
  /**
   * Whose region a declaration in force on `day` counts in: the patent's owner that day. The
   * declaring owner's, unless a transfer published after the declaration, dated from its
   * declaredOn up to `day`, made someone else the owner (the latest such transfer's assignee).
   */
  const ownerRegionOn = (declaration: Envelope, day: string): string => {
    let region: string = declaration.data.owner.region;
    for (const t of patents.slice(patents.indexOf(declaration) + 1)) {
      if (t.type === 'ipfin.patents.PatentTransferred.v1' && t.data.number === declaration.data.number
        && t.data.contractDate >= declaration.data.declaredOn && t.data.contractDate <= day) region = t.data.assignee.regionCode;
    }
    return region;
  };
  const perUniversity = new Map<string, Map<number, number>>();
  for (const t of transfers.filter((e) => inDays(q, e.data.contractDate) && e.data.kind === 'invention' && e.data.from.role === 'university')) {
    const years = perUniversity.get(t.data.from.sub) ?? new Map<number, number>();
    const year = Number(t.data.contractDate.slice(0, 4));
    years.set(year, (years.get(year) ?? 0) + 1);
    perUniversity.set(t.data.from.sub, years);
  }
  const universityRewards = [...perUniversity.entries()].map(([sub, years]) => {
    let n = 0;
    let reward = 0n;
    for (const [year, count] of years) {
      n += count;
      if (zhangzhouPolicy && year >= 2024 && year <= 2029) reward += zhangzhouUniversityReward(count);
    }
    return { sub, inventionTransfersToLocalEnterprises: n, reward: yuan(reward), rewardFen: reward };
  }).sort((a, b) => (b.rewardFen > a.rewardFen ? 1 : b.rewardFen < a.rewardFen ? -1 : 0) || b.inventionTransfersToLocalEnterprises - a.inventionTransfersToLocalEnterprises || (a.sub < b.sub ? -1 : 1))
    .map(({ rewardFen: _ignored, ...r }) => r);
  return {
    transfers: transfers.filter((e) => inDays(q, e.data.contractDate)).length,
    licences: Object.fromEntries(['exclusive', 'sole', 'ordinary'].map((k) => [k, licences.filter((e) => e.data.licenceKind === k && inDays(q, e.data.contractDate)).length])),
    recordedContracts: [...transfers, ...licences].filter((e) => inDays(q, e.data.recordedOn)).length,
    openLicencesDeclared: declarations.filter((e) => inDays(q, e.data.declaredOn)).length,
    openLicencesInForce: of('OpenLicenceDeclared').filter((e) => {
      const withdrawn = withdrawals.get(`${e.data.number}|${e.data.declaredOn}`);
      const inForce = e.data.declaredOn <= inForceOn && e.data.expiresOn >= inForceOn && (withdrawn === undefined || withdrawn > inForceOn);
      return inForce && inRegion(q, ownerRegionOn(e, inForceOn));
    }).length,
    openLicencesTaken: of('OpenLicenceTaken').filter((e) => inRegion(q, e.data.owner.region) && inDays(q, e.data.takenOn)).length,
    universityRewards,
  };
}

export function expectedProducts(envelopes: readonly Envelope[], q: Query) {
  const products = envelopes.filter((e) => e.topic === 'products' && inRegion(q, e.data.enterprise.regionCode));
  const of = (name: string) => products.filter((e) => e.type === `ipfin.products.${name}.v1`);
  const withdrawn = new Set(of('ProductRecognitionWithdrawn').map((e) => e.data.productId));
  const rewardOf = new Map<string, bigint>();
  for (const e of [...of('ProductRewarded'), ...of('ProductRewardAdjusted')]) {
    if (inDays(q, e.data.recognisedOn)) rewardOf.set(e.data.productId, fenOf(e.data.amount));
  }
  const rewardEnterprise = new Map([...of('ProductRewarded')].map((e) => [e.data.productId, e.data.enterprise.uscc as string]));
  const filed = of('ProductFiled').filter((e) => inDays(q, e.data.filedOn));
  const recognised = of('ProductRecognised').filter((e) => inDays(q, e.data.recognisedOn) && !withdrawn.has(e.data.productId));
  const rows = new Map<string, { filed: number; recognised: number; reward: bigint }>();
  const row = (uscc: string) => rows.get(uscc) ?? rows.set(uscc, { filed: 0, recognised: 0, reward: 0n }).get(uscc)!;
  for (const e of filed) row(e.data.enterprise.uscc).filed += 1;
  for (const e of recognised) row(e.data.enterprise.uscc).recognised += 1;
  for (const [productId, amount] of rewardOf) row(rewardEnterprise.get(productId)!).reward += amount;
  return {
    filed: filed.length,
    recognised: recognised.length,
    rejected: of('ProductRejected').filter((e) => inDays(q, e.data.rejectedOn)).length,
    rewards: yuan([...rewardOf.values()].reduce((a, b) => a + b, 0n)),
    rows: [...rows.entries()].filter(([, r]) => r.filed || r.recognised || r.reward).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([enterprise, r]) => ({ enterprise, filed: r.filed, recognised: r.recognised, reward: yuan(r.reward) })),
  };
}

export function expectedAgencies(envelopes: readonly Envelope[], q: Query, zhangzhouPolicy: boolean) {
  const registrations = effectiveLoanEvents(envelopes).filter((e) => e.type.endsWith('LoanRegistered.v1') && e.data.inclusive && e.data.agencyId
    && inRegion(q, e.data.borrower.regionCode) && inDays(q, e.data.occurredOn));
  const deals = envelopes.filter((e) => e.topic === 'patents' && e.data.agencyId && inDays(q, e.data.contractDate)
    && inRegion(q, (e.data.assignee ?? e.data.licensee).regionCode));
  const filings = envelopes.filter((e) => e.type === 'ipfin.products.ProductFiled.v1' && e.data.agencyId && inDays(q, e.data.filedOn)
    && inRegion(q, e.data.enterprise.regionCode));
  const agencies = [...new Set([...registrations, ...deals, ...filings].map((e) => e.data.agencyId as string))].sort();
  return agencies.map((agency) => {
    const years = new Set([...registrations.map((e) => e.data.occurredOn), ...deals.map((e) => e.data.contractDate), ...filings.map((e) => e.data.filedOn)]
      .map((d: string) => Number(d.slice(0, 4))));
    let subsidy = 0n;
    for (const year of years) {
      const y = (d: string) => Number(d.slice(0, 4)) === year;
      // zhangzhou-2024 §13: inclusive *patent* pledge registrations (a trademark-only pledge does not count).
      const enterprises = new Set(registrations.filter((e) => e.data.agencyId === agency && y(e.data.occurredOn)
        && e.data.pledge.rights.some((r: { kind: string }) => r.kind === 'patent')).map((e) => e.data.borrower.uscc)).size;
      const dealt = deals.filter((e) => e.data.agencyId === agency && y(e.data.contractDate)).length;
      const filed = filings.filter((e) => e.data.agencyId === agency && y(e.data.filedOn)).length;
      if (zhangzhouPolicy && year >= 2024 && year <= 2029 && enterprises >= 5 && dealt >= 50 && filed >= 50) subsidy += 15_000_000n;
    }
    return {
      agency,
      inclusivePledgeEnterprises: new Set(registrations.filter((e) => e.data.agencyId === agency).map((e) => e.data.borrower.uscc)).size,
      transfersAndLicences: deals.filter((e) => e.data.agencyId === agency).length,
      productFilings: filings.filter((e) => e.data.agencyId === agency).length,
      subsidyEarned: subsidy > 0n,
      subsidy: yuan(subsidy),
    };
  });
}
