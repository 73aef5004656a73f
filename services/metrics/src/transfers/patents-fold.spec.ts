import { MEASURES } from '../counters/deltas';
import { OrphanEvent } from '../common/orphan-event';
import { foldPatentEvents, inForceSpans, patentsWithDeclarations, type Declaration, type PatentEventForFold } from './patents-fold';

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

  describe('an open licence in force when the patent is transferred', () => {
    // Declared by univ-xmu (Xiamen 350203) on 2024-01-10 for two years (in force through 2026-01-09).
    const XM = '350203';
    const declare = ev('OpenLicenceDeclared', { owner: univ, royalty: { kind: 'lump_sum', amount: '100.00' }, termYears: 2, declaredOn: '2024-01-10', expiresOn: '2026-01-09' });
    const to = (transferId: string, region: string, contractDate: string, from: Record<string, unknown> = univ) => ev('PatentTransferred', {
      transferId, from, assignee: { uscc: `91${region}MA0000001X`, name: 'assignee', regionCode: region }, price: '1.00', contractDate,
    });
    const zz = { uscc: '91350602MA0000001X', role: 'enterprise', region: '350602' };
    const withdraw = (withdrawnOn: string, owner: Record<string, unknown>) => ev('OpenLicenceWithdrawn', { owner, declaredOn: '2024-01-10', withdrawnOn });

    /** Folds batch after batch, keeping the declarations as the consumer stores them; the net counter deltas. */
    const foldBatches = (batches: readonly PatentEventForFold[][]): Map<string, number> => {
      const stored = new Map<string, Declaration>();
      const net = new Map<string, number>();
      for (const batch of batches) {
        const numbers = new Set(patentsWithDeclarations(batch));
        const known = new Map([...stored].filter(([, d]) => numbers.has(d.number)));
        const out = foldPatentEvents(batch, known);
        out.declarations.forEach((d, id) => stored.set(id, d));
        for (const d of out.bag.counterDeltas()) {
          const key = `${d.measure}|${d.region}|${d.day}`;
          net.set(key, (net.get(key) ?? 0) + d.n);
        }
      }
      return new Map([...net].filter(([, n]) => n !== 0));
    };
    /** How many declarations are in force in `region` on `day`: the in-force deltas up to it. */
    const inForceOn = (net: Map<string, number>, region: string, day: string): number => [...net]
      .filter(([k]) => k.startsWith(`${MEASURES.openLicencesInForce}|${region}|`) && k.split('|')[2] <= day)
      .reduce((sum, [, n]) => sum + n, 0);
    const inForceIn = (net: Map<string, number>) => (region: string, day: string) => inForceOn(net, region, day);
    const openLicenceFigures = (net: Map<string, number>) => Object.fromEntries([...net].filter(([k]) => k.startsWith('patents.open-licences')).sort());

    it('counts it in the assignee region from the contract date on, and in the declaring owner region before', () => {
      const net = foldBatches([[declare, to('t1', '350602', '2024-06-01')]]);
      expect(openLicenceFigures(net)).toEqual({
        [`${MEASURES.openLicencesDeclared}|${XM}|2024-01-10`]: 1, // declared stays where and when it was declared
        [`${MEASURES.openLicencesInForce}|${XM}|2024-01-10`]: 1,
        [`${MEASURES.openLicencesInForce}|${XM}|2024-06-01`]: -1,
        [`${MEASURES.openLicencesInForce}|350602|2024-06-01`]: 1,
        [`${MEASURES.openLicencesInForce}|350602|2026-01-10`]: -1,
      });
      const at = inForceIn(net);
      expect([at(XM, '2024-05-31'), at('350602', '2024-05-31')]).toEqual([1, 0]);
      expect([at(XM, '2024-12-31'), at('350602', '2024-12-31')]).toEqual([0, 1]); // the year's end after the transfer
      expect([at(XM, '2026-01-10'), at('350602', '2026-01-10')]).toEqual([0, 0]);
      // The same in two batches: the transfer finds the stored declaration.
      expect(foldBatches([[declare], [to('t1', '350602', '2024-06-01')]])).toEqual(net);
    });

    it('ends it, on a withdrawal by the assignee, in the region it then counts in; a withdrawal dated before the transfer leaves the assignee nothing', () => {
      const net = foldBatches([[declare], [to('t1', '350602', '2024-06-01')], [withdraw('2024-09-01', zz)]]);
      const at = inForceIn(net);
      expect([at(XM, '2024-08-31'), at('350602', '2024-08-31')]).toEqual([0, 1]);
      expect([at(XM, '2024-09-01'), at('350602', '2024-09-01')]).toEqual([0, 0]);
      expect(openLicenceFigures(net)).toMatchObject({ [`${MEASURES.openLicencesInForce}|350602|2024-09-01`]: -1 });
      expect(net.has(`${MEASURES.openLicencesInForce}|350602|2026-01-10`)).toBe(false);

      const early = foldBatches([[declare, to('t1', '350602', '2024-06-01'), withdraw('2024-03-01', zz)]]);
      expect(openLicenceFigures(early)).toEqual({
        [`${MEASURES.openLicencesDeclared}|${XM}|2024-01-10`]: 1,
        [`${MEASURES.openLicencesInForce}|${XM}|2024-01-10`]: 1,
        [`${MEASURES.openLicencesInForce}|${XM}|2024-03-01`]: -1,
      });
    });

    it('follows several transfers in a row (A → B → C), whatever the batches', () => {
      const events = [
        declare,
        ev('OpenLicenceTaken', { licenceId: 'o1', owner: univ, licensee: { uscc: '91350602MA0000009X', name: 'l', regionCode: '350602' }, takenOn: '2024-02-01', endsOn: '2026-01-09', declaredOn: '2024-01-10', royalty: { kind: 'lump_sum', amount: '100.00' } }),
        to('t1', '350602', '2024-06-01'),
        to('t2', '371002', '2025-02-01', zz),
        ev('OpenLicenceTaken', { licenceId: 'o2', owner: { uscc: '91371002MA0000001X', role: 'enterprise', region: '371002' }, licensee: { uscc: '91350602MA0000009X', name: 'l', regionCode: '350602' }, takenOn: '2025-02-10', endsOn: '2026-01-09', declaredOn: '2024-01-10', royalty: { kind: 'lump_sum', amount: '100.00' } }),
        withdraw('2025-03-01', { uscc: '91371002MA0000001X', role: 'enterprise', region: '371002' }),
      ];
      const net = foldBatches([events]);
      const at = inForceIn(net);
      expect(['2024-05-31', '2024-12-31', '2025-02-28', '2025-03-01'].map((d) => [at(XM, d), at('350602', d), at('371002', d)])).toEqual([
        [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0],
      ]);
      // Takings count in the owner region their events name.
      expect(net.get(`${MEASURES.openLicencesTaken}|${XM}|2024-02-01`)).toBe(1);
      expect(net.get(`${MEASURES.openLicencesTaken}|371002|2025-02-10`)).toBe(1);
      // Every split into batches folds alike.
      for (let mask = 0; mask < 1 << (events.length - 1); mask++) {
        const batches: PatentEventForFold[][] = [[events[0]]];
        events.slice(1).forEach((e, i) => ((mask >> i) & 1 ? batches.push([e]) : batches[batches.length - 1].push(e)));
        expect(foldBatches(batches)).toEqual(net);
      }
    });

    it('does not move it for a transfer dated before declaredOn, after its expiry or after its withdrawal', () => {
      const declaredOnly = openLicenceFigures(foldBatches([[declare]]));
      expect(openLicenceFigures(foldBatches([[declare], [to('t0', '350602', '2023-12-01')]]))).toEqual(declaredOnly);
      expect(openLicenceFigures(foldBatches([[declare, to('t9', '350602', '2026-01-10')]]))).toEqual(declaredOnly);
      const withdrawn = foldBatches([[declare, withdraw('2024-09-01', univ)]]);
      const transferredAfter = foldBatches([[declare, withdraw('2024-09-01', univ)], [to('t9', '350602', '2024-09-01')]]);
      expect(openLicenceFigures(transferredAfter)).toEqual(openLicenceFigures(withdrawn));
      expect(inForceOn(transferredAfter, XM, '2024-08-31')).toBe(1);
      // The transfers themselves count as ever.
      expect(transferredAfter.get(`${MEASURES.transfers}|350602|2024-09-01`)).toBe(1);
    });

    it('counts it wholly in the assignee region for a transfer on the declaration day, and moves only the patent transferred', () => {
      const other = { ...declare, data: { ...declare.data, number: '202310654321.X' } };
      const net = foldBatches([[declare, other], [to('t1', '350602', '2024-01-10')]]);
      expect(openLicenceFigures(net)).toEqual({
        [`${MEASURES.openLicencesDeclared}|${XM}|2024-01-10`]: 2,
        [`${MEASURES.openLicencesInForce}|${XM}|2024-01-10`]: 1, // the other patent's
        [`${MEASURES.openLicencesInForce}|${XM}|2026-01-10`]: -1,
        [`${MEASURES.openLicencesInForce}|350602|2024-01-10`]: 1,
        [`${MEASURES.openLicencesInForce}|350602|2026-01-10`]: -1,
      });
    });

    it('splits a declaration into spans per owner, joining a transfer within one region and dropping empty ones', () => {
      const d: Declaration = {
        number: 'n', declaredOn: '2024-01-10', ownerRegion: XM, expiresOn: '2026-01-09', withdrawnOn: '2025-05-01',
        moves: [{ on: '2024-03-01', region: XM }, { on: '2024-06-01', region: '350602' }, { on: '2024-06-01', region: '350603' }, { on: '2025-06-01', region: '371002' }],
      };
      expect(inForceSpans(d)).toEqual([
        { region: XM, from: '2024-01-10', until: '2024-06-01' },
        { region: '350603', from: '2024-06-01', until: '2025-05-01' },
      ]);
    });

    it('reads the stored declarations of the patents a batch transfers, declares or withdraws', () => {
      expect(patentsWithDeclarations([
        to('t1', '350602', '2024-06-01'), declare, { ...withdraw('2024-09-01', zz), data: { ...withdraw('2024-09-01', zz).data, number: '202310000001.1' } },
        ev('LicenceRecorded', { number: '202310000002.2' }), ev('OpenLicenceTaken', { number: '202310000003.3' }), ev('PatentListed', { number: '202310000004.4' }),
      ])).toEqual(['202310000001.1', '202310123456.6']);
    });
  });
});
