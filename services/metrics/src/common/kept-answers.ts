import { AnswerCache } from './answer-cache';

/** What every report answers besides its figures. */
interface Answer {
  asOf: string | null;
  lagEvents: number;
}

/**
 * A report read from the projections with their version selected in the same statement
 * (`versionSql`); or, when the read was given the version of a kept answer and found it current,
 * `unchanged`: the statement then read nothing but the version and `asOf`, which the answer takes
 * with this request's `lagEvents`.
 */
export type VersionedRead<R> = { version: string } & ({ report: R } | { unchanged: Answer });

/**
 * A report's answers kept per query at the version of the projections it reads (`AnswerCache`).
 * A query asked again is read with the kept answer's version: its one statement selects the
 * projections' version and `asOf` and, only if the version moved, the figures (`versionGate`).
 * While no batch of those projections has committed, the answer is the kept figures with this
 * request's `asOf` and `lagEvents` (one row read); otherwise the same round trip brought the
 * figures, as a read without a kept answer does.
 *
 * Regulators' dashboards ask the same queries over and over while the figures move only when a
 * batch is folded (the 10 M events of the benchmark are ≈ 9 000 a day across three provinces), so
 * most answers are kept ones (docs/benchmarks.md, "Answers kept per projection version"). Each
 * process keeps its own answers.
 */
export class KeptAnswers<R extends Answer> {
  private readonly answers: AnswerCache<R>;

  constructor(maxBytes: number) {
    this.answers = new AnswerCache<R>(maxBytes);
  }

  /**
   * The answer to the query `key` (everything the figures depend on: region, a bank's own rows, the
   * resolved period, the day when a figure counts up to today): the kept one while the projections'
   * version is the one it was read at, else `read`'s figures, which are then kept.
   */
  async answer(key: string, read: (keptVersion: string | undefined) => Promise<VersionedRead<R>>): Promise<R> {
    const keptVersion = this.answers.versionOf(key);
    let r = await read(keptVersion);
    if ('unchanged' in r) {
      const kept = this.answers.get(key, r.version);
      if (kept !== undefined) return { ...kept, ...r.unchanged };
      // Dropped while it was read (a request kept a newer read of the same query, or it was the
      // least recently used): read the figures.
      r = await read(undefined);
    }
    if ('unchanged' in r) throw new Error('a read without a kept version returned no figures');
    // The JSON's length, and about as much again for the objects it is made of.
    this.answers.set(key, r.version, r.report, 2 * JSON.stringify(r.report).length);
    return r.report;
  }
}

/** What each report's kept answers may take (estimated): a province's financing by region is ≈ 100 KB. */
export const KEPT_ANSWERS_BYTES = 16 * 1024 * 1024;
