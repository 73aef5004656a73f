import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL_SME_GAPS } from '../../financing/sme-gaps';

/**
 * `financing_sme_gaps`: distinct SMEs over any range of days of a roll-up region key, per
 * dimension (every SME, a right kind, a borrower size), as count cells of each member's
 * consecutive loan days (see `financing/sme-gaps.ts`). Ragged ranges and groupBy=rightKind|
 * borrowerSize above a county read a few hundred cells here instead of the member sets. Filled
 * from the sets (`FILL_SME_GAPS`); the loans fold keeps it, one row per cell and partition shard
 * (like `financing_smes`: concurrent partitions move their own rows). The keys are compared as
 * text ranges, so they sort by code point (`collate "C"`). Fill factor 80 as on `financing_smes`
 * (SmeCountsHot): the cells of today's first loans move with nearly every batch, updated in place.
 */
export class SmeGaps1797000400000 implements MigrationInterface {
  name = 'SmeGaps1797000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table financing_sme_gaps (
        region text not null, dim text not null, p text collate "C" not null, d text collate "C" not null,
        shard smallint not null default 0, n int not null,
        primary key (region, dim, p, d, shard))
      with (fillfactor = 80)`);
    await q.query(FILL_SME_GAPS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table financing_sme_gaps');
  }
}
