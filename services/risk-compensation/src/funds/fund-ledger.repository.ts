import { preparedQuery } from '@ipfin/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Money } from '@ipfin/kernel';
import { emptyFund, type FundBalances, type FundSummary, type LedgerEntry } from './domain/fund-ledger';

interface FundRow {
  region: string;
  capital_fen: string;
  balance_fen: string;
  paid_out_fen: string;
  recovered_fen: string;
  last_approval_sequence: number;
}

/** A fund row held with `for update` for the rest of the transaction. */
export interface LockedFund {
  readonly balances: FundBalances;
  /** The highest approval sequence given so far (0 before the first approval). */
  readonly lastApprovalSequence: number;
}

const FUND_COLUMNS = 'region, capital_fen, balance_fen, paid_out_fen, recovered_fen, last_approval_sequence';

function lockedFund(row: FundRow): LockedFund {
  return {
    balances: {
      region: row.region,
      capital: Money.fromFen(BigInt(row.capital_fen)),
      balance: Money.fromFen(BigInt(row.balance_fen)),
      paidOut: Money.fromFen(BigInt(row.paid_out_fen)),
      recoveredToFund: Money.fromFen(BigInt(row.recovered_fen)),
    },
    lastApprovalSequence: row.last_approval_sequence,
  };
}

/**
 * The fund ledger in PostgreSQL: `funds` (the four account balances per fund region, plus the
 * approval counter) and the append-only `ledger_entries`/`ledger_lines`. Every write happens with
 * the fund row locked, so the balances move one operation at a time per fund region, across
 * processes; the table's checks refuse a negative balance or a broken identity as a last line.
 */
@Injectable()
export class FundLedgerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks the fund row of `region` (`select … for update`), creating it empty on first use.
   * Concurrent operations on the same fund wait here until the holder commits.
   */
  async lock(m: EntityManager, region: string): Promise<LockedFund> {
    const select = `select ${FUND_COLUMNS} from funds where region = $1 for update`;
    let rows: FundRow[] = await preparedQuery(m, select, [region]);
    if (rows.length === 0) {
      await preparedQuery(m, 'insert into funds (region) values ($1) on conflict (region) do nothing', [region]);
      rows = await preparedQuery(m, select, [region]);
    }
    return lockedFund(rows[0]);
  }

  /** Locks several fund rows in region order (creating missing ones): before enqueueing events keyed by them. */
  async lockMany(m: EntityManager, regions: readonly string[]): Promise<void> {
    if (regions.length === 0) return;
    const sorted = [...new Set(regions)].sort();
    await preparedQuery(m,
      'insert into funds (region) select unnest($1::text[]) order by 1 on conflict (region) do nothing',
      [sorted],
    );
    await preparedQuery(m, 'select region from funds where region = any($1::text[]) order by region for update', [sorted]);
  }

  /**
   * Appends `entries` (one statement for entries and lines) and stores the fund's balances after
   * them and its approval counter. `fund` must be the locked balances with `entries` posted.
   */
  async post(m: EntityManager, fund: FundBalances, lastApprovalSequence: number, entries: readonly LedgerEntry[]): Promise<void> {
    if (entries.length > 0) {
      const input = entries.map((e, n) => ({
        n,
        region: e.region,
        kind: e.kind,
        reference: e.reference,
        posted_on: e.postedOn,
        lines: e.lines.map((l, i) => ({ line_no: i + 1, account: l.account, side: l.side, amount_fen: l.amount.fen.toString() })),
      }));
      await preparedQuery(m,
        `with input as (
           select * from jsonb_to_recordset($1::jsonb)
             as e(n int, region text, kind text, reference text, posted_on date, lines jsonb)
         ), entries as (
           insert into ledger_entries (region, kind, reference, posted_on)
           select region, kind, reference, posted_on from input order by n
           returning entry_id, region, kind, reference
         )
         insert into ledger_lines (entry_id, line_no, account, side, amount_fen)
         select en.entry_id, l.line_no, l.account, l.side, l.amount_fen
           from entries en
           join input i on i.region = en.region and i.kind = en.kind and i.reference = en.reference
           cross join lateral jsonb_to_recordset(i.lines) as l(line_no smallint, account text, side text, amount_fen bigint)
          order by en.entry_id, l.line_no`,
        [JSON.stringify(input)],
      );
    }
    await preparedQuery(m,
      `update funds set capital_fen = $2, balance_fen = $3, paid_out_fen = $4, recovered_fen = $5,
              last_approval_sequence = $6, updated_at = now()
        where region = $1`,
      [
        fund.region,
        fund.capital.fen.toString(),
        fund.balance.fen.toString(),
        fund.paidOut.fen.toString(),
        fund.recoveredToFund.fen.toString(),
        lastApprovalSequence,
      ],
    );
  }

  /** `GET /v1/funds/{region}`: the balances and Σ fund shares approved and waiting, in one statement. */
  async summary(region: string, m: EntityManager | DataSource = this.dataSource): Promise<FundSummary> {
    const rows: (FundRow & { pending_fen: string })[] = await preparedQuery(m,
      `select r.region, coalesce(f.capital_fen, 0) as capital_fen, coalesce(f.balance_fen, 0) as balance_fen,
              coalesce(f.paid_out_fen, 0) as paid_out_fen, coalesce(f.recovered_fen, 0) as recovered_fen,
              coalesce(f.last_approval_sequence, 0) as last_approval_sequence,
              (select coalesce(sum(c.fund_share_fen), 0) from claims c where c.region = r.region and c.status = 'waiting')::text
                as pending_fen
         from (select $1::text as region) r left join funds f on f.region = r.region`,
      [region],
    );
    const row = rows[0];
    const fund = row === undefined ? emptyFund(region) : lockedFund(row).balances;
    return {
      region,
      capital: fund.capital,
      paidOut: fund.paidOut,
      recoveredToFund: fund.recoveredToFund,
      balance: fund.balance,
      pendingPayouts: Money.fromFen(BigInt(row?.pending_fen ?? '0')),
    };
  }
}
