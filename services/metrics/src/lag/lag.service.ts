import { Inject, Injectable } from '@nestjs/common';
import { consumerLag, MESSAGE_BUS, type MessageBus } from '@ipfin/messaging';
import { PROJECTIONS, type ProjectionName } from '../projections';

/**
 * `lagEvents` of every answer: events published on the topics but not yet folded in by the
 * consumer groups the answer reads. Measured for all groups at once and cached for a moment, so
 * that queries stay cheap under load.
 */
@Injectable()
export class LagService {
  private cached: { at: number; value: Map<ProjectionName, number> } | null = null;
  private inflight: Promise<Map<ProjectionName, number>> | null = null;
  private static readonly TTL_MS = 200;
  private static readonly STALE_MS = 5_000;

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  /** Lag of the named projections (all of them when none are named). */
  async lagEvents(names: readonly ProjectionName[] = PROJECTIONS.map((p) => p.name)): Promise<number> {
    const lags = await this.all();
    return names.reduce((sum, name) => sum + (lags.get(name) ?? 0), 0);
  }

  private async all(): Promise<Map<ProjectionName, number>> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < LagService.TTL_MS) return this.cached.value;
    this.inflight ??= this.measure().finally(() => { this.inflight = null; });
    // Stale-while-revalidate: once a value exists, an expired one is answered at once while a
    // single refresh runs (a Kafka admin round trip takes ~250 ms on a loaded machine, which
    // would otherwise be added to one request every TTL). Up to STALE_MS old at most.
    if (this.cached && now - this.cached.at < LagService.STALE_MS) {
      this.inflight.catch(() => undefined);
      return this.cached.value;
    }
    return this.inflight;
  }

  private async measure(): Promise<Map<ProjectionName, number>> {
    const lags = await Promise.all(PROJECTIONS.map(async (p) => [p.name, await consumerLag(this.bus, p.groupId, p.topics)] as const));
    const value = new Map<ProjectionName, number>(lags);
    this.cached = { at: Date.now(), value };
    return value;
  }
}
