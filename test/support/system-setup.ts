/**
 * Jest globalSetup of the system tests: the whole stack (infrastructure, migrations, five
 * service processes, gateway) exactly as `npm start` runs it, from an empty database.
 */
import { Client } from 'pg';
import { basename } from 'node:path';
import { dataDir, startInfra } from '@ipfin/testing';
import { startStack, type Stack } from '../../tools/stack';
import { SERVICES } from '../../tools/services';

declare global {
  var __IPFIN_STACK__: Stack | undefined;
}

async function emptyDatabase(adminUrl: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const s of SERVICES) await client.query(`drop schema if exists "${s.schema}" cascade`);
  } finally {
    await client.end();
  }
}

/**
 * The system tests start from empty service schemas: on the tests' own embedded stack or a
 * throw-away container that is what they are for; anywhere else it would destroy whatever the
 * schemas hold. So an embedded stack is emptied only when its data directory is a test one
 * (`.data/test`, which the jest configs and `npm test` choose — not `npm start`'s `.data`), a server
 * named by `DATABASE_URL` only when its database's name says it is for tests; or with an explicit
 * `IPFIN_TEST_DROP_SCHEMAS=true`.
 */
export function mayEmpty(mode: string, databaseUrl: string, env: NodeJS.ProcessEnv = process.env, dir: string = dataDir()): boolean {
  if (mode === 'testcontainers' || env.IPFIN_TEST_DROP_SCHEMAS === 'true') return true;
  if (mode === 'embedded') return /test/i.test(basename(dir));
  return /test/i.test(decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
}

export default async function systemSetup(): Promise<void> {
  const log = (line: string): void => { if (process.env.IPFIN_TEST_VERBOSE === 'true') console.log(line); };
  const infra = await startInfra({ log });
  // `npm test` starts the infrastructure and hands it over as DATABASE_URL/KAFKA_BROKERS: its mode is the one that counts.
  if (!mayEmpty(process.env.IPFIN_INFRA_MODE ?? infra.mode, infra.databaseUrl)) {
    await infra.stop();
    throw new Error(
      (process.env.IPFIN_INFRA_MODE ?? infra.mode) === 'embedded'
        ? `system tests: they drop and recreate the five service schemas, and the embedded stack's data directory ${dataDir()} ` +
          "is not a test one (npm start's data?). Leave IPFIN_DATA_DIR unset (the tests use .data/test), or set IPFIN_TEST_DROP_SCHEMAS=true."
        : 'system tests: they drop and recreate the five service schemas, and DATABASE_URL names a database ' +
          `(${new URL(infra.databaseUrl).pathname.slice(1)}) that does not look like a test database. ` +
          'Point DATABASE_URL at a throw-away database whose name contains "test", or set IPFIN_TEST_DROP_SCHEMAS=true.',
    );
  }
  await emptyDatabase(infra.databaseUrl);
  await infra.stop();
  const stack = await startStack({ log, gatewayPort: Number(process.env.IPFIN_GATEWAY_PORT ?? 3000) });
  globalThis.__IPFIN_STACK__ = stack;
  process.env.IPFIN_BASE_URL = stack.baseUrl;
  // The admin connection string of the stack's server, for the tests that check its roles.
  process.env.IPFIN_TEST_DATABASE_URL = stack.infra.databaseUrl;
}
