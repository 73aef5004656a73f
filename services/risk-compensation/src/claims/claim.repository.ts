import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Money } from '@ipfin/kernel';
import type { ApprovedShares, Claim, ClaimStatus, WaitingClaim } from './domain/claim';
import type { FixingClaim } from './domain/covered-loan';
import type { RecoveryInput, RecoveryShares } from './domain/recovery';

interface ClaimRow {
  id: string;
  seq: string;
  region: string;
  bank: string;
  loan_ref: string;
  status: ClaimStatus;
  principal_loss_fen: string;
  defaulted_on: string;
  filed_on: string;
  policy_version: string;
  evidence: string[];
  fund_share_percent: string | null;
  per_loan_cap_fen: string | null;
  capped: boolean | null;
  fund_share_fen: string | null;
  bank_share_fen: string | null;
  approved_on: string | null;
  approval_sequence: number | null;
  paid_on: string | null;
  recovered_to_fund_fen: string;
  recovered_to_bank_fen: string;
  rejected_on: string | null;
  rejection_reason: string | null;
}

/** A claim and its position in the listing order. */
export interface StoredClaim {
  readonly claim: Claim;
  readonly seq: string;
}

const CLAIM_COLUMNS = `id, seq::text as seq, region, bank, loan_ref, status, principal_loss_fen::text as principal_loss_fen,
  defaulted_on::text as defaulted_on, filed_on::text as filed_on, policy_version::text as policy_version, evidence,
  fund_share_percent, per_loan_cap_fen::text as per_loan_cap_fen, capped, fund_share_fen::text as fund_share_fen,
  bank_share_fen::text as bank_share_fen, approved_on::text as approved_on, approval_sequence, paid_on::text as paid_on,
  recovered_to_fund_fen::text as recovered_to_fund_fen, recovered_to_bank_fen::text as recovered_to_bank_fen,
  rejected_on::text as rejected_on, rejection_reason`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isClaimId = (id: string): boolean => UUID.test(id);

const fen = (text: string): Money => Money.fromFen(BigInt(text));

function need<T>(value: T | null, column: string, id: string): T {
  if (value === null) throw new Error(`claim ${id}: column ${column} is null for an approved claim`);
  return value;
}

function claimFromRow(r: ClaimRow): Claim {
  const base = {
    id: r.id,
    region: r.region,
    bank: r.bank,
    loanRef: r.loan_ref,
    principalLoss: fen(r.principal_loss_fen),
    defaultedOn: r.defaulted_on,
    filedOn: r.filed_on,
    policyVersion: r.policy_version,
    evidence: r.evidence,
  };
  const approved = (): ApprovedShares => ({
    fundSharePercent: need(r.fund_share_percent, 'fund_share_percent', r.id),
    ...(r.per_loan_cap_fen === null ? {} : { perLoanCap: fen(r.per_loan_cap_fen) }),
    capped: need(r.capped, 'capped', r.id),
    fundShare: fen(need(r.fund_share_fen, 'fund_share_fen', r.id)),
    bankShare: fen(need(r.bank_share_fen, 'bank_share_fen', r.id)),
    approvedOn: need(r.approved_on, 'approved_on', r.id),
    approvalSequence: need(r.approval_sequence, 'approval_sequence', r.id),
  });
  switch (r.status) {
    case 'filed':
      return { ...base, status: 'filed' };
    case 'rejected':
      return {
        ...base,
        status: 'rejected',
        rejectedOn: need(r.rejected_on, 'rejected_on', r.id),
        rejectionReason: need(r.rejection_reason, 'rejection_reason', r.id),
      };
    case 'waiting':
      return { ...base, ...approved(), status: 'waiting' };
    case 'paid':
      return {
        ...base,
        ...approved(),
        status: 'paid',
        paidOn: need(r.paid_on, 'paid_on', r.id),
        recoveredToFund: fen(r.recovered_to_fund_fen),
        recoveredToBank: fen(r.recovered_to_bank_fen),
      };
  }
}

