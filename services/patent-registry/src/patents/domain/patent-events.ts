import type {
  OpenLicenceRoyaltyV1,
  PatentCounterpartyV1,
  PatentEventName,
  PatentEventPayloads,
  PatentOwnerV1,
} from '@ipfin/contracts';
import type { Counterparty } from './patent-vocabulary';
import { withoutUndefined, type PatentOwner, type Royalty } from './patent-state';

/**
 * An event to put in the outbox in the same transaction as the new state: `type` becomes the
 * CloudEvents type `ipfin.patents.<type>.v1`, `key` (the patent number) the Kafka record key.
 */
export type PatentEvent = {
  [N in PatentEventName]: { readonly type: N; readonly key: string; readonly data: PatentEventPayloads[N] };
}[PatentEventName];

export function patentEvent<N extends PatentEventName>(
  type: N,
  data: PatentEventPayloads[N] & { number: string },
): Extract<PatentEvent, { type: N }> {
  return { type, key: data.number, data } as Extract<PatentEvent, { type: N }>;
}

export function ownerV1(owner: PatentOwner): PatentOwnerV1 {
  return withoutUndefined({
    sub: owner.sub,
    role: owner.role,
    uscc: owner.uscc,
    name: owner.name,
    region: owner.region,
  });
}

export function counterpartyV1(party: Counterparty): PatentCounterpartyV1 {
  return { uscc: party.uscc, name: party.name, regionCode: party.regionCode };
}

export function royaltyV1(royalty: Royalty): OpenLicenceRoyaltyV1 {
  switch (royalty.kind) {
    case 'lump_sum':
      return { kind: 'lump_sum', amount: royalty.amount.toString() };
    case 'percent_of_sales':
      return { kind: 'percent_of_sales', percent: royalty.percent };
  }
}
