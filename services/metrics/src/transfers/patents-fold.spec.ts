import { MEASURES } from '../counters/deltas';
import { OrphanEvent } from '../common/orphan-event';
import { foldPatentEvents, type Declaration } from './patents-fold';

const ev = (name: string, data: Record<string, unknown>) => ({ ceType: `ipfin.patents.${name}.v1`, data: { number: '202310123456.6', kind: 'invention', ...data } });
const thrownBy = (f: () => unknown): unknown => {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
};
const univ = { sub: 'univ-xmu', role: 'university', region: '350203' };
const zz = (n: number) => ({ uscc: `91350602MA${n}`, name: 'e', regionCode: '350602' });
const figures = (out: ReturnType<typeof foldPatentEvents>) =>
  Object.fromEntries(out.bag.counterDeltas().map((d) => [`${d.measure}|${d.dim}|${d.region}@${d.day}`, d.amountFen === 0n ? d.n : [d.n, d.amountFen]]));

describe('folding patent events', () => {
  it('counts transfers in the assignee region by contract date, recorded ones by recordedOn, a university invention transfer per university', () => {
    const out = foldPatentEvents([
      ev('PatentTransferred', { transferId: 't1', from: univ, assignee: zz(1), price: '12000.50', contractDate: '2024-03-01', recordedOn: '2024-04-02', agencyId: 'agency-a' }),
      ev('PatentTransferred', { transferId: 't2', kind: 'utility_model', from: univ, assignee: zz(2), price: '1.00', contractDate: '2024-03-01' }),
      ev('PatentTransferred', { transferId: 't3', from: { region: '350602', role: 'enterprise', sub: 'ent' }, assignee: zz(3), price: '0.00', contractDate: '2024-03-01' }),
    ], new Map());
    expect(figures(out)).toEqual({
      [`${MEASURES.transfers}||350602@2024-03-01`]: [3, 1200150n],
      [`${MEASURES.recordedContracts}||350602@2024-04-02`]: 1,
      [`${MEASURES.agencyDeals}|agency-a|350602@2024-03-01`]: 1,
      [`${MEASURES.universityInventionTransfers}|univ-xmu|350602@2024-03-01`]: 1,
    });
  });

  it('counts licences by kind, never open-licence takings, and takings in the owner region', () => {
    const out = foldPatentEvents([
      ev('LicenceRecorded', { licenceId: 'l1', licensor: univ, licensee: zz(1), licenceKind: 'exclusive', royalty: '0.00', contractDate: '2024-05-01', startsOn: '2024-05-01', endsOn: '2025-05-01', viaOpenLicence: false }),
      ev('LicenceRecorded', { licenceId: 'l2', licensor: univ, licensee: zz(2), licenceKind: 'ordinary', royalty: '5.00', contractDate: '2024-05-01', startsOn: '2024-05-01', endsOn: '2025-05-01', recordedOn: '2024-06-01', viaOpenLicence: false }),
      ev('OpenLicenceTaken', { licenceId: 'o1', owner: univ, licensee: zz(3), takenOn: '2024-07-01', endsOn: '2025-01-01', declaredOn: '2024-01-02', royalty: { kind: 'lump_sum', amount: '1.00' } }),
    ], new Map());
    expect(figures(out)).toEqual({
      [`${MEASURES.licences('exclusive')}||350602@2024-05-01`]: 1,
      [`${MEASURES.licences('ordinary')}||350602@2024-05-01`]: [1, 500n],
      [`${MEASURES.recordedContracts}||350602@2024-06-01`]: 1,
      [`${MEASURES.openLicencesTaken}||350203@2024-07-01`]: 1,
    });
  });

  it('keeps a declaration in force from declaredOn through expiresOn, and ends it early on withdrawal', () => {
    const declared = foldPatentEvents([
      ev('OpenLicenceDeclared', { owner: univ, royalty: { kind: 'percent_of_sales', percent: '3' }, termYears: 2, declaredOn: '2024-01-10', expiresOn: '2026-01-09' }),
    ], new Map());
    expect(figures(declared)).toEqual({
      [`${MEASURES.openLicencesDeclared}||350203@2024-01-10`]: 1,
      [`${MEASURES.openLicencesInForce}||350203@2024-01-10`]: 1,
      [`${MEASURES.openLicencesInForce}||350203@2026-01-10`]: -1,
    });
    const stored: Declaration = declared.declarations.get('202310123456.6|2024-01-10')!;
    const withdrawn = foldPatentEvents([
      ev('OpenLicenceWithdrawn', { owner: univ, declaredOn: '2024-01-10', withdrawnOn: '2024-09-01' }),
    ], new Map([['202310123456.6|2024-01-10', stored]]));
    expect(figures(withdrawn)).toEqual({
      [`${MEASURES.openLicencesInForce}||350203@2024-09-01`]: -1,
      [`${MEASURES.openLicencesInForce}||350203@2026-01-10`]: 1,
    });
    expect(withdrawn.declarations.get('202310123456.6|2024-01-10')?.withdrawnOn).toBe('2024-09-01');
  });

  it('ignores listings', () => {
    expect(foldPatentEvents([
      ev('PatentListed', { title: 't', owner: univ, status: 'valid', filedYear: 2023, pct: false, listedOn: '2024-01-01' }),
    ], new Map()).bag.counterDeltas()).toEqual([]);
  });

  it('refuses, as an orphan, the withdrawal of a declaration it never applied (dead-lettered, never published)', () => {
    const fold = () => foldPatentEvents([
      ev('PatentListed', { title: 't', owner: univ, status: 'valid', filedYear: 2023, pct: false, listedOn: '2024-01-01' }),
      ev('OpenLicenceWithdrawn', { owner: univ, declaredOn: '2024-01-10', withdrawnOn: '2024-09-01' }),
    ], new Map());
    expect(fold).toThrow(OrphanEvent);
    expect(thrownBy(fold)).toMatchObject({
      index: 1, // the withdrawal's place in the batch: the consumer dead-letters that event
      message: 'orphan: no OpenLicenceDeclared for 202310123456.6 of 2024-01-10 was applied (dead-lettered or never published)',
    });
  });
});
