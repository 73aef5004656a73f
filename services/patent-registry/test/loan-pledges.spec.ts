/**
 * The loan-stream consumer on real PostgreSQL: real `ipfin.loans.v1` envelopes through the handler
 * inside a real transaction. A patent in a registered, unsettled loan is pledged, listed or not;
 * settlement and reversal of the registration release it; a reversed settlement locks again.
 */
import { migratedTestSchema, type TestSchema } from '@ipfin/testing';
import { createDataSource } from '../src/database/data-source';
import {
  feed, invention, listing, loanDisbursed, loanRegistered, loanSettled, minnan, opticsParty, reversal, servicesOn, testClock,
  type Services,
} from './support';

let db: TestSchema;
let services: Services;
const clock = testClock();

const pledgesOf = async (number: string): Promise<string[]> =>
  (await db.dataSource.query('select bank, loan_ref from patent_pledges where number = $1 order by bank, loan_ref', [number]))
    .map((r: { bank: string; loan_ref: string }) => `${r.bank}:${r.loan_ref}`);

const detail = (number: string) => services.queries.get(number);

const transferBody = (pledgeeConsent?: boolean) =>
  ({ assignee: opticsParty, price: '300000.00', contractDate: '2024-10-01', ...(pledgeeConsent === undefined ? {} : { pledgeeConsent }) }) as any;

beforeAll(async () => {
  db = await migratedTestSchema(createDataSource, 'patents_pledges');
  services = servicesOn(db.dataSource, db.schema, clock);
});

afterAll(async () => {
  await db?.drop();
});

describe('pledge locks from ipfin.loans.v1', () => {
  it('locks a listed patent on registration and releases it on settlement', async () => {
    const number = invention(3001);
    await services.listings.post(minnan, [listing(number, '一种光伏组件的封装方法')]);
    await feed(db.dataSource, services.consumer, loanRegistered('bank-icbc-zz', 'ZZ-1', [`ZL${number}`], { trademarks: ['43219876'] }));
    expect(await pledgesOf(number)).toEqual(['bank-icbc-zz:ZZ-1']);
    expect(await detail(number)).toMatchObject({ pledge: { pledged: true, pledgees: ['bank-icbc-zz'] }, available: false });

    // Disbursements change nothing; the settlement releases.
    await feed(db.dataSource, services.consumer, loanDisbursed('bank-icbc-zz', 'ZZ-1'));
    expect(await pledgesOf(number)).toEqual(['bank-icbc-zz:ZZ-1']);
    const settled = loanSettled('bank-icbc-zz', 'ZZ-1');
    await feed(db.dataSource, services.consumer, settled);
    expect(await pledgesOf(number)).toEqual([]);
    expect(await detail(number)).toMatchObject({ pledge: { pledged: false, pledgees: [] }, available: true });

    // Reversing the settlement pledges it again.
    await feed(db.dataSource, services.consumer, reversal(settled));
    expect(await pledgesOf(number)).toEqual(['bank-icbc-zz:ZZ-1']);
  });

  it('locks a patent before it is listed; the lock applies once it is listed', async () => {
    const number = invention(3002);
    await feed(db.dataSource, services.consumer, loanRegistered('bank-zz-rural', 'NC-42', [number]));
    expect(await pledgesOf(number)).toEqual(['bank-zz-rural:NC-42']);
    await expect(detail(number)).rejects.toMatchObject({ code: 'patent-not-found' });

    await services.listings.post(minnan, [listing(number, '一种茶叶烘干装置')]);
    expect(await detail(number)).toMatchObject({ pledge: { pledged: true, pledgees: ['bank-zz-rural'] } });
    await expect(services.commands.transfer(minnan, number, transferBody())).rejects.toMatchObject({ code: 'patent-pledged', kind: 'rule' });
  });

  it('releases the patents of a reversed registration and forgets the loan', async () => {
    const number = invention(3003);
    const registered = loanRegistered('bank-icbc-zz', 'ZZ-VOID', [number]);
    await feed(db.dataSource, services.consumer, registered);
    expect(await pledgesOf(number)).toEqual(['bank-icbc-zz:ZZ-VOID']);
    await feed(db.dataSource, services.consumer, reversal(registered));
    expect(await pledgesOf(number)).toEqual([]);
    expect(await db.dataSource.query("select 1 from pledge_loans where loan_ref = 'ZZ-VOID'")).toEqual([]);
  });

  it('keeps a patent pledged while any of its loans is unsettled, and folds a whole batch in one transaction', async () => {
    const number = invention(3004);
    const other = invention(3005);
    await feed(
      db.dataSource, services.consumer,
      loanRegistered('bank-a', 'A-1', [number]),
      loanRegistered('bank-b', 'B-1', [number, other]),
      loanSettled('bank-a', 'A-1'),
    );
    expect(await pledgesOf(number)).toEqual(['bank-b:B-1']);
    expect(await pledgesOf(other)).toEqual(['bank-b:B-1']);
    await feed(db.dataSource, services.consumer, loanSettled('bank-b', 'B-1'));
    expect(await pledgesOf(number)).toEqual([]);
    expect(await pledgesOf(other)).toEqual([]);
  });

  it('is unchanged by a redelivered event, and keeps a trademark-only loan without pledging anything', async () => {
    const number = invention(3006);
    const registered = loanRegistered('bank-c', 'C-1', [number]);
    await feed(db.dataSource, services.consumer, registered);
    await feed(db.dataSource, services.consumer, registered);
    expect(await pledgesOf(number)).toEqual(['bank-c:C-1']);
    await feed(db.dataSource, services.consumer, loanRegistered('bank-c', 'C-TM', [], { trademarks: ['12345678'] }), loanSettled('bank-c', 'C-TM'));
    // Kept (so its later events are not orphans), with no patents: no pledge row.
    expect(await db.dataSource.query("select patents, settled from pledge_loans where loan_ref = 'C-TM'")).toEqual([{ patents: [], settled: true }]);
    expect(await db.dataSource.query("select 1 from patent_pledges where loan_ref = 'C-TM'")).toEqual([]);
  });

  it('lets a transfer through once the loan settles, and with the pledgee consent before', async () => {
    const number = invention(3007);
    const consented = invention(3008);
    await services.listings.post(minnan, [listing(number, '锂离子电池隔膜'), listing(consented, '锂离子电池正极材料')]);
    await feed(db.dataSource, services.consumer, loanRegistered('bank-icbc-zz', 'ZZ-7', [number, consented]));
    await expect(services.commands.transfer(minnan, number, transferBody())).rejects.toMatchObject({ code: 'patent-pledged' });
    await expect(services.commands.transfer(minnan, number, transferBody(false))).rejects.toMatchObject({ code: 'patent-pledged' });
    expect(await services.commands.transfer(minnan, consented, transferBody(true))).toMatchObject({ number: consented, pledgeeConsent: true });

    await feed(db.dataSource, services.consumer, loanSettled('bank-icbc-zz', 'ZZ-7'));
    const transfer = await services.commands.transfer(minnan, number, transferBody());
    expect(transfer).toMatchObject({ id: `${number}-T1`, number, assignee: opticsParty, price: '300000.00', pledgeeConsent: false });
    expect(await detail(number)).toMatchObject({ owner: { uscc: opticsParty.uscc, name: opticsParty.name, region: opticsParty.regionCode } });
  });
});
