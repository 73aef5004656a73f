import { OwnershipView, type PatentTimeline } from './domain/ownership-view';
import { foldRegistryEvents, registryEventOf } from './registry-events';
import {
  PATENTS,
  asParty,
  jiulongOptics,
  licensed,
  listed,
  minnanUniversity,
  minxinValves,
  transferred,
} from '../products/domain/scenarios/zhangzhou.fixtures';

describe('folding registry envelopes into stored timelines, batch by batch', () => {
  const stream = [
    listed(PATENTS.valveControl, minnanUniversity, '2022-11-01'),
    transferred(PATENTS.valveControl, minnanUniversity, minxinValves, '2023-02-01', 'tr-1'),
    licensed(PATENTS.flowSensor, jiulongOptics, 'ordinary', '2023-06-01', '2025-05-31', 'lic-1'),
    transferred(PATENTS.valveControl, asParty(minxinValves), jiulongOptics, '2024-05-10', 'tr-2'),
  ];

  it('reads each envelope by its ce_type and skips types the view does not know', () => {
    expect(registryEventOf({ type: 'ipfin.patents.PatentTransferred.v1', data: stream[1].data })).toEqual(stream[1]);
    expect(registryEventOf({ type: 'ipfin.patents.PatentAnnotated.v1', data: {} })).toBeNull();
    expect(registryEventOf({ type: 'ipfin.loans.LoanRegistered.v1', data: {} })).toBeNull();
  });

  it('gives the same timelines in batches over stored state as the whole stream at once', () => {
    const stored = new Map<string, PatentTimeline>();
    for (const batch of [stream.slice(0, 1), stream.slice(1, 3), stream.slice(3)]) {
      for (const [number, timeline] of foldRegistryEvents(stored, batch)) stored.set(number, timeline);
    }

    const whole = OwnershipView.fromEvents(stream);
    expect(stored.get(PATENTS.valveControl)).toEqual(whole.timeline(PATENTS.valveControl));
    expect(stored.get(PATENTS.flowSensor)).toEqual(whole.timeline(PATENTS.flowSensor));
  });

  it('returns only the touched timelines, and starts none from an open-licence declaration alone', () => {
    const declared = {
      type: 'OpenLicenceDeclared' as const,
      data: { number: PATENTS.sealRing, kind: 'invention' as const },
    };

    const folded = foldRegistryEvents(new Map(), [declared, stream[0]]);

    expect([...folded.keys()]).toEqual([PATENTS.valveControl]);
  });
});
