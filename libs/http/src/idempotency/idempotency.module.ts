import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IDEMPOTENCY_DATASOURCE, IDEMPOTENCY_SCHEMA } from './idempotency.interceptor';

export interface IdempotencyModuleOptions {
  /** The service's schema (where its migration created `idempotency_keys`). */
  schema: string;
  /** Token of the service's TypeORM DataSource; `DataSource` (as @nestjs/typeorm provides it) by default. */
  dataSource?: InjectionToken;
  /** Modules exporting `dataSource`, when it is not provided globally (as @nestjs/typeorm does). */
  imports?: ModuleMetadata['imports'];
}

/** Provides the two tokens `@Idempotent()` routes need, to every module of the app. */
@Module({})
export class IdempotencyModule {
  static forRoot(options: IdempotencyModuleOptions): DynamicModule {
    return {
      module: IdempotencyModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: IDEMPOTENCY_DATASOURCE, useExisting: options.dataSource ?? DataSource },
        { provide: IDEMPOTENCY_SCHEMA, useValue: options.schema },
      ],
      exports: [IDEMPOTENCY_DATASOURCE, IDEMPOTENCY_SCHEMA],
    };
  }
}
