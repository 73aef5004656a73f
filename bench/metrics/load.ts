/**
 * Bulk-loads the metrics projection tables with what ~10 000 000 loan / patent / product / risk
 * events would fold into, entirely inside PostgreSQL (generate_series, no event goes through Kafka).
 *
 * The synthetic *events* are generated first (one row per fact-producing event, in unlogged
 * scratch tables) and the projection rows are then derived from them exactly as the folds would:
 * daily rows = Σ per (region, day, bank, right kind, size), for financing under every region key
 * (own code, P…, V…, N) and also for all banks (''); monthly and yearly roll-ups = Σ of the daily
 * rows (and PostgreSQL's trigger the yearly sums over right kinds and sizes); SME borrower sets per
 * registration key under every region key, their count rows derived from them; counters and
 * member sets likewise. So daily and roll-up tables agree, and every
 * figure is what folding those events would give.
 *
 * Shape (see docs/benchmarks.md for the arithmetic): 3 provinces × 10 prefectures × 11 counties
 * (330 counties, skewed), 50 banks (each county served by ~12 of them, skewed), 1 300 000 loans
 * registered 2023-12-01 … 2026-11-21 by ~870 000 borrowers (1.5 loans each; 95 % SMEs),
 * patents ≈ 1.8 M events, products ≈ 0.27 M, risk ≈ 0.4 M (10.1 M in all at the default size).
 */
import type { Client } from 'pg';
import { PROJECTION_TABLES } from '../../services/metrics/src/rebuild/rebuild-projections';
import { FILL_SME_GAPS } from '../../services/metrics/src/financing/sme-gaps';
import { FILL_SME_FIRST_MONTHS } from '../../services/metrics/src/financing/sme-counts';

export interface LoadStats {
  events: Record<string, number>;
  rows: Record<string, number>;
  seconds: number;
}

export async function wipeProjections(db: Client, schema: string): Promise<void> {
  await db.query(`truncate ${PROJECTION_TABLES.map((t) => `${schema}.${t}`).join(', ')}`);
  await db.query(`drop table if exists ${schema}.bench_borrower, ${schema}.bench_loan, ${schema}.bench_fact, ${schema}.bench_counter_event, ${schema}.bench_member_event`);
}

