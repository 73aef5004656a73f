import 'reflect-metadata';
import { bootstrapService } from '@ipfin/http';
import { AppModule } from './app.module';
import { loadMetricsEnv } from './config';

async function main(): Promise<void> {
  const env = loadMetricsEnv();
  await bootstrapService({
    name: env.SERVICE_NAME ?? 'metrics',
    module: AppModule.forRoot(env),
    port: env.PORT,
    host: env.HOST,
    title: 'ipfin metrics',
    description: 'Aggregates for regulators: financing, banks, risk fund, transfers, products, agencies, targets.',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