function claimRecord(c: Claim): Record<string, unknown> {
  const approved = c.status === 'waiting' || c.status === 'paid' ? c : undefined;
  return {
    id: c.id,
    region: c.region,
    bank: c.bank,
    loan_ref: c.loanRef,
    status: c.status,
    principal_loss_fen: c.principalLoss.fen.toString(),
    defaulted_on: c.defaultedOn,
    filed_on: c.filedOn,
    policy_version: c.policyVersion,
    evidence: c.evidence,
    fund_share_percent: approved?.fundSharePercent ?? null,
    per_loan_cap_fen: approved?.perLoanCap?.fen.toString() ?? null,
    capped: approved?.capped ?? null,
    fund_share_fen: approved?.fundShare.fen.toString() ?? null,
    bank_share_fen: approved?.bankShare.fen.toString() ?? null,
    approved_on: approved?.approvedOn ?? null,
    approval_sequence: approved?.approvalSequence ?? null,
    paid_on: c.status === 'paid' ? c.paidOn : null,
    recovered_to_fund_fen: c.status === 'paid' ? c.recoveredToFund.fen.toString() : '0',
    recovered_to_bank_fen: c.status === 'paid' ? c.recoveredToBank.fen.toString() : '0',
    rejected_on: c.status === 'rejected' ? c.rejectedOn : null,
    rejection_reason: c.status === 'rejected' ? c.rejectionReason : null,
  };
}

export interface ClaimListFilter {
  readonly bank?: string;
  readonly region?: string;
  readonly status?: ClaimStatus;
  /** Keyset: claims after this `seq`. */
  readonly afterSeq?: string;
  readonly limit: number;
}

