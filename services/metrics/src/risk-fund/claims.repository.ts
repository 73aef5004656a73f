import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '@ipfin/messaging';
import type { ClaimStatus } from '../counters/deltas';
import type { ClaimState } from './risk-fold';

/** Each claim's current status and filing day, so status changes move it between counts; a waiting claim's approval. */
@Injectable()
export class ClaimsRepository {
  async load(manager: EntityManager, ids: readonly string[]): Promise<Map<string, ClaimState>> {
    if (ids.length === 0) return new Map();
    const rows: {
      claim_id: string; fund_region: string; bank: string; loan_ref: string; status: ClaimStatus; filed_on: string;
      bank_share_fen: string | null; approved_on: string | null;
    }[] = await preparedQuery(manager,
      `select claim_id, fund_region, bank, loan_ref, status, filed_on::text as filed_on, bank_share_fen::text as bank_share_fen,
              approved_on::text as approved_on
         from claim_state where claim_id = any($1::text[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.claim_id, {
      claimId: r.claim_id, fundRegion: r.fund_region, bank: r.bank, loanRef: r.loan_ref, status: r.status, filedOn: r.filed_on,
      ...(r.bank_share_fen !== null && r.approved_on !== null ? { approval: { bankShareFen: BigInt(r.bank_share_fen), approvedOn: r.approved_on } } : {}),
    }]));
  }

  async save(manager: EntityManager, claims: readonly ClaimState[]): Promise<void> {
    if (claims.length === 0) return;
    const rows = [...claims].sort((a, b) => (a.claimId < b.claimId ? -1 : a.claimId > b.claimId ? 1 : 0));
    await preparedQuery(manager,
      `insert into claim_state (claim_id, fund_region, bank, loan_ref, status, filed_on, bank_share_fen, approved_on)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::bigint[], $8::date[])
       on conflict (claim_id) do update set status = excluded.status, filed_on = excluded.filed_on, fund_region = excluded.fund_region,
         bank_share_fen = excluded.bank_share_fen, approved_on = excluded.approved_on`,
      [rows.map((c) => c.claimId), rows.map((c) => c.fundRegion), rows.map((c) => c.bank), rows.map((c) => c.loanRef),
        rows.map((c) => c.status), rows.map((c) => c.filedOn), rows.map((c) => c.approval?.bankShareFen.toString() ?? null),
        rows.map((c) => c.approval?.approvedOn ?? null)],
    );
  }
}