export async function loadProjections(db: Client, schema: string, opts: { loans: number; log: (s: string) => void }): Promise<LoadStats> {
  const t0 = performance.now();
  const LOANS = opts.loans;
  const scale = LOANS / 1_300_000;
  const step = async (label: string, sql: string): Promise<void> => {
    const s = performance.now();
    await db.query(sql);
    opts.log(`  ${label} (${((performance.now() - s) / 1000).toFixed(1)} s)`);
  };
  await db.query(`set search_path = ${schema}`);
  await db.query(`set work_mem = '256MB'`);
  await db.query(`set maintenance_work_mem = '512MB'`);
  await db.query('set synchronous_commit = off');
  await wipeProjections(db, schema);
  await db.query('select setseed(0.42)');

  // 330 counties: 3 provinces × 10 prefectures × 11 counties. Index 0 is the busiest.
  const counties = `(select array_agg(code order by code) from (
      select p || lpad(pp::text, 2, '0') || cc as code
        from unnest(array['35','37','43']) p, generate_series(1, 10) pp,
             unnest(array['02','03','04','05','06','11','21','22','81','82','83']) cc) c)`;
  const nb = Math.round(LOANS / 1.5);
  await step(`borrowers (${nb})`, `
    create unlogged table bench_borrower as
    select id, cidx, a[cidx + 1] as region,
           case when r < 0.35 then 'micro' when r < 0.75 then 'small' when r < 0.95 then 'medium' else 'large' end as size,
           '91' || a[cidx + 1] || lpad(id::text, 10, '0') as uscc
      from (select id, floor(330 * power(random(), 1.6))::int as cidx, random() as r, ${counties} as a
              from generate_series(1, ${nb}) id) s`);
  await db.query('alter table bench_borrower add primary key (id)');

  await step(`loans (${LOANS})`, `
    create unlogged table bench_loan as
    select l.id, 'L' || lpad(l.id::text, 9, '0') as loan_ref, b.region, b.size, b.uscc,
           'bank-' || lpad((1 + (b.cidx * 7 + floor(12 * power(l.r1, 1.5))::int) % 50)::text, 2, '0') as bank,
           case when l.r2 < 0.6 then 'patent' else 'trademark' end as kind,
           date '2023-12-01' + floor(l.r3 * 1087)::int as reg,
           (100 + floor(l.r4 * 900))::bigint * 1000000 as principal,
           l.r5 < 0.7 as inclusive,
           case when l.r6 < 0.4 then 'agency-' || lpad(floor(l.r6 * 100)::text, 2, '0') end as agency,
           l.r7 < 0.02 as defaults,
           l.r8 < 0.3 as covered,
           l.r8 < 0.09 as two_tranches
      from (select id, 1 + floor(random() * ${nb})::int as bid, random() r1, random() r2, random() r3, random() r4,
                   random() r5, random() r6, random() r7, random() r8 from generate_series(1, ${LOANS}) id) l
      join bench_borrower b on b.id = l.bid`);

  // One row per fact-producing loan event (registration, tranches, repayments, defaults), ≤ 2026-11-21.
  await step('loan events', `
    create unlogged table bench_fact as
    select * from (
      select reg as day, region, bank, kind, size, 'LoanRegistered' as type, 1 as loans, inclusive::int as incl, principal as contracted,
             0::bigint as disbursed, 0::bigint as repaid, 0::bigint as loss, 0 as defaults from bench_loan
      union all
      select reg + (id % 5)::int, region, bank, kind, size, 'LoanDisbursed', 0, 0, 0,
             case when two_tranches then principal * 6 / 10 else principal end, 0, 0, 0 from bench_loan
      union all
      select reg + 35 + (id % 5)::int, region, bank, kind, size, 'LoanDisbursed', 0, 0, 0, principal - principal * 6 / 10, 0, 0, 0
        from bench_loan where two_tranches
      union all
      select reg + 91 * k, region, bank, kind, size, 'RepaymentReceived', 0, 0, 0, 0, principal / 4, 0, 0
        from bench_loan, generate_series(1, 4) k where k = 1 or not defaults
      union all
      select reg + 150, region, bank, kind, size, 'LoanDefaulted', 0, 0, 0, 0, 0, principal - principal / 4, 1
        from bench_loan where defaults
    ) e where day <= date '2026-11-21'`);

  // Facts as the fold writes them: under each region key of the borrower (own code, P…, V…, N:
  // rollUpRegions) × (its bank, all banks ''), daily, then the monthly and yearly roll-ups. Built
  // level by level (own rows → their all-banks rows → P from own → V from P → N from V).
  const FACT_SUMS = 'sum(loans), sum(inclusive_loans), sum(contracted_fen), sum(disbursed_fen), sum(repaid_fen), sum(loss_fen), sum(defaults)';
  const FACT_INSERT = 'insert into financing_daily (region, day, bank, right_kind, borrower_size, loans, inclusive_loans, contracted_fen, disbursed_fen, repaid_fen, loss_fen, defaults)';
  await step('financing_daily (own codes)', `
    ${FACT_INSERT}
    select region, day, bank, kind, size, sum(loans), sum(incl), sum(contracted), sum(disbursed), sum(repaid), sum(loss), sum(defaults)
      from bench_fact group by region, day, bank, kind, size order by region, day, bank, kind, size`);
  await step('financing_daily (own codes, all banks)', `
    ${FACT_INSERT}
    select region, day, '', right_kind, borrower_size, ${FACT_SUMS} from financing_daily group by 1, 2, 4, 5 order by 1, 2, 4, 5`);
  for (const [label, key, source] of [
    ['prefectures', `'P' || left(region, 4)`, `region ~ '^[0-9]'`],
    ['provinces', `'V' || substr(region, 2, 2)`, `region like 'P%'`],
    ['nation', `'N'`, `region like 'V%'`],
  ] as const) {
    await step(`financing_daily (${label})`, `
      ${FACT_INSERT}
      select ${key}, day, bank, right_kind, borrower_size, ${FACT_SUMS} from financing_daily where ${source}
       group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`);
  }
  await step('financing_monthly', `
    insert into financing_monthly
    select date_trunc('month', day)::date, region, bank, right_kind, borrower_size, ${FACT_SUMS}
      from financing_daily group by 2, 1, 3, 4, 5 order by 2, 1, 3, 4, 5`);
  await step('financing_yearly', `
    insert into financing_yearly
    select date_trunc('year', day)::date, region, bank, right_kind, borrower_size, ${FACT_SUMS}
      from financing_monthly group by 2, 1, 3, 4, 5 order by 2, 1, 3, 4, 5`);
  // SME sets under every region key, and the count rows derived from them exactly as the
  // FinancingRollUps migration does (per region key, bucket A/Y/Q/M, bank '' | one: members by first day).
  await step('financing_borrowers', `
    insert into financing_borrowers (region, borrower_uscc, day, bank, right_kind, borrower_size, loans)
    select k.region, uscc, reg, bank, kind, size, count(*) from bench_loan l,
           unnest(array[l.region, 'P' || left(l.region, 4), 'V' || left(l.region, 2), 'N']) as k(region)
     where size <> 'large'
     group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6`);
  await step('financing_smes', `
    insert into financing_smes (region, period, day, bank, first_day, n)
    select region, p.period, p.bucket, dim, case when dim = '' then day else p.bucket end, count(*)
      from (select region, dim, day, lag(day) over (partition by region, dim, uscc order by day) as prev
              from (select distinct b.region, d.dim, b.borrower_uscc as uscc, b.day
                      from financing_borrowers b cross join lateral (values (b.bank), ('')) d(dim)) s) w
      cross join lateral (values
        ('A', date '0001-01-01', prev is null),
        ('Y', date_trunc('year', day)::date, prev is null or date_trunc('year', prev) <> date_trunc('year', day)),
        ('Q', date_trunc('quarter', day)::date, prev is null or date_trunc('quarter', prev) <> date_trunc('quarter', day)),
        ('M', date_trunc('month', day)::date, prev is null or date_trunc('month', prev) <> date_trunc('month', day))
        union all
        select 'S', make_date(y, 1, 1), true from generate_series(extract(year from prev)::int + 1, extract(year from day)::int) y
         where dim = '' and prev is not null) p(period, bucket, is_first)
     where p.is_first
     group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;
    insert into financing_smes (region, period, day, bank, first_day, n)
    select region, period, day, '*', day, sum(n) from financing_smes where bank = '' and period <> 'S' group by 1, 2, 3 order by 1, 2, 3;
    ${FILL_SME_FIRST_MONTHS}`);
  // The gap cells of the roll-up keys' sets, exactly as the SmeGaps migration derives them.
  await step('financing_sme_gaps', FILL_SME_GAPS);
  await step('loan_dim', `
    insert into loan_dim (bank, loan_ref, borrower_uscc, borrower_size, region, registered_on, principal_fen, right_kind, inclusive, agency_id, live)
    select bank, loan_ref, uscc, size, region, reg, principal, kind, inclusive, agency, true from bench_loan`);
  await step('loan_loss / loan_coverage', `
    insert into loan_loss (bank, loan_ref, day, loss_fen, defaults)
    select bank, loan_ref, reg + 150, principal - principal / 4, 1 from bench_loan where defaults and reg + 150 <= date '2026-11-21';
    insert into loan_coverage (bank, loan_ref, covered_by)
    select bank, loan_ref, jsonb_build_object(left(region, 4) || '00', jsonb_build_object('principalFen', principal::text, 'registeredOn', reg::text))
      from bench_loan where covered`);

  // Generic counters: one row per event (measure, region, day, dim, n, amount).
  await step('counter events', `
    create unlogged table bench_counter_event as
    with c as (select ${counties} as a),
    ev as (
      select id, c.a[floor(330 * power(random(), 1.6))::int + 1] as region, date '2023-12-01' + floor(random() * 1087)::int as day,
             random() as r, random() as r2
        from generate_series(1, ${Math.round(800_000 * scale)}) id, c)
    -- patents: 520k transfers + 280k licences (their recordings count in recorded-contracts)
    select 'patents.transfers' as measure, region, day, '' as dim, 1 as n, (5 + floor(r2 * 500))::bigint * 1000000 as amount from ev where r < 0.65
    union all select 'patents.licences.' || (array['exclusive','sole','ordinary'])[1 + floor(r2 * 3)::int], region, day, '', 1, (1 + floor(r2 * 100))::bigint * 1000000 from ev where r >= 0.65
    union all select 'patents.recorded-contracts', region, day + 20, '', 1, 0 from ev where day + 20 <= date '2026-11-21'
    union all select 'patents.university-invention-transfers', region, day, 'univ-' || lpad((id % 60)::text, 2, '0'), 1, 0 from ev where r < 0.1
    union all select 'patents.agency-deals', region, day, 'agency-' || lpad((id % 100)::text, 2, '0'), 1, 0 from ev where r2 < 0.4
    union all
    -- open licences: 100k declarations (each +1 in force on declaredOn, −1 on expiry/withdrawal), 100k takings
    select m, region, d, '', n, 0 from (
      select region, day, id from ev where id % 8 = 0) o,
      lateral (values ('patents.open-licences-declared', day, 1), ('patents.open-licences-in-force', day, 1),
                      ('patents.open-licences-in-force', day + 730, -1), ('patents.open-licences-taken', day + 30, 1)) v(m, d, n)
      where d <= date '2026-11-21'
    union all
    -- products: 150k filings, 60 % recognised (with a reward), 25 % rejected; dim = enterprise USCC
    select m, region, d, '91' || region || lpad((id * 7 % 400000)::text, 10, '0'), n, amt from (
      select region, day, id, r, r2 from ev where id % 16 < 3) p,
      lateral (values ('products.filed', day, 1, 0::bigint, true), ('products.recognised', day + 60, 1, 0, r2 < 0.6),
                      ('products.rewards', day + 60, 1, 5000000::bigint, r2 < 0.6), ('products.rejected', day + 45, 1, 0, r2 >= 0.75)) v(m, d, n, amt, keep)
      where keep and d <= date '2026-11-21'
    union all select 'products.agency-filings', region, day, 'agency-' || lpad((id % 100)::text, 2, '0'), 1, 0 from ev where id % 16 < 3 and r < 0.5`);
  await step('risk counter events', `
    insert into bench_counter_event
    select 'risk.covered-loans', left(region, 4) || '00', reg, '', 1, principal from bench_loan where covered
    union all select 'risk.covered-loss', left(region, 4) || '00', reg + 150, '', 0, principal - principal / 4 from bench_loan where covered and defaults and reg + 150 <= date '2026-11-21'
    union all select 'risk.claims.' || case when id % 10 < 7 then 'paid' when id % 10 < 8 then 'rejected' else 'waiting' end,
                     left(region, 4) || '00', reg + 180, '', 1, 0 from bench_loan where covered and defaults and reg + 180 <= date '2026-11-21'
    union all select 'risk.paid-out', left(region, 4) || '00', reg + 240, '', 0, (principal - principal / 4) / 2 from bench_loan where covered and defaults and id % 10 < 7 and reg + 240 <= date '2026-11-21'
    union all select 'risk.bank-share', left(region, 4) || '00', reg + 240, '', 0, (principal - principal / 4) / 2 from bench_loan where covered and defaults and id % 10 < 7 and reg + 240 <= date '2026-11-21'
    union all select 'risk.capital', p || lpad(pp::text, 2, '0') || '00', make_date(y, 3, 1), '', 0, 2000000000
      from unnest(array['35','37','43']) p, generate_series(1, 10) pp, generate_series(2024, 2026) y`);
  // Every fact under each of its region's keys (own code, P<prefecture>, V<province>, N: rollUpRegions),
  // then the monthly and yearly roll-ups of those rows.
  const rollUpKeys = (region: string): string => `unnest(array[${region}, 'P' || left(${region}, 4), 'V' || left(${region}, 2), 'N'])`;
  await step('counter_daily', `
    insert into counter_daily (measure, region, day, dim, n, amount_fen)
    select measure, k.region, day, dim, sum(n), sum(amount) from bench_counter_event e, ${rollUpKeys('e.region')} as k(region)
     group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  await step('counter_monthly', `
    insert into counter_monthly (measure, region, day, dim, n, amount_fen)
    select measure, region, date_trunc('month', day)::date, dim, sum(n), sum(amount_fen) from counter_daily group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  await step('counter_yearly', `
    insert into counter_yearly (measure, region, day, dim, n, amount_fen)
    select measure, region, date_trunc('year', day)::date, dim, sum(n), sum(amount_fen) from counter_monthly group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  await step('member sets and their counts', `
    insert into member_daily (measure, region, day, dim, member, n)
    select 'loans.agency-inclusive-borrowers', k.region, reg, agency, uscc, count(*) from bench_loan l, ${rollUpKeys('l.region')} as k(region)
     where inclusive and agency is not null group by k.region, reg, agency, uscc order by 2, 3, 4, 5;
    insert into member_daily (measure, region, day, dim, member, n)
    select 'loans.agency-inclusive-patent-borrowers', k.region, reg, agency, uscc, count(*) from bench_loan l, ${rollUpKeys('l.region')} as k(region)
     where inclusive and agency is not null and kind = 'patent' group by k.region, reg, agency, uscc order by 2, 3, 4, 5;
    insert into member_monthly (measure, region, day, dim, member, n)
    select measure, region, date_trunc('month', day)::date, dim, member, sum(n) from member_daily group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;
    insert into member_yearly (measure, region, day, dim, member, n)
    select measure, region, date_trunc('year', day)::date, dim, member, sum(n) from member_monthly group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;
    insert into member_count_monthly (measure, region, day, dim, n)
    select measure, region, day, dim, count(*) from member_monthly group by 1, 2, 3, 4 order by 1, 2, 3, 4;
    insert into member_count_yearly (measure, region, day, dim, n)
    select measure, region, day, dim, count(*) from member_yearly group by 1, 2, 3, 4 order by 1, 2, 3, 4`);

  // Event counts as a fold would have seen them (settlements and overdue notices change no figure
  // but are events; patents/products/risk as generated).
  const count = async (sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0].n);
  const events: Record<string, number> = {
    loans: await count(`select (select count(*) from bench_fact)
        + (select count(*) from bench_loan where not defaults and reg + 364 <= date '2026-11-21')
        + (select count(*) from bench_loan where defaults and reg + 120 <= date '2026-11-21') as n`),
    patents: await count(`select sum(n) filter (where n > 0) as n from bench_counter_event where measure in ('patents.transfers','patents.licences.exclusive','patents.licences.sole','patents.licences.ordinary','patents.recorded-contracts','patents.open-licences-declared','patents.open-licences-taken')
      or (measure = 'patents.open-licences-in-force' and n < 0)`),
    products: await count(`select count(*) as n from bench_counter_event where measure in ('products.filed','products.recognised','products.rejected')`),
    risk: await count(`select count(*) as n from bench_counter_event where measure in ('risk.covered-loans','risk.capital','risk.paid-out') or measure like 'risk.claims.%'`),
  };
  await db.query(`
    insert into projection_state (name, part, as_of, events)
    select name, 0, now(), n from unnest($1::text[], $2::bigint[]) as x(name, n)`,
  [Object.keys(events), Object.values(events)]);
  await db.query(`drop table bench_borrower, bench_loan, bench_fact, bench_counter_event`);
  await step('vacuum analyze', 'vacuum analyze financing_daily, financing_monthly, financing_yearly, financing_yearly_sums, financing_borrowers, financing_smes, financing_sme_gaps, counter_daily, counter_monthly, counter_yearly, member_daily, member_monthly, member_yearly, member_count_monthly, member_count_yearly, projection_state');
  const rows: Record<string, number> = {};
  for (const t of PROJECTION_TABLES) rows[t] = await count(`select count(*) as n from ${t}`);
  return { events, rows, seconds: (performance.now() - t0) / 1000 };
}
