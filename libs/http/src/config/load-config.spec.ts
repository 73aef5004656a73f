import { IsInt, Min } from 'class-validator';
import { BaseServiceEnv, EnvBoolean } from './base-service-env';
import { ConfigValidationError, loadConfig } from './load-config';

const validEnv = {
  PORT: '3101',
  DATABASE_URL: 'postgres://ipfin:ipfin@localhost:5432/ipfin',
  DATABASE_SCHEMA: 'pledge_loans',
  KAFKA_BROKERS: 'localhost:9092,kafka-2:9092',
  AUTH_JWT_SECRET: 'local-secret-0123456789',
  PATH: '/usr/bin',
};

class PledgeLoansEnv extends BaseServiceEnv {
  @IsInt() @Min(1) OUTBOX_BATCH_SIZE: number = 100;
  @EnvBoolean() RELAY_ENABLED: boolean = true;
}

describe('loadConfig', () => {
  it('reads, converts and defaults the declared variables only', () => {
    const config = loadConfig(PledgeLoansEnv, { ...validEnv, RELAY_ENABLED: 'false' });
    expect(config).toBeInstanceOf(PledgeLoansEnv);
    expect(config.PORT).toBe(3101);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.OUTBOX_BATCH_SIZE).toBe(100);
    expect(config.RELAY_ENABLED).toBe(false);
    expect(config.kafkaBrokers()).toEqual(['localhost:9092', 'kafka-2:9092']);
    expect(config).not.toHaveProperty('PATH');
  });

  it('names each bad or missing variable', () => {
    const env: Record<string, string | undefined> = { ...validEnv, PORT: 'eighty', AUTH_JWT_SECRET: undefined, DATABASE_SCHEMA: '' };
    expect(() => loadConfig(BaseServiceEnv, env)).toThrow(ConfigValidationError);
    try {
      loadConfig(BaseServiceEnv, env);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/^Invalid configuration: /);
      expect(message).toContain('PORT must be an integer');
      expect(message).toContain('AUTH_JWT_SECRET is required');
      expect(message).toContain('DATABASE_SCHEMA is required');
      expect((error as ConfigValidationError).problems.map((p) => p.variable).sort()).toEqual(['AUTH_JWT_SECRET', 'DATABASE_SCHEMA', 'PORT']);
    }
  });

  it('wants a secret of at least 16 characters, unless a JWKS URL is set', () => {
    expect(() => loadConfig(BaseServiceEnv, { ...validEnv, AUTH_JWT_SECRET: 'short' })).toThrow('AUTH_JWT_SECRET must be at least 16 characters');
    const config = loadConfig(BaseServiceEnv, { ...validEnv, AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: 'https://idp.example.cn/.well-known/jwks.json' });
    expect(config.AUTH_JWKS_URL).toBe('https://idp.example.cn/.well-known/jwks.json');
  });

  it('refuses an unknown log level and a malformed broker list', () => {
    expect(() => loadConfig(BaseServiceEnv, { ...validEnv, LOG_LEVEL: 'loud', KAFKA_BROKERS: 'localhost' })).toThrow(
      /LOG_LEVEL must be one of .*; KAFKA_BROKERS must be a comma-separated list of host:port|KAFKA_BROKERS must be .*LOG_LEVEL must be one of/,
    );
  });

  it('reads the USCC allow-list as upper-case codes and refuses a malformed one', () => {
    expect(loadConfig(BaseServiceEnv, validEnv).usccAllowList()).toEqual([]);
    expect(loadConfig(BaseServiceEnv, { ...validEnv, USCC_ALLOW_LIST: '' }).usccAllowList()).toEqual([]);
    const config = loadConfig(BaseServiceEnv, { ...validEnv, USCC_ALLOW_LIST: ' 91350602ma31k8p7x2 , 91350600MA2Y7K8Q30' });
    expect(config.usccAllowList()).toEqual(['91350602MA31K8P7X2', '91350600MA2Y7K8Q30']);
    expect(() => loadConfig(BaseServiceEnv, { ...validEnv, USCC_ALLOW_LIST: '9135,x' })).toThrow('USCC_ALLOW_LIST must be a comma-separated list of 18-character codes');
  });
});
