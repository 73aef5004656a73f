import 'reflect-metadata';
import { bootstrapService } from '@ipfin/http';
import { AppModule } from './app.module';
import { loadPatentRegistryEnv } from './config';
import { LISTING_BODY_LIMIT_MB } from './patents/dto';

async function main(): Promise<void> {
  const env = loadPatentRegistryEnv();
  await bootstrapService({
    name: 'patent-registry',
    module: AppModule.forRoot(env),
    port: env.PORT,
    host: env.HOST,
    bodyLimit: `${LISTING_BODY_LIMIT_MB}mb`,
    title: 'ipfin patent registry',
    description: 'Stock-patent listings and search, transfers, licences and open licences with pledge locks.',
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
