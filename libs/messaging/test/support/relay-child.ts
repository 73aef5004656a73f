/**
 * An outbox relay in its own process, for the crash tests: with RELAY_CRASH=after-ack it kills
 * itself (SIGKILL, no clean-up) right after the broker acknowledged a batch and before marking it
 * published; with RELAY_CRASH=before-send right before sending.
 */
import { OutboxRelay, RelayTestHooks } from '../../src';
import { openBus, openDataSource, requireEnv, testLogger } from './harness';

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

async function main(): Promise<void> {
  const schema = requireEnv('RELAY_SCHEMA');
  const crash = process.env['RELAY_CRASH'];
  const hooks: RelayTestHooks =
    crash === 'after-ack' ? { afterAck: die } : crash === 'before-send' ? { beforeSend: die } : {};
  const logger = testLogger();
  logger.warn = (m) => process.stderr.write(`${m}\n`);
  logger.error = (m) => process.stderr.write(`${m}\n`);
  const dataSource = await openDataSource(2);
  const relay = new OutboxRelay({
    dataSource,
    bus: openBus(logger),
    schema,
    logger,
    pollIntervalMs: 50,
    standbyRetryMs: 100,
    testHooks: hooks,
  });
  relay.start();
  process.once('SIGTERM', () => {
    void relay
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`relay-child: ${String(error)}\n`);
  process.exit(1);
});
