// jest globalSetup for integration tests (jest.integration.config.js): a real PostgreSQL and Kafka
// for the whole run. Reuses a stack that is already running (`infra:up`, another terminal) or
// the external one named by DATABASE_URL / KAFKA_BROKERS; otherwise starts one, which the
// matching global-teardown stops again.
//
// Workers inherit process.env from here: tests read DATABASE_URL (superuser URL of database
// `ipfin`) and KAFKA_BROKERS (comma-separated).
import { startInfra, type Infra } from '../infra';

const INFRA_KEY = Symbol.for('ipfin.jest.infra');

export function startedInfra(): Infra | undefined {
  return (globalThis as { [INFRA_KEY]?: Infra })[INFRA_KEY];
}

/** Starts (or reuses) the infrastructure and exports it to the workers' environment. */
export async function setUpInfra(): Promise<Infra> {
  const infra = await startInfra();
  (globalThis as { [INFRA_KEY]?: Infra })[INFRA_KEY] = infra;
  process.env['DATABASE_URL'] = infra.databaseUrl;
  process.env['KAFKA_BROKERS'] = infra.kafkaBrokers.join(',');
  process.env['IPFIN_INFRA_MODE'] = infra.mode;
  return infra;
}

/** Stops what setUpInfra started (nothing, if it reused a running stack). */
export async function tearDownInfra(): Promise<void> {
  const infra = startedInfra();
  (globalThis as { [INFRA_KEY]?: Infra })[INFRA_KEY] = undefined;
  await infra?.stop();
}

export default async function globalSetup(): Promise<void> {
  await setUpInfra();
}
