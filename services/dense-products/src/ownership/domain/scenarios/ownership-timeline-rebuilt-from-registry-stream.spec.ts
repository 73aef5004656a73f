import { BusinessDate } from '@ipfin/kernel';
import {
  PATENTS,
  asParty,
  jiulongOptics,
  licensed,
  listed,
  minnanUniversity,
  minxinValves,
  openLicenceTaken,
  registry,
  transferred,
  zhangpuFoods,
} from '../../../products/domain/scenarios/zhangzhou.fixtures';
import {
  OwnershipView,
  foldPatentEvent,
  licenceIntervals,
  ownerIntervals,
  ownerOn,
  type RegistryEvent,
} from '../ownership-view';

const on = (text: string): BusinessDate => BusinessDate.parse(text);
const describeOwners = (view: OwnershipView, number: string): [string | undefined, string | null, string | null][] =>
  ownerIntervals(view.timeline(number)!).map((i) => [
    i.owner.uscc,
    i.from?.toString() ?? null,
    i.to?.toString() ?? null,
  ]);

describe('the ownership view folded from ipfin.patents.v1', () => {
  const stream: RegistryEvent[] = [
    listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'),
    transferred(PATENTS.valveControl, minnanUniversity, minxinValves, '2023-02-01', 'tr-1'),
    licensed(PATENTS.valveControl, zhangpuFoods, 'ordinary', '2023-06-01', '2025-05-31', 'lic-1'),
    transferred(PATENTS.valveControl, asParty(minxinValves), jiulongOptics, '2024-05-10', 'tr-2'),
    listed(PATENTS.flowSensor, minnanUniversity, '2023-05-10'),
    openLicenceTaken(PATENTS.flowSensor, zhangpuFoods, '2024-02-20', '2026-05-31', 'open-1'),
  ];

  it('keeps owner intervals [from, to) by contract date', () => {
    const view = registry(...stream);

    expect(describeOwners(view, PATENTS.valveControl)).toEqual([
      [minnanUniversity.uscc, null, '2023-02-01'],
      [minxinValves.uscc, '2023-02-01', '2024-05-10'],
      [jiulongOptics.uscc, '2024-05-10', null],
    ]);
    expect(ownerOn(view.timeline(PATENTS.valveControl)!, on('2024-05-09'))?.uscc).toBe(minxinValves.uscc);
    expect(ownerOn(view.timeline(PATENTS.valveControl)!, on('2024-05-10'))?.uscc).toBe(jiulongOptics.uscc);
  });

  it('keeps licence intervals [startsOn, endsOn] per licensee, surviving a transfer, open-licence takings included', () => {
    const view = registry(...stream);

    expect(
      licenceIntervals(view.timeline(PATENTS.valveControl)!, zhangpuFoods.uscc).map((l) => [
        l.kind,
        l.source,
        l.startsOn.toString(),
        l.endsOn.toString(),
      ]),
    ).toEqual([['ordinary', 'contract', '2023-06-01', '2025-05-31']]);
    expect(
      licenceIntervals(view.timeline(PATENTS.flowSensor)!).map((l) => [
        l.licenseeUscc,
        l.kind,
        l.source,
        l.endsOn.toString(),
      ]),
    ).toEqual([[zhangpuFoods.uscc, 'ordinary', 'open-licence', '2026-05-31']]);
    expect(licenceIntervals(view.timeline(PATENTS.valveControl)!, jiulongOptics.uscc)).toEqual([]);
  });

  it('is rebuildable: a redelivered stream yields the same timelines', () => {
    const once = registry(...stream);
    const twice = registry(...stream, ...stream);

    for (const number of [PATENTS.valveControl, PATENTS.flowSensor])
      expect(twice.timeline(number)).toEqual(once.timeline(number));
    expect(twice.size).toBe(2);
  });

  it('folds purely: the previous timeline is left untouched', () => {
    const before = foldPatentEvent(undefined, stream[0]);
    const after = foldPatentEvent(before, stream[1]);

    expect(before.transfers).toEqual([]);
    expect(after.transfers).toHaveLength(1);
  });

  it('knows the owner before the first transfer even when the listing was never seen', () => {
    const view = registry(transferred(PATENTS.sealRing, minnanUniversity, minxinValves, '2024-01-10'));

    expect(describeOwners(view, PATENTS.sealRing)).toEqual([
      [minnanUniversity.uscc, null, '2024-01-10'],
      [minxinValves.uscc, '2024-01-10', null],
    ]);
  });

  it('starts no timeline from an open-licence declaration alone', () => {
    const view = registry({ type: 'OpenLicenceDeclared', data: { number: PATENTS.opticalCoating, kind: 'invention' } });

    expect(view.timeline(PATENTS.opticalCoating)).toBeUndefined();
  });
});
