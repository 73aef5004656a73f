import 'reflect-metadata';
import { bootstrapService } from '@ipfin/http';
import { AppModule } from './app.module';
import { loadRiskCompensationEnv } from './config';

async function main(): Promise<void> {
  const env = loadRiskCompensationEnv();
  await bootstrapService({
    name: 'risk-compensation',
    module: AppModule.forRoot(env),
    port: env.PORT,
    host: env.HOST,
    title: 'ipfin risk compensation',
    description: 'Regional risk-compensation funds: policy, coverage, claims, payouts and recoveries.',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
