import { loadConfig } from '../config/load-config';
import { BaseServiceEnv } from '../config/base-service-env';
import { configureUsccAllowList, configuredUsccAllowList } from '../validation/field-decorators';
import { ServicePlatformModule } from './service-platform.module';

describe('ServicePlatformModule.forRoot', () => {
  afterEach(() => configureUsccAllowList([]));

  it("installs the env's USCC allow-list for every service (bodies, queries and token claims)", () => {
    const env = loadConfig(BaseServiceEnv, {
      PORT: '3002', DATABASE_URL: 'postgres://u:p@localhost:5432/ipfin', DATABASE_SCHEMA: 'risk_compensation',
      KAFKA_BROKERS: 'localhost:9092', AUTH_JWT_SECRET: 'local-secret-0123456789', USCC_ALLOW_LIST: '91350602ma31k8p7x2',
    });
    expect(configuredUsccAllowList().size).toBe(0);
    ServicePlatformModule.forRoot({ name: 'risk-compensation', env });
    expect([...configuredUsccAllowList()]).toEqual(['91350602MA31K8P7X2']);
  });
});
