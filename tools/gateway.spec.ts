import { serviceTarget } from './gateway';
import { SERVICES } from './services';

describe('serviceTarget', () => {
  const loans = SERVICES.find((s) => s.name === 'pledge-loans')!;
  const saved = process.env.IPFIN_PLEDGE_LOANS_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.IPFIN_PLEDGE_LOANS_URL;
    else process.env.IPFIN_PLEDGE_LOANS_URL = saved;
  });

  it('puts an IPv6 service host in brackets, and leaves names and IPv4 addresses as they are', () => {
    delete process.env.IPFIN_PLEDGE_LOANS_URL;
    expect(serviceTarget(loans, '::1')).toBe(`http://[::1]:${loans.port}`);
    expect(serviceTarget(loans, 'fd00::5')).toBe(`http://[fd00::5]:${loans.port}`);
    expect(serviceTarget(loans, '127.0.0.1')).toBe(`http://127.0.0.1:${loans.port}`);
    expect(serviceTarget(loans, 'pledge-loans')).toBe(`http://pledge-loans:${loans.port}`);
    expect(new URL(serviceTarget(loans, '::1')).hostname).toBe('[::1]');
  });

  it('takes IPFIN_<NAME>_URL as it is', () => {
    process.env.IPFIN_PLEDGE_LOANS_URL = 'http://pledge-loans:3001';
    expect(serviceTarget(loans, '::1')).toBe('http://pledge-loans:3001');
  });
});
