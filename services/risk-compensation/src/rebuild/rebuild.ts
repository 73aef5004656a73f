/**
 * `npm run risk:rebuild-coverage [-- --dry-run]`: drops risk-compensation's coverage view
 * (`covered_loans`) and folds `ipfin.loans.v1` again, in one transaction (`rebuildCoverage`).
 *
 *   1. stop the risk-compensation service (every replica: HTTP and consumer are one process);
 *   2. run this CLI: it waits up to 45 s for the service's consumer to leave its group (refusing,
 *      having changed nothing, while it still has members), folds the topic from offset 0 up to
 *      where the service had consumed with the service's own fold — publishing nothing, touching no
 *      claim, fund or ledger row — prints progress and the loans that differ from the dropped view,
 *      and commits (`--dry-run`: rolls back, so it only prints);
 *   3. start the service: it goes on from where it stopped.
 *
 * Environment: `DATABASE_URL` (the service's role, or a superuser), `DATABASE_SCHEMA` (default
 * `risk_compensation`), `KAFKA_BROKERS`. Without `DATABASE_URL` it uses the local stack (`npm run
 * infra:up` or `npm start`), as `npm run migrate` does.
 */
import 'reflect-metadata';
import { runCommand, withStoreCommand } from '@ipfin/testing';
import { createDataSource } from '../database/data-source';
import { rebuildCoverage } from './rebuild-coverage';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')} (only --dry-run)`);
  const schema = process.env.DATABASE_SCHEMA ?? 'risk_compensation';
  await withStoreCommand({ clientId: 'ipfin-risk-compensation-rebuild', dataSource: (url) => createDataSource({ url, schema }) }, ({ dataSource, bus, log }) =>
    rebuildCoverage({ dataSource, bus, schema, log, dryRun: args.includes('--dry-run') }));
}

runCommand(main);
