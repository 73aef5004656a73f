import { Inject, Injectable } from '@nestjs/common';
import { consumerLag, MESSAGE_BUS, type MessageBus } from '@ipfin/messaging';
import { PROJECTIONS } from '../projections';

/**
 * `lagEvents` of every answer: events published on the topics but not yet folded in by this
 * service's consumer groups. Cached for a moment so that queries stay cheap under load.
 */
@Injectable()
export class LagService {
  private cached: { at: number; value: number } | null = null;
  private inflight: Promise<number> | null = null;
  private static readonly TTL_MS = 200;

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  async lagEvents(): Promise<number> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < LagService.TTL_MS) return this.cached.value;
    this.inflight ??= this.measure().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async measure(): Promise<number> {
    const lags = await Promise.all(PROJECTIONS.map((p) => consumerLag(this.bus, p.groupId, p.topics)));
    const value = lags.reduce((a, b) => a + b, 0);
    this.cached = { at: Date.now(), value };
    return value;
  }
}
