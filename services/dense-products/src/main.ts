import 'reflect-metadata';
import { bootstrapService } from '@ipfin/http';
import { AppModule } from './app.module';
import { loadDenseProductsEnv } from './config';

async function main(): Promise<void> {
  const env = loadDenseProductsEnv();
  // Early USCCs that are legal although their check character fails (domain.md), for every USCC field.
  await bootstrapService({
    name: 'dense-products',
    module: AppModule.forRoot(env),
    port: env.PORT,
    host: env.HOST,
    title: 'ipfin patent-intensive products',
    description: 'Patent-intensive product filings, recognition and capped rewards.',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
