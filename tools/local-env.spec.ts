import { assertSafeBind, localBindHost, LOCAL_JWT_SECRET, reachableHost } from './local-env';
import { SERVICES } from './services';
import { serviceEnv } from './stack';

const infra = { databaseUrl: 'postgres://postgres:pw@127.0.0.1:54329/ipfin', kafkaBrokers: ['127.0.0.1:19092'] };

describe('the local stack listens on this machine only, unless told otherwise', () => {
  it('binds 127.0.0.1 by default, IPFIN_BIND_HOST otherwise', () => {
    expect(localBindHost({})).toBe('127.0.0.1');
    expect(localBindHost({ IPFIN_BIND_HOST: '  ' })).toBe('127.0.0.1');
    expect(localBindHost({ IPFIN_BIND_HOST: '0.0.0.0' })).toBe('0.0.0.0');
  });

  it('hands the bind address to every service process as HOST', () => {
    const saved = process.env.IPFIN_BIND_HOST;
    try {
      delete process.env.IPFIN_BIND_HOST;
      expect(SERVICES.map((s) => serviceEnv(s, infra).HOST)).toEqual(SERVICES.map(() => '127.0.0.1'));
      process.env.IPFIN_BIND_HOST = '10.1.2.3';
      expect(serviceEnv(SERVICES[0], infra).HOST).toBe('10.1.2.3');
    } finally {
      if (saved === undefined) delete process.env.IPFIN_BIND_HOST;
      else process.env.IPFIN_BIND_HOST = saved;
    }
  });

  it('reaches loopback and wildcard binds on 127.0.0.1, any other address on itself', () => {
    expect(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].map(reachableHost)).toEqual(Array(5).fill('127.0.0.1'));
    expect(reachableHost('10.1.2.3')).toBe('10.1.2.3');
  });

  it('refuses to open the stack beyond loopback while tokens are signed with the published secret', () => {
    expect(() => assertSafeBind('127.0.0.1', {})).not.toThrow();
    expect(() => assertSafeBind('::1', {})).not.toThrow();
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      expect(() => assertSafeBind(host, {})).toThrow(/AUTH_JWT_SECRET/);
      expect(() => assertSafeBind(host, { AUTH_JWT_SECRET: LOCAL_JWT_SECRET })).toThrow(/published/);
      expect(() => assertSafeBind(host, { AUTH_JWT_SECRET: 'an-office-own-secret-of-32-chars' })).not.toThrow();
    }
  });
});
