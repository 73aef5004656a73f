/**
 * `npm start`: the whole stack on one base URL until Ctrl-C.
 *
 * Ctrl-C (SIGINT, SIGTERM or SIGHUP) works from the first line on. During start-up it aborts:
 * the services already spawned are stopped, and PostgreSQL and Kafka are released (they stop
 * unless another run holds them). Once the stack is up, it stops everything. A second Ctrl-C
 * exits at once: it kills the service processes and names what may be left running. A service
 * that dies after start-up stops the stack, and `npm start` exits 1 naming it.
 */
import path from 'node:path';
import { dataDir, isAbortError, LeftRunning, onShutdownSignals } from '@ipfin/testing';
import { REPO_ROOT, startStack, type Stack } from './stack';
import { SERVICE_PROCESSES } from './services';

// A closed terminal (SIGHUP) or a gone pipe must not turn a log line into a crash halfway through the clean-up.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
const say = (line: string): void => {
  try {
    console.log(line);
  } catch {
    // nobody is reading
  }
};

async function main(): Promise<number> {
  const started = Date.now();
  const running = new LeftRunning();
  let stack: Stack | undefined;
  let stopping: Promise<number> | undefined;

  const stopAll = (code: number): Promise<number> => {
    stopping ??= stack!.stop().then(
      () => {
        say('stopped');
        return code;
      },
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        return 1;
      },
    );
    return stopping;
  };

  const signals = onShutdownSignals({
    onFirst: (signal) => {
      if (!stack) say(`\n${signal}: aborting the start-up… (Ctrl-C again to exit at once)`);
      else if (stopping) say(`\n${signal}: already stopping… (Ctrl-C again to exit at once)`);
      else {
        say(`\n${signal}: stopping… (Ctrl-C again to exit at once)`);
        void stopAll(0).then((code) => process.exit(code));
      }
    },
    onForce: (signal) => {
      const { killed, left } = running.killAll();
      say(`\n${signal} again: exiting now.`);
      if (killed.length > 0) say(`  killed ${killed.join(', ')}`);
      for (const what of left) say(`  may be left running: ${what}`);
      process.exit(130);
    },
  });

  try {
    stack = await startStack({
      log: say,
      echoServiceLogs: process.env.IPFIN_ECHO_LOGS === 'true',
      durable: process.env.IPFIN_PG_DURABLE !== 'false',
      preferEmbedded: true,
      signal: signals.signal,
      running,
      onServiceExit: (name, how) => {
        console.error(`\n${name} ${how}. Stopping ipfin.`);
        void stopAll(1).then((code) => process.exit(code));
      },
    });
  } catch (err) {
    if (signals.signal.aborted) {
      if (!isAbortError(err)) console.error(err instanceof Error ? err.message : err);
      say(`start-up aborted (${signals.received}); what it had started is stopped`);
      return 130;
    }
    throw err;
  }
  say('');
  say(`ipfin is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  say(`  base URL      ${stack.baseUrl}   (dashboard at /)`);
  for (const p of SERVICE_PROCESSES) {
    const what = p.name === p.service.name ? p.service.prefixes.join(' ') : `folds ${p.service.name}' topics (not routed)`;
    say(`  ${p.name.padEnd(18)} ${stack.serviceUrl(p.name)}/docs   ${what}`);
  }
  say(`  logs          ${path.relative(REPO_ROOT, path.join(dataDir(), 'logs'))}/<service>.log`);
  say('  tokens        npm run token -- --role bank --sub bank-a --region 350600');
  say('Press Ctrl-C to stop.');
  return new Promise<number>(() => undefined); // runs until a signal or a service's death exits
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
