/** `npm start`: the whole stack on one base URL until Ctrl-C. */
import { startStack } from './stack';
import { SERVICES } from './services';

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startStack({
    log: (l) => console.log(l),
    echoServiceLogs: process.env.IPFIN_ECHO_LOGS === 'true',
    durable: process.env.IPFIN_PG_DURABLE !== 'false',
    preferEmbedded: true,
  });
  console.log('');
  console.log(`ipfin is up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  base URL      ${stack.baseUrl}   (dashboard at /)`);
  for (const s of SERVICES) console.log(`  ${s.name.padEnd(18)} ${stack.serviceUrl(s.name)}/docs   ${s.prefixes.join(' ')}`);
  console.log('  logs          .data/logs/<service>.log');
  console.log('  tokens        npm run token -- --role bank --sub bank-a --region 350600');
  console.log('Press Ctrl-C to stop.');
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    stack.stop().then(() => { console.log('stopped'); process.exit(0); }, (err: unknown) => { console.error(err); process.exit(1); });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => { console.error(err instanceof Error ? err.message : err); process.exit(1); });
