import 'reflect-metadata';
import { bootstrapService } from '@ipfin/http';
import { AppModule } from './app.module';
import { loadPledgeLoansEnv } from './config';

async function main(): Promise<void> {
  const env = loadPledgeLoansEnv();
  // Early USCCs that are legal although their check character fails (domain.md): admitted as borrowers.
  await bootstrapService({
    name: 'pledge-loans',
    module: AppModule.forRoot(env),
    port: env.PORT,
    host: env.HOST,
    title: 'ipfin pledge loans',
    description: 'Banks report IP-pledge-loan events; loans, balances and histories.',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
