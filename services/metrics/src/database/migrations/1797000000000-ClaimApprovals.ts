import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A waiting claim's approval (`bank_share_fen`, `approved_on`): risk-compensation withdraws a
 * waiting claim whose default the bank reversed (`ClaimRejected` after `ClaimApproved`), and
 * `bankShare` — which sums approved and paid claims — must give that approval's share back.
 * Claims waiting before this migration have no recorded share; `npm run metrics:rebuild` restores
 * them from the topic.
 */
export class ClaimApprovals1797000000000 implements MigrationInterface {
  name = 'ClaimApprovals1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table claim_state add column bank_share_fen bigint, add column approved_on date');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table claim_state drop column bank_share_fen, drop column approved_on');
  }
}
