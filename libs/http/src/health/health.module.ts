import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HEALTH_MODULE_OPTIONS, HealthModuleOptions, HealthRegistry } from './health.registry';

/** `/health/live` and `/health/ready` (public). `HealthRegistry` is global so other modules can add checks. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [{ provide: HEALTH_MODULE_OPTIONS, useValue: options }, HealthRegistry],
      exports: [HealthRegistry],
    };
  }
}
