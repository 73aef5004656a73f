import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Schema of the shared extension holding pg_trgm when this migration has to install it. Shared
 * (not the service schema) so that dropping a service or test schema never drops the extension
 * under another schema's indexes; `usage` is granted to every role.
 */
export const EXTENSIONS_SCHEMA = 'ipfin_extensions';

/**
 * The registry's tables.
 *
 * - `patents`: one row per listed patent. Listing fields as columns (filters, display), the nested
 *   parts of the domain state (owner, licences, open licence, transfers) as `state` jsonb, and the
 *   search columns computed by the domain at listing time: `search_title` (normalised title),
 *   `title_grams` (its grams), `search_text` (title | abstract | keywords, normalised) and
 *   `search_grams` (CJK unigrams + bigrams and short Latin words of the same).
 *   `open_licence_days` and `exclusive_days` are the periods the `openLicence` / `available`
 *   filters test against today's date.
 * - `pledge_loans` and `patent_pledges`: the pledge index folded from `ipfin.loans.v1` (loan →
 *   its patents and whether it is settled; patent → the unsettled loans pledging it). A pledge
 *   can exist before the patent is listed: `patent_pledges` has no foreign key to `patents`.
 *
 * Indexes: GIN on `search_grams` (document matches) and `title_grams` (title matches: Chinese
 * terms, Latin words of 1-2 characters), GIN trigram on `search_text` and `search_title` (Latin
 * and digit terms of 3+ characters, `LIKE '%term%'`) when pg_trgm can be installed, btree on
 * `search_title` (exact title) and IPC (prefixes below the main group), a partial index of the few
 * patents ever declared open. The primary key gives the order inside a rank tier (newest number first) and covers the
 * title and filter columns, so a page of a common term is found without visiting the table.
 */
export class PatentsAndPledges1795319100000 implements MigrationInterface {
  name = 'PatentsAndPledges1795319100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table patents (
        number text not null,
        kind text not null,
        status text not null,
        title text not null,
        abstract text,
        keywords text[] not null default '{}',
        ipc text,
        granted_on date,
        grade text,
        category text,
        owner_sub text,
        owner_uscc text,
        owner_region text not null,
        listed_on date not null,
        updated_on date not null,
        state jsonb not null,
        search_title text not null,
        title_grams text[] not null,
        search_text text not null,
        search_grams text[] not null,
        open_licence_days daterange,
        exclusive_days datemultirange not null default '{}',
        updated_at timestamptz not null default now(),
        -- The key carries the columns the title tier and the filters test, in number order: walking it
        -- backwards is an index-only scan over narrow tuples (~40 per page) that stops after a page.
        constraint patents_pkey primary key (number)
          include (title_grams, search_title, kind, status, grade, ipc, owner_sub, owner_uscc, open_licence_days, exclusive_days))`);
    // Rows stay narrow: the big values (grams, abstract, state) go to TOAST and are read only for
    // the page returned; what scans test (titles, search text, filters) stays in the row.
    await q.query('alter table patents set (toast_tuple_target = 256)');
    await q.query(`alter table patents alter column search_title set storage main, alter column title_grams set storage main,
                                       alter column search_text set storage main`);
    // The search bounds a term's matches by its rarest gram's frequency (pg_stats): keep many grams.
    await q.query('alter table patents alter column search_grams set statistics 1000, alter column title_grams set statistics 1000');
    await q.query('create index patents_search_grams_idx on patents using gin (search_grams)');
    await q.query('create index patents_title_grams_idx on patents using gin (title_grams)');
    await q.query('create index patents_search_title_idx on patents (search_title)');
    // The database collation is C: a plain btree serves `ipc LIKE 'H01L%'`; text_pattern_ops makes it so under any collation.
    await q.query('create index patents_ipc_idx on patents (ipc text_pattern_ops)');
    await q.query('create index patents_open_licence_idx on patents (number) where open_licence_days is not null');
    const trigramOps = await installTrigramOps(q);
    if (trigramOps !== undefined) {
      await q.query(`create index patents_search_text_trgm_idx on patents using gin (search_text ${trigramOps})`);
      await q.query(`create index patents_search_title_trgm_idx on patents using gin (search_title ${trigramOps})`);
    }

    await q.query(`
      create table pledge_loans (
        bank text not null,
        loan_ref text not null,
        patents text[] not null,
        settled boolean not null,
        updated_at timestamptz not null default now(),
        primary key (bank, loan_ref))`);
    await q.query(`
      create table patent_pledges (
        number text not null,
        bank text not null,
        loan_ref text not null,
        primary key (number, bank, loan_ref))`);
    await q.query('create index patent_pledges_loan_idx on patent_pledges (bank, loan_ref)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists patent_pledges, pledge_loans, patents');
  }
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * The qualified `gin_trgm_ops` operator class, installing pg_trgm if needed, or `undefined` when
 * it cannot be had (search then still works: Chinese through the gram index, Latin terms of 3+
 * characters by scanning the rows the other conditions leave).
 *
 * pg_trgm is a trusted extension (PostgreSQL 13+): the service role may create it since it has
 * CREATE on the database. Where it exists already, its schema is used. An advisory lock
 * serialises concurrent migrations (parallel test files) around the check-then-create.
 */
async function installTrigramOps(q: QueryRunner): Promise<string | undefined> {
  await q.query('select pg_advisory_xact_lock(hashtext($1))', ['ipfin-extension-pg_trgm']);
  const located = async (): Promise<string | undefined> => {
    const rows = (await q.query(
      `select n.nspname as schema, has_schema_privilege(n.oid, 'usage') as usable
         from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`,
    )) as { schema: string; usable: boolean }[];
    const row = rows[0];
    return row?.usable === true ? row.schema : undefined;
  };
  let schema = await located();
  if (schema === undefined) {
    if (!(await tolerated(q, 'install_pg_trgm', [
      `create schema if not exists ${ident(EXTENSIONS_SCHEMA)}`,
      `create extension if not exists pg_trgm schema ${ident(EXTENSIONS_SCHEMA)}`,
    ]))) {
      return undefined;
    }
    // Only the schema's owner may grant; a schema someone else prepared is theirs to grant.
    await tolerated(q, 'grant_pg_trgm', [`grant usage on schema ${ident(EXTENSIONS_SCHEMA)} to public`]);
    schema = await located();
  }
  return schema === undefined ? undefined : `${ident(schema)}.gin_trgm_ops`;
}

/** Runs the statements inside a savepoint; on failure rolls back to it and answers false. */
async function tolerated(q: QueryRunner, savepoint: string, statements: readonly string[]): Promise<boolean> {
  await q.query(`savepoint ${savepoint}`);
  try {
    for (const statement of statements) await q.query(statement);
    await q.query(`release savepoint ${savepoint}`);
    return true;
  } catch {
    await q.query(`rollback to savepoint ${savepoint}`);
    return false;
  }
}
