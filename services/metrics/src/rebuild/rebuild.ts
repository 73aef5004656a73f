/**
 * `npm run metrics:rebuild`: drops the metrics projections and rebuilds them from the topics.
 *
 *   1. stop the metrics service (its projector and every answering replica);
 *   2. run this CLI: it waits up to 45 s for the service's consumers to leave their groups, resets
 *      the groups to the beginning (refusing while the service still runs), empties the projection
 *      tables and inbox rows in one transaction, replays all four topics with the service's own
 *      handlers and prints progress until caught up;
 *   3. start the service: it continues from where the rebuild stopped.
 *
 * Environment: `DATABASE_URL` (the metrics role, or a superuser), `DATABASE_SCHEMA` (default
 * `metrics`), `KAFKA_BROKERS`, `METRICS_REBUILD_CONCURRENCY` (partitions folded at once per
 * topic, default 1; the folds lock rows in key order, so more is safe). Without `DATABASE_URL` it uses the local stack (`npm run infra:up`
 * or `npm start`), as `npm run migrate` does.
 */
import 'reflect-metadata';
import { positiveIntegerEnv, runCommand, withStoreCommand } from '@ipfin/testing';
import { PROJECTIONS } from '../projections';
import { createDataSource } from '../database/data-source';
import { projectionHandlers } from './handlers';
import { rebuildProjections } from './rebuild-projections';

async function main(): Promise<void> {
  const schema = process.env.DATABASE_SCHEMA ?? 'metrics';
  const concurrency = positiveIntegerEnv('METRICS_REBUILD_CONCURRENCY', 1);
  await withStoreCommand({ clientId: 'ipfin-metrics-rebuild', dataSource: (url) => createDataSource({ url, schema }) }, async ({ dataSource, bus, log }) => {
    const handlers = projectionHandlers(dataSource);
    await rebuildProjections({
      dataSource, bus, schema, log, tuning: { partitionsConsumedConcurrently: concurrency },
      projections: PROJECTIONS.map((p) => ({ name: p.name, groupId: p.groupId, topics: p.topics, handler: handlers[p.name] })),
    });
  });
}

runCommand(main);
