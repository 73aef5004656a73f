import { riskKey, type RiskEventName, type RiskEventPayloads } from '@ipfin/contracts';

/** One event to publish on `ipfin.risk.v1` (through the outbox, in the same transaction as its cause). */
export interface RiskEventOf<K extends RiskEventName> {
  readonly type: K;
  /** Record key: the fund region. */
  readonly key: string;
  readonly data: RiskEventPayloads[K];
}

export type RiskEvent = { [K in RiskEventName]: RiskEventOf<K> }[RiskEventName];

export function riskEvent<K extends RiskEventName>(type: K, data: RiskEventPayloads[K]): RiskEventOf<K> {
  return { type, key: riskKey(data.region), data };
}
