/**
 * `npm run registry:rebuild-pledges`: drops the registry's pledge view and rebuilds it from
 * `ipfin.loans.v1` (events.md guarantee 4).
 *
 *   1. stop the patent-registry service (every replica);
 *   2. run this CLI: it waits up to 45 s for the service's loan consumer to leave its group and
 *      refuses, changing nothing, while it still has members; resets the group to the beginning of
 *      the topic; empties the view and the group's inbox rows in one transaction; replays the topic
 *      with the service's own consumer code, printing progress until caught up;
 *   3. start the service: it continues from the end of the topic, where the rebuild left the group.
 *
 * Environment: `DATABASE_URL` (the registry's role, or a superuser), `DATABASE_SCHEMA` (default
 * `patent_registry`), `KAFKA_BROKERS`, `REGISTRY_REBUILD_CONCURRENCY` (partitions folded at once,
 * default 1; each loan's events share a partition and the fold locks patents in number order, so
 * more is safe). Without `DATABASE_URL` it uses the local stack (`npm run infra:up` or
 * `npm start`), as `npm run migrate` does.
 */
import 'reflect-metadata';
import { positiveIntegerEnv, runCommand, withStoreCommand } from '@ipfin/testing';
import { createDataSource } from '../database/data-source';
import { rebuildPledgeView } from './rebuild-pledge-view';

async function main(): Promise<void> {
  const concurrency = positiveIntegerEnv('REGISTRY_REBUILD_CONCURRENCY', 1);
  const schema = process.env.DATABASE_SCHEMA ?? 'patent_registry';
  await withStoreCommand({ clientId: 'ipfin-patent-registry-rebuild', dataSource: (url) => createDataSource({ url, schema }) }, ({ dataSource, bus, log }) =>
    rebuildPledgeView({ dataSource, bus, schema, log, tuning: { partitionsConsumedConcurrently: concurrency } }));
}

runCommand(main);