/** SQL of `claims` and `recoveries`. Every claim change happens with its fund row locked. */
@Injectable()
export class ClaimRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async get(id: string, m: EntityManager | DataSource = this.dataSource): Promise<Claim | null> {
    if (!isClaimId(id)) return null;
    const rows: ClaimRow[] = await m.query(`select ${CLAIM_COLUMNS} from claims where id = $1`, [id]);
    return rows.length === 0 ? null : claimFromRow(rows[0]);
  }

  /** Every claim of a loan (any status). */
  async ofLoan(m: EntityManager, bank: string, loanRef: string): Promise<Claim[]> {
    const rows: ClaimRow[] = await m.query(
      `select ${CLAIM_COLUMNS} from claims where bank = $1 and loan_ref = $2 order by claims.seq`,
      [bank, loanRef],
    );
    return rows.map(claimFromRow);
  }

  /**
   * The claims whose approval fixed their loan's coverage — `waiting` or `paid`, the claims
   * `CoveredLoanRepository.forReassessment` keeps policy changes away from — with the fund, version
   * and filing time (for a rebuild of the coverage view, `claimFixedTerms`).
   */
  async fixingCoverage(m: EntityManager): Promise<FixingClaim[]> {
    const rows: { bank: string; loan_ref: string; region: string; policy_version: string; created_at: Date }[] = await m.query(
      `select bank, loan_ref, region, policy_version::text as policy_version, created_at
         from claims where status in ('waiting', 'paid') order by bank, loan_ref`,
    );
    return rows.map((r) => ({ bank: r.bank, loanRef: r.loan_ref, region: r.region, policyVersion: r.policy_version, filedAt: r.created_at }));
  }

  /**
   * The waiting claims of the named loans, in fund region and approval order. Call it with the
   * claims' fund rows locked, so no approval or payout can change them until the commit.
   */
  async waitingOfLoans(m: EntityManager, loans: readonly { bank: string; loanRef: string }[]): Promise<WaitingClaim[]> {
    if (loans.length === 0) return [];
    const rows: ClaimRow[] = await m.query(
      `select ${CLAIM_COLUMNS} from claims
        where status = 'waiting' and (bank, loan_ref) in (select * from unnest($1::text[], $2::text[]))
        order by region, approval_sequence`,
      [loans.map((l) => l.bank), loans.map((l) => l.loanRef)],
    );
    return rows.map(claimFromRow).filter((c): c is WaitingClaim => c.status === 'waiting');
  }

  /**
   * The head of the fund's payout queue that `budget` can pay: waiting claims in approval order
   * whose running Σ fund share stays within `budget`. Pass an upper bound of the balance the
   * operation will have; the domain (`settleQueue`) decides exactly what is paid.
   */
  async payableQueue(m: EntityManager, region: string, budget: Money): Promise<WaitingClaim[]> {
    const rows: ClaimRow[] = await m.query(
      `select ${CLAIM_COLUMNS} from (
         select c.*, sum(c.fund_share_fen) over (order by c.approval_sequence) as running
           from claims c where c.region = $1 and c.status = 'waiting'
       ) q
       where q.running <= $2::bigint
       order by q.approval_sequence`,
      [region, budget.fen.toString()],
    );
    return rows.map(claimFromRow).filter((c): c is WaitingClaim => c.status === 'waiting');
  }

  /** Inserts new claims and stores the new state of existing ones, one statement. */
  async save(m: EntityManager, claims: readonly Claim[]): Promise<void> {
    if (claims.length === 0) return;
    await m.query(
      `insert into claims (id, region, bank, loan_ref, status, principal_loss_fen, defaulted_on, filed_on, policy_version,
                           evidence, fund_share_percent, per_loan_cap_fen, capped, fund_share_fen, bank_share_fen,
                           approved_on, approval_sequence, paid_on, recovered_to_fund_fen, recovered_to_bank_fen,
                           rejected_on, rejection_reason)
       select id, region, bank, loan_ref, status, principal_loss_fen, defaulted_on, filed_on, policy_version,
              evidence, fund_share_percent, per_loan_cap_fen, capped, fund_share_fen, bank_share_fen,
              approved_on, approval_sequence, paid_on, recovered_to_fund_fen, recovered_to_bank_fen,
              rejected_on, rejection_reason
         from jsonb_to_recordset($1::jsonb) as r(id uuid, region text, bank text, loan_ref text, status text,
              principal_loss_fen bigint, defaulted_on date, filed_on date, policy_version date, evidence jsonb,
              fund_share_percent text, per_loan_cap_fen bigint, capped boolean, fund_share_fen bigint, bank_share_fen bigint,
              approved_on date, approval_sequence int, paid_on date, recovered_to_fund_fen bigint,
              recovered_to_bank_fen bigint, rejected_on date, rejection_reason text)
       on conflict (id) do update set
         status = excluded.status, fund_share_percent = excluded.fund_share_percent,
         per_loan_cap_fen = excluded.per_loan_cap_fen, capped = excluded.capped, fund_share_fen = excluded.fund_share_fen,
         bank_share_fen = excluded.bank_share_fen, approved_on = excluded.approved_on,
         approval_sequence = excluded.approval_sequence, paid_on = excluded.paid_on,
         recovered_to_fund_fen = excluded.recovered_to_fund_fen, recovered_to_bank_fen = excluded.recovered_to_bank_fen,
         rejected_on = excluded.rejected_on, rejection_reason = excluded.rejection_reason, updated_at = now()`,
      [JSON.stringify(claims.map(claimRecord))],
    );
  }

  async saveRecovery(
    m: EntityManager,
    claim: Claim,
    input: RecoveryInput,
    shares: RecoveryShares,
  ): Promise<void> {
    await m.query(
      `insert into recoveries (id, claim_id, region, amount_fen, fund_part_fen, bank_part_fen, capped, recovered_on)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        input.recoveryId,
        claim.id,
        claim.region,
        input.amount.fen.toString(),
        shares.fundPart.fen.toString(),
        shares.bankPart.fen.toString(),
        shares.capped,
        input.recoveredOn,
      ],
    );
  }

  /** A page of claims in filing order (`limit + 1` rows: the extra one says more exist). */
  async list(f: ClaimListFilter): Promise<StoredClaim[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown): string => `$${params.push(v)}`;
    if (f.bank !== undefined) where.push(`bank = ${p(f.bank)}`);
    if (f.region !== undefined) where.push(`region = ${p(f.region)}`);
    if (f.status !== undefined) where.push(`status = ${p(f.status)}`);
    if (f.afterSeq !== undefined) where.push(`seq > ${p(f.afterSeq)}::bigint`);
    const rows: ClaimRow[] = await this.dataSource.query(
      `select ${CLAIM_COLUMNS} from claims ${where.length === 0 ? '' : `where ${where.join(' and ')}`}
        order by claims.seq limit ${p(f.limit + 1)}`,
      params,
    );
    return rows.map((r) => ({ claim: claimFromRow(r), seq: r.seq }));
  }
}
