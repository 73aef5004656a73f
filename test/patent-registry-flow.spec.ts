/**
 * Patent registry through the one base URL: a university lists stock patents; a bank pledges one
 * in a loan (POST /v1/loan-events), the registry learns it from ipfin.loans.v1 and refuses the
 * transfer with 422 patent-pledged; the bank settles, the transfer goes through; an open licence
 * is declared and taken by an enterprise.
 */
import { api, eventually } from './support/client';
import { borrower, event, registration } from './fixtures';
import { BANK, UNIVERSITY, bankToken, enterpriseParty, enterpriseToken, stockListing, stockPatent, universityToken } from './patent-fixtures';

const PLEDGED = stockPatent(1);
const OPEN = stockPatent(2);
const OTHER = stockPatent(3);
const LOAN = 'ZZ-PATENT-FLOW-1';

const patent = async (number: string) => (await api('GET', `/v1/patents/${number}`)).body;
const transfer = () =>
  api('POST', `/v1/patents/ZL${PLEDGED}/transfers`, {
    token: universityToken(),
    body: { assignee: enterpriseParty, price: '300000.00', contractDate: '2024-10-08', recordedOn: '2024-10-20' },
  });

describe('patent registry: listing, pledge lock, transfer, open licence', () => {
  it('lists a university’s stock patents, publicly searchable in Chinese', async () => {
    const res = await api('POST', '/v1/patents', {
      token: universityToken(),
      body: [
        stockListing(PLEDGED, '一种光伏组件及其制备方法', { abstract: '本发明公开了一种高效光伏组件。', keywords: ['光伏', '组件'] }),
        stockListing(OPEN, '光伏组件', { grade: 'B' }),
        stockListing(OTHER, '一种茶叶烘干装置', { ipc: 'A23F3/06', category: '农业' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['listed', 'listed', 'listed']);

    const found = await api('GET', `/v1/patents?q=${encodeURIComponent('光伏组件')}`);
    expect(found.status).toBe(200);
    expect(found.body.items.map((i: { number: string }) => i.number)).toEqual([OPEN, PLEDGED]);
    expect(found.body.items[1]).toMatchObject({ owner: { sub: UNIVERSITY.sub, region: '350600' }, pledged: false, available: true });
  });

  it('refuses the transfer of the patent a bank pledged (422 patent-pledged), once the lock has arrived', async () => {
    const reg = await api('POST', '/v1/loan-events', {
      token: bankToken(),
      body: [
        registration('flow-reg', LOAN, '2024-09-01', { borrower: borrower(7701), principal: '1000000.00', patents: [`ZL${PLEDGED}`] }),
        event('flow-d1', 'LoanDisbursed', LOAN, '2024-09-03', { amount: '1000000.00' }),
      ],
    });
    expect(reg.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);

    const locked = await eventually(() => patent(PLEDGED), (p) => p.pledge?.pledged === true, 30_000);
    expect(locked.pledge).toEqual({ pledged: true, pledgees: [BANK] });
    const refused = await transfer();
    expect(refused.status).toBe(422);
    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'https://ipfin.dev/problems/patent-pledged', status: 422 });
    const available = await api('GET', `/v1/patents?q=${encodeURIComponent('光伏')}&available=true`);
    expect(available.body.items.map((i: { number: string }) => i.number)).toEqual([OPEN]);
  });

  it('accepts the transfer after the bank settles the loan', async () => {
    const settle = await api('POST', '/v1/loan-events', {
      token: bankToken(),
      body: [
        event('flow-r1', 'RepaymentReceived', LOAN, '2024-10-01', { principal: '1000000.00', interest: '3200.00' }),
        event('flow-settle', 'LoanSettled', LOAN, '2024-10-01'),
      ],
    });
    expect(settle.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
    await eventually(() => patent(PLEDGED), (p) => p.pledge?.pledged === false, 30_000);

    const accepted = await transfer();
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ number: PLEDGED, id: `${PLEDGED}-T1`, assignee: enterpriseParty, price: '300000.00' });
    const after = await patent(PLEDGED);
    expect(after.owner).toMatchObject({ uscc: enterpriseParty.uscc, region: enterpriseParty.regionCode });
    expect(after.transfers).toHaveLength(1);
  });

  it('lets an enterprise take the open licence the university declared', async () => {
    const declared = await api('PUT', `/v1/patents/${OPEN}/open-licence`, {
      token: universityToken(),
      body: { royalty: { kind: 'lump_sum', amount: '20000.00' }, termYears: 3, declaredOn: '2024-09-01' },
    });
    expect(declared.status).toBe(200);
    expect(declared.body).toMatchObject({ number: OPEN, expiresOn: '2027-08-31' });

    const taken = await api('POST', `/v1/patents/${OPEN}/open-licence/takers`, {
      token: enterpriseToken(),
      headers: { 'idempotency-key': `take-${OPEN}` },
      body: { licensee: enterpriseParty, takenOn: '2024-10-09' },
    });
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ kind: 'ordinary', viaOpenLicence: true, licensee: enterpriseParty, endsOn: '2027-08-31' });

    const open = await api('GET', '/v1/patents?openLicence=true');
    expect(open.body.items.map((i: { number: string }) => i.number)).toEqual([OPEN]);
    expect((await patent(OPEN)).licences).toEqual([expect.objectContaining({ viaOpenLicence: true, licensee: enterpriseParty })]);
  });
});
