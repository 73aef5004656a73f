import { BusinessDate, RegionCode } from '@ipfin/kernel';
import { financingStatement, type FinancingGroup } from './financing.service';
import { FIRST_MONTHS } from './sme-counts';
import { sumFacts, type FactSums } from './financing.repository';

/**
 * Which rows answer a financing report's distinct SMEs (issue 7: O(rows in the answer)). The
 * figures themselves are checked against the oracle on PostgreSQL (financing-rollups.spec); this
 * pins where they come from, so a change that falls back to the member sets above a county (a
 * correct but history-sized read) fails here rather than only in the benchmark.
 */
const statement = (region: string | null, from: string, to: string, groupBy: FinancingGroup | null, bank?: string): string =>
  financingStatement({
    region: region === null ? null : RegionCode.parse(region), bank, from: BusinessDate.parse(from), to: BusinessDate.parse(to), groupBy,
  }, to).parts.join('\n');

const SETS = 'from financing_borrowers';
const GAPS = 'from financing_sme_gaps';

describe('distinct SMEs of a financing report', () => {
  it.each([
    ['a ragged range', null],
    ['a ragged range by right kind', 'rightKind'],
    ['a ragged range by borrower size', 'borrowerSize'],
    ['a ragged range by month (ragged first row)', 'month'],
  ] as const)('above a county, for all banks, come from the gap cells: %s', (_, groupBy) => {
    for (const region of ['350600', '350000', null]) {
      const sql = statement(region, '2025-02-14', '2026-03-10', groupBy);
      expect({ region, gaps: sql.includes(GAPS), sets: sql.includes(SETS) }).toEqual({ region, gaps: true, sets: false });
    }
  });

  it('of a whole year, by right kind, come from the gap cells above a county (no count rows per kind)', () => {
    const sql = statement('350000', '2025-01-01', '2025-12-31', 'rightKind');
    expect({ gaps: sql.includes(GAPS), sets: sql.includes(SETS) }).toEqual({ gaps: true, sets: false });
  });

  it('of a whole year, or a year to date, come from the count rows, not the cells or the sets', () => {
    for (const [from, to] of [['2025-01-01', '2025-12-31'], ['2025-01-01', '2025-07-15']]) {
      const sql = statement('350000', from, to, null);
      expect({ from, to, smes: sql.includes('from financing_smes'), gaps: sql.includes(GAPS), sets: sql.includes(SETS) })
        .toEqual({ from, to, smes: true, gaps: false, sets: false });
    }
  });

  it('of a year to date, or from a year start over several years, sum first days per month but in to\'s month', () => {
    for (const region of ['350602', '350600', '350000', null]) {
      for (const [from, to, groupBy] of [['2025-01-01', '2025-07-15', null], ['2024-01-01', '2026-11-21', null], ['2024-01-01', '2026-11-21', 'year']] as const) {
        const sql = statement(region, from, to, groupBy);
        expect({ region, from, to, firstMonths: sql.includes(`bank = '${FIRST_MONTHS}'`), sets: sql.includes(SETS) }).toEqual({ region, from, to, firstMonths: true, sets: false });
      }
    }
  });

  it('of a county and a bank\'s own view over a ragged range still count the member sets', () => {
    const county = statement('350602', '2025-02-14', '2026-03-10', null);
    const own = statement('350600', '2025-02-14', '2026-03-10', null, 'bank-a');
    for (const [name, sql] of [['county', county], ['own', own]]) {
      expect({ name, gaps: sql.includes(GAPS), sets: sql.includes(SETS) }).toEqual({ name, gaps: false, sets: true });
    }
  });

  it('grouped by bank over a ragged range: the rows count the sets, the all-banks totals the gap cells', () => {
    const parts = financingStatement({
      region: RegionCode.parse('350600'), from: BusinessDate.parse('2025-02-14'), to: BusinessDate.parse('2026-03-10'), groupBy: 'bank',
    }, '2026-03-10').parts;
    const part = (name: string): string => parts.filter((p) => p.includes(`'${name}' as part`)).join('\n');
    expect({ rows: part('rowSmes').includes(SETS), totals: part('smes').includes(GAPS), totalsFromSets: part('smes').includes(SETS) })
      .toEqual({ rows: true, totals: true, totalsFromSets: false });
  });
});

/**
 * Whether a report reads its flows and its stock (`outstanding`) in one pass over the roll-up rows
 * (`flowStockPart`) or in two parts. The figures of both ways are checked against the oracle on
 * PostgreSQL (financing-rollups.spec); this pins which way each range takes.
 */
describe('flows and stock of a financing report', () => {
  const stockParts = (from: string, to: string, groupBy: FinancingGroup | null): string[] =>
    financingStatement({ region: RegionCode.parse('350600'), from: BusinessDate.parse(from), to: BusinessDate.parse(to), groupBy }, to).parts
      .map((p) => /^select '(\w+)' as part/.exec(p)?.[1] ?? '')
      .filter((name) => name === 'stock' || name === 'rowStock');

  it.each([
    ['a year', '2025-01-01', '2025-12-31'],
    ['a year to date', '2025-01-01', '2025-07-15'],
    ['from a month start of the last year', '2025-04-01', '2025-07-15'],
    ['from a year start over several years', '2024-01-01', '2025-06-30'],
    ['days of the last month', '2025-07-03', '2025-07-15'],
  ])('are one pass over the rows for %s (totals, by bank, by region)', (_, from, to) => {
    for (const groupBy of [null, 'bank', 'region'] as const) expect({ groupBy, parts: stockParts(from, to, groupBy) }).toEqual({ groupBy, parts: [] });
  });

  it.each([
    ['from inside a month read whole', '2025-02-14', '2025-07-15', 'stock', 'rowStock'],
    ['from inside a year read whole', '2024-04-01', '2025-12-31', 'stock', 'rowStock'],
  ])('are two parts %s', (_, from, to, totals, rows) => {
    expect([stockParts(from, to, null), stockParts(from, to, 'bank'), stockParts(from, to, 'region')]).toEqual([[totals], [rows], [rows]]);
  });
});

describe('sumFacts', () => {
  it('sums exactly past 2^53 and counts a column a part did not compute (null) as 0', () => {
    const row = (loans: string | null, contracted: string | null): FactSums => ({
      loans, inclusive_loans: null, contracted_fen: contracted, disbursed_fen: '0', repaid_fen: null, loss_fen: '5', defaults: null, patent_fen: null, trademark_fen: '1',
    });
    expect(sumFacts([row('2', '9007199254740993'), row(null, '9007199254740993'), row('1', null)])).toEqual({
      loans: '3', inclusive_loans: '0', contracted_fen: '18014398509481986', disbursed_fen: '0', repaid_fen: '0', loss_fen: '15', defaults: '0', patent_fen: '0', trademark_fen: '3',
    });
  });
});
