import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * dense-products' own tables:
 * - `patent_timelines`: the ownership view, one JSON timeline per patent folded from
 *   `ipfin.patents.v1` (owner, transfers, licences, listing statuses); a projection, so it can be
 *   emptied with its inbox rows and rebuilt from the topic;
 * - `products` (current state of each filing, its decision and its reward) and `product_events`
 *   (each product's history, exactly the payloads that went to `ipfin.products.v1`);
 * - `reward_policies`: reward figures per region and effective period (Zhangzhou's seeded);
 * - `reward_years`: one row per enterprise and calendar year of recognition, locked while that
 *   year's rewards are computed and holding its total.
 */
export class ProductsRewardsOwnership1795318900000 implements MigrationInterface {
  name = 'ProductsRewardsOwnership1795318900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table patent_timelines (
        number text primary key,
        kind text not null,
        timeline jsonb not null,
        -- ce_time of the newest registry event folded into the timeline
        last_event_at timestamptz not null,
        updated_at timestamptz not null default now())`);

    await q.query(`
      create table products (
        id uuid primary key,
        -- insertion order: the keyset of the lists
        seq bigint generated always as identity unique,
        enterprise_uscc text not null,
        enterprise_name text not null,
        enterprise_region text not null,
        enterprise_size text,
        agency_id text,
        filed_by text not null,
        name text not null,
        name_key text not null,
        category text,
        patents text[] not null,
        holdings jsonb not null,
        filed_on date not null,
        filing_year int not null,
        annual_revenue_fen bigint,
        status text not null check (status in ('filed', 'recognised', 'rejected', 'withdrawn')),
        recognised_on date,
        certificate_no text,
        recognition_year int,
        -- line order of the recognition inside its enterprise and year (ties on the same day)
        recognition_line bigint,
        rejected_on date,
        rejection_reason text,
        withdrawn_on date,
        withdrawal_reason text,
        -- null until the first reward decision
        reward_fen bigint check (reward_fen >= 0),
        reward_basis text,
        policy_region text,
        last_sequence int not null,
        created_at timestamptz not null,
        updated_at timestamptz not null)`);
    // One live filing of a product per enterprise and year; a rejected one may be filed again.
    await q.query(`create unique index products_one_filing_a_year on products (enterprise_uscc, name_key, filing_year)
                    where status <> 'rejected'`);
    // One certificate, one recognition (kept after a withdrawal).
    await q.query(
      'create unique index products_certificate_no on products (certificate_no) where certificate_no is not null',
    );
    await q.query('create index products_enterprise_idx on products (enterprise_uscc, seq)');
    await q.query('create index products_region_idx on products (enterprise_region, seq)');
    await q.query('create index products_agency_idx on products (agency_id, seq) where agency_id is not null');
    await q.query(`create index products_reward_year_idx on products (enterprise_uscc, recognition_year)
                    where recognition_year is not null`);
    await q.query('create sequence recognition_line_seq');

    await q.query(`
      create table product_events (
        product_id uuid not null references products (id),
        sequence int not null,
        type text not null,
        ce_id uuid not null unique,
        payload jsonb not null,
        recorded_at timestamptz not null,
        primary key (product_id, sequence))`);

    await q.query(`
      create table reward_policies (
        region text not null,
        effective_from date not null,
        effective_to date,
        per_product_fen bigint not null check (per_product_fen >= 0),
        annual_cap_fen bigint not null check (annual_cap_fen >= 0),
        source text,
        primary key (region, effective_from),
        check (effective_to is null or effective_to >= effective_from))`);
    // Zhangzhou 2024 measures §9: ¥5 000 per recognised product, at most ¥100 000 per enterprise and
    // calendar year; valid five years from 2 February 2024. Idempotent: an existing row is kept.
    await q.query(`
      insert into reward_policies (region, effective_from, effective_to, per_product_fen, annual_cap_fen, source)
      values ('350600', '2024-02-02', '2029-02-01', 500000, 10000000, 'zhangzhou-2024 §9')
      on conflict (region, effective_from) do nothing`);

    await q.query(`
      create table reward_years (
        enterprise_uscc text not null,
        year int not null,
        rewarded_fen bigint not null default 0,
        recognitions int not null default 0,
        updated_at timestamptz not null default now(),
        primary key (enterprise_uscc, year))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists reward_years, reward_policies, product_events, products, patent_timelines');
    await q.query('drop sequence if exists recognition_line_seq');
  }
}
