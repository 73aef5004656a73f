import { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from '@ipfin/http';
import { messagingTablesSql } from '@ipfin/messaging';

/** risk-compensation's schema: outbox and inbox (messaging) and Idempotency-Key storage. */
export class Init1763780100000 implements MigrationInterface {
  name = 'Init1763780100000';

  async up(q: QueryRunner): Promise<void> {
    const schema = (q.connection.options as { schema?: string }).schema ?? 'risk_compensation';
    for (const statement of [...messagingTablesSql(schema), ...idempotencyTableSql(schema)]) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists idempotency_keys, inbox, outbox');
  }
}
