import { transferPatent, type TransferCommand } from '..';
import {
  PV_MODULE,
  cny,
  d,
  listedBy,
  longhaiEnergy,
  longhaiEnergyToken,
  minnanNormal,
  refusal,
  simingManufacturing,
  simingManufacturingToken,
  xiangchengOptics,
  xiangchengOpticsToken,
} from './fixtures';

/**
 * Ownership is a line in contract-date order: dense-products orders a patent's owners by
 * `contractDate`, so a transfer back-dated before the latest one would make it see another owner
 * than the registry (A → B on 06-01, then B → C dated 01-01: the view says B still owns it).
 */
describe('transfers are recorded in contract-date order', () => {
  const sale = (overrides: Partial<TransferCommand>): TransferCommand => ({
    transferId: 'tr-1',
    assignee: longhaiEnergy,
    price: cny('300000.00'),
    contractDate: d('2024-06-01'),
    ...overrides,
  });
  const toLonghai = transferPatent(listedBy(minnanNormal, PV_MODULE), sale({}), minnanNormal).state;

  it('refuses a transfer dated before the latest transfer (422 transfer-out-of-order on contractDate)', () => {
    const error = refusal(() =>
      transferPatent(
        toLonghai,
        sale({ transferId: 'tr-2', assignee: xiangchengOptics, contractDate: d('2024-01-01') }),
        longhaiEnergyToken,
      ),
    );
    expect(error).toMatchObject({
      code: 'transfer-out-of-order',
      kind: 'rule',
      errors: [{ field: 'contractDate', message: expect.stringContaining('2024-06-01') as string }],
      context: { number: PV_MODULE, latestTransferId: 'tr-1', latestContractDate: '2024-06-01' },
    });
  });

  it('refuses it even one day early, and leaves the owner as it was', () => {
    const command = sale({ transferId: 'tr-2', assignee: xiangchengOptics, contractDate: d('2024-05-31') });
    expect(refusal(() => transferPatent(toLonghai, command, longhaiEnergyToken)).code).toBe('transfer-out-of-order');
    expect(toLonghai.owner.uscc).toBe(longhaiEnergy.uscc);
    expect(toLonghai.transfers.map((t) => t.id)).toEqual(['tr-1']);
  });

  it('accepts the same contract date and later ones, and judges against the latest', () => {
    const sameDay = transferPatent(
      toLonghai,
      sale({ transferId: 'tr-2', assignee: xiangchengOptics, contractDate: d('2024-06-01') }),
      longhaiEnergyToken,
    ).state;
    expect(sameDay.owner.uscc).toBe(xiangchengOptics.uscc);
    const later = transferPatent(
      sameDay,
      sale({ transferId: 'tr-3', assignee: simingManufacturing, contractDate: d('2024-09-30') }),
      xiangchengOpticsToken,
    ).state;
    expect(later.transfers.map((t) => t.contractDate.toString())).toEqual(['2024-06-01', '2024-06-01', '2024-09-30']);
    expect(
      refusal(() => transferPatent(later, sale({ transferId: 'tr-4', contractDate: d('2024-07-01') }), simingManufacturingToken)).code,
    ).toBe('transfer-out-of-order');
  });

  it('does not constrain the first transfer of a listing', () => {
    const early = transferPatent(listedBy(minnanNormal, PV_MODULE), sale({ contractDate: d('2020-01-01') }), minnanNormal);
    expect(early.state.owner.uscc).toBe(longhaiEnergy.uscc);
  });
});
