import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order inside a search rank tier becomes `rank_key` — application year, serial, then type
 * digit (`202310123456.6` → `20230123456` `1` `.6`), newest first — so that walking it does not meet
 * all of a year's designs before its first invention (the type digit sits before the serial in the
 * number). `patents_rank_idx` on it INCLUDEs the normalised title and the filter columns (not the
 * grams: ~40 tuples a page), so a page of a common term is an index-only scan; the primary key
 * becomes a plain one again.
 */
export class RankOrder1795322600000 implements MigrationInterface {
  name = 'RankOrder1795322600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table patents add column rank_key text');
    await q.query('update patents set rank_key = substr(number, 1, 4) || substr(number, 6, 7) || substr(number, 5, 1) || substr(number, 13)');
    await q.query('alter table patents alter column rank_key set not null');
    await q.query('alter table patents drop constraint patents_pkey, add constraint patents_pkey primary key (number)');
    await q.query(`create unique index patents_rank_idx on patents (rank_key)
      include (number, search_title, kind, status, grade, ipc, owner_sub, owner_uscc, open_licence_days, exclusive_days)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index patents_rank_idx');
    await q.query(`alter table patents drop constraint patents_pkey, add constraint patents_pkey primary key (number)
      include (title_grams, search_title, kind, status, grade, ipc, owner_sub, owner_uscc, open_licence_days, exclusive_days)`);
    await q.query('alter table patents drop column rank_key');
  }
}
