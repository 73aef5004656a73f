import { preparedQuery } from '@ipfin/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { parseFundPolicy, policySetPayload, type FundPolicy, type FundPolicyInput } from './domain/fund-policy';

interface PolicyRow {
  region: string;
  policy: FundPolicyInput;
}

/**
 * Advisory lock key of the policy set, per schema (advisory locks are database-wide, so two
 * schemas — the service and an integration test — never contend). A policy change takes it
 * exclusively; every consumer batch takes it shared before it judges registrations. So a loan is
 * judged either before a change (and then reassessed by it) or after it, never in between.
 */
const POLICY_LOCK_KEY = "hashtext(current_schema() || '.fund_policies')";

function fromRow(row: PolicyRow): FundPolicy {
  const parsed = parseFundPolicy(row.region, row.policy);
  if (!parsed.ok) throw new Error(`Stored policy of ${row.region} no longer parses: ${parsed.problem.detail}`);
  return parsed.policy;
}

/** The stored input form of a version: what `PolicySet` carries, without `change`. */
function toStored(policy: FundPolicy): FundPolicyInput {
  const { change: _change, region: _region, ...input } = policySetPayload(policy, 'added');
  return input;
}

/** SQL of `fund_policies`: versions per region, identified by `effective_from`. */
@Injectable()
export class PolicyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async lockExclusive(m: EntityManager): Promise<void> {
    await preparedQuery(m, `select pg_advisory_xact_lock(${POLICY_LOCK_KEY})`);
  }

  async lockShared(m: EntityManager): Promise<void> {
    await preparedQuery(m, `select pg_advisory_xact_lock_shared(${POLICY_LOCK_KEY})`);
  }

  /** Every fund's versions (a small table: regions × versions). */
  async all(m: EntityManager | DataSource = this.dataSource): Promise<FundPolicy[]> {
    const rows: PolicyRow[] = await preparedQuery(m, 'select region, policy from fund_policies order by region, effective_from');
    return rows.map(fromRow);
  }

  async ofRegion(region: string): Promise<FundPolicy[]> {
    const rows: PolicyRow[] = await preparedQuery(this.dataSource,
      'select region, policy from fund_policies where region = $1 order by effective_from',
      [region],
    );
    return rows.map(fromRow);
  }

  async version(m: EntityManager, region: string, effectiveFrom: string): Promise<FundPolicy | null> {
    const rows: PolicyRow[] = await preparedQuery(m,
      'select region, policy from fund_policies where region = $1 and effective_from = $2',
      [region, effectiveFrom],
    );
    return rows.length === 0 ? null : fromRow(rows[0]);
  }

  /** Adds or replaces the version `(region, effectiveFrom)`. */
  async save(m: EntityManager, policy: FundPolicy): Promise<void> {
    await preparedQuery(m,
      `insert into fund_policies (region, effective_from, effective_to, policy) values ($1, $2, $3, $4::jsonb)
       on conflict (region, effective_from)
       do update set effective_to = excluded.effective_to, policy = excluded.policy, updated_at = now()`,
      [policy.region, policy.effectiveFrom, policy.effectiveTo ?? null, JSON.stringify(toStored(policy))],
    );
  }
}
