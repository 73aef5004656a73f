import { Money } from '@ipfin/kernel';
import {
  EMPTY_PLEDGE_INDEX,
  applyLoanEvent,
  pledgesOf,
  transferPatent,
  type ListedPatentState,
  type PledgeIndex,
  type TransferCommand,
} from '..';
import {
  ICBC_ZZ,
  PV_MODULE,
  TEA_DRYER,
  cny,
  d,
  listedBy,
  loanDefaulted,
  loanRegistered,
  loanSettled,
  longhaiEnergy,
  minnanNormal,
  refusal,
} from './fixtures';

describe('a pledged patent is transferred only with the pledgee’s consent', () => {
  const registered = loanRegistered(ICBC_ZZ, 'ZZ-2024-000123', [`ZL${PV_MODULE}`, TEA_DRYER]);
  const afterRegistration = applyLoanEvent(EMPTY_PLEDGE_INDEX, registered).index;

  const withPledgesFrom = (index: PledgeIndex): ListedPatentState => ({
    ...listedBy(minnanNormal, PV_MODULE),
    pledges: pledgesOf(index, PV_MODULE),
  });
  const sale: TransferCommand = {
    transferId: 'tr-2024-001',
    assignee: longhaiEnergy,
    price: cny('300000.00'),
    contractDate: d('2024-06-18'),
    recordedOn: d('2024-07-02'),
  };

  it('refuses the transfer while the loan is registered and unsettled', () => {
    const error = refusal(() => transferPatent(withPledgesFrom(afterRegistration), sale, minnanNormal));
    expect(error).toMatchObject({
      code: 'patent-pledged',
      kind: 'rule',
      context: { number: PV_MODULE, pledgees: [ICBC_ZZ] },
    });
  });

  it('keeps refusing after a default: the pledge holds until the loan settles', () => {
    const defaulted = applyLoanEvent(afterRegistration, loanDefaulted(ICBC_ZZ, 'ZZ-2024-000123')).index;
    expect(refusal(() => transferPatent(withPledgesFrom(defaulted), sale, minnanNormal)).code).toBe('patent-pledged');
  });

  it('accepts the transfer once the loan settles', () => {
    const settled = applyLoanEvent(afterRegistration, loanSettled(ICBC_ZZ, 'ZZ-2024-000123'));
    expect(settled.releases.map((r) => r.number).sort()).toEqual([PV_MODULE, TEA_DRYER].sort());
    const { state, events } = transferPatent(withPledgesFrom(settled.index), sale, minnanNormal);
    expect(state.owner).toEqual({
      uscc: longhaiEnergy.uscc,
      name: longhaiEnergy.name,
      region: longhaiEnergy.regionCode,
    });
    expect(events).toEqual([
      {
        type: 'PatentTransferred',
        key: PV_MODULE,
        data: {
          number: PV_MODULE,
          kind: 'invention',
          transferId: 'tr-2024-001',
          from: { sub: 'univ-minnan-normal', role: 'university', uscc: minnanNormal.uscc, region: '350600' },
          assignee: { uscc: longhaiEnergy.uscc, name: longhaiEnergy.name, regionCode: '350681' },
          price: '300000.00',
          contractDate: '2024-06-18',
          recordedOn: '2024-07-02',
        },
      },
    ]);
  });

  it('accepts the transfer with the pledgee’s consent, and the pledge follows the patent', () => {
    const { state, events } = transferPatent(
      withPledgesFrom(afterRegistration),
      { ...sale, pledgeeConsent: true },
      minnanNormal,
    );
    expect(state.pledges).toEqual([{ bank: ICBC_ZZ, loanRef: 'ZZ-2024-000123' }]);
    expect(state.transfers[0]).toMatchObject({ id: 'tr-2024-001', pledgeeConsent: true });
    expect(events[0].data).toMatchObject({ pledgeeConsent: true });
  });

  it('only lets the current owner transfer, and the assignee may transfer on with its own token', () => {
    const free = listedBy(minnanNormal, PV_MODULE);
    const sold = transferPatent(free, sale, minnanNormal).state;
    expect(refusal(() => transferPatent(sold, { ...sale, transferId: 'tr-2' }, minnanNormal))).toMatchObject({
      code: 'not-owner',
      kind: 'forbidden',
    });
    const longhaiToken = {
      sub: 'ent-longhai-energy',
      role: 'enterprise' as const,
      region: '350681',
      uscc: longhaiEnergy.uscc,
    };
    const resold = transferPatent(
      sold,
      {
        ...sale,
        transferId: 'tr-2',
        assignee: { uscc: minnanNormal.uscc ?? '', name: '闽南师范大学', regionCode: '350600' },
        price: Money.ZERO,
      },
      longhaiToken,
    );
    expect(resold.events[0].data).toMatchObject({
      from: { sub: 'ent-longhai-energy', role: 'enterprise', region: '350681' },
      price: '0.00',
    });
  });

  it('refuses a transfer to the current owner', () => {
    const free = listedBy(minnanNormal, PV_MODULE);
    const toSelf = { ...sale, assignee: { uscc: minnanNormal.uscc ?? '', name: '闽南师范大学', regionCode: '350600' } };
    expect(refusal(() => transferPatent(free, toSelf, minnanNormal)).code).toBe('transfer-to-owner');
  });

  it('refuses a recording date before the contract date as a field error', () => {
    const error = refusal(() =>
      transferPatent(listedBy(minnanNormal, PV_MODULE), { ...sale, recordedOn: d('2024-06-01') }, minnanNormal),
    );
    expect(error).toMatchObject({ kind: 'validation', errors: [{ field: 'recordedOn' }] });
  });
});
