// jest globalTeardown for integration tests: stops only what global-setup started.
import { tearDownInfra } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await tearDownInfra();
}
