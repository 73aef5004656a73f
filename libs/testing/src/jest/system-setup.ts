// jest globalSetup for system tests (jest.system.config.js): the infrastructure, as for the
// integration tests, then the whole service stack behind one base URL.
import type { Infra } from '../infra';
import { setUpInfra, tearDownInfra } from './global-setup';

/** What startServiceStack returns; system-teardown calls stop(). */
export interface RunningStack {
  stop(): Promise<void>;
}

const STACK_KEY = Symbol.for('ipfin.jest.stack');
const slot = globalThis as { [STACK_KEY]?: RunningStack };

/**
 * HOOK (for the lead): start the five services and the gateway against `infra` here, e.g. with
 * `startStack()` from tools/, export the gateway's URL for the workers
 * (`process.env['IPFIN_BASE_URL'] = stack.baseUrl`), and return something whose stop() stops
 * them. Until then the system tests get the infrastructure only.
 */
async function startServiceStack(_infra: Infra): Promise<RunningStack | undefined> {
  return undefined;
}

export async function stopServiceStack(): Promise<void> {
  const stack = slot[STACK_KEY];
  slot[STACK_KEY] = undefined;
  await stack?.stop();
}

export default async function systemSetup(): Promise<void> {
  const infra = await setUpInfra();
  try {
    slot[STACK_KEY] = await startServiceStack(infra);
  } catch (err) {
    await tearDownInfra();
    throw err;
  }
}
