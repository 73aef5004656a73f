import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An open licence declared before a transfer binds the assignee, so while in force it counts in
 * the current owner's region: `moves` lists the transfers made while a declaration was in force
 * (`[{ on: contractDate, region: assignee's region }]`, in contract-date order). A transfer looks
 * the patent's declarations up by number, the primary key's leading column, so no index is added.
 * Declarations stored before this migration have no moves; `npm run metrics:rebuild` moves the
 * open licences of patents already transferred.
 */
export class OpenLicenceMoves1797000100000 implements MigrationInterface {
  name = 'OpenLicenceMoves1797000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table open_licence_declaration add column moves jsonb not null default '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table open_licence_declaration drop column moves');
  }
}
