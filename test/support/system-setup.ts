/**
 * Jest globalSetup of the system tests: the whole stack (infrastructure, migrations, five
 * service processes, gateway) exactly as `npm start` runs it, from an empty database.
 */
import { Client } from 'pg';
import { startInfra } from '@ipfin/testing';
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

export default async function systemSetup(): Promise<void> {
  const log = (line: string): void => { if (process.env.IPFIN_TEST_VERBOSE === 'true') console.log(line); };
  const infra = await startInfra({ log });
  await emptyDatabase(infra.databaseUrl);
  await infra.stop();
  const stack = await startStack({ log, gatewayPort: Number(process.env.IPFIN_GATEWAY_PORT ?? 3000) });
  globalThis.__IPFIN_STACK__ = stack;
  process.env.IPFIN_BASE_URL = stack.baseUrl;
  // The admin connection string of the stack's server, for the tests that check its roles.
  process.env.IPFIN_TEST_DATABASE_URL = stack.infra.databaseUrl;
}
