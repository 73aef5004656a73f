// jest globalTeardown for system tests: the service stack first, then what system-setup started.
import { tearDownInfra } from './global-setup';
import { stopServiceStack } from './system-setup';

export default async function systemTeardown(): Promise<void> {
  try {
    await stopServiceStack();
  } finally {
    await tearDownInfra();
  }
}
