import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { groupLags, MESSAGE_BUS, type BusAdmin, type MessageBus } from '@ipfin/messaging';
import { PROJECTIONS, type ProjectionName } from '../projections';

/**
 * `lagEvents` of every answer: events published on the topics but not yet folded in by the
 * consumer groups the answer reads. Measured for all groups at once, at most once a second, over
 * one admin connection kept open. Connecting an admin client per group for every refresh (as
 * before, every 200 ms while queries ran) cost ≈ 12 ms of the service's CPU and ≈ 37 ms of the
 * broker's per refresh — an eighth of this 2-core machine that queries then waited for; now ≈ 4 + 11 ms
 * (docs/benchmarks.md, "lagEvents over one admin connection").
 */
@Injectable()
export class LagService implements OnModuleDestroy {
  private admin: BusAdmin | null = null;
  private cached: { at: number; value: Map<ProjectionName, number> } | null = null;
  private inflight: Promise<Map<ProjectionName, number>> | null = null;
  private static readonly TTL_MS = 1_000;
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
    // single refresh runs (a refresh takes 10–250 ms on a loaded machine, which would
    // otherwise be added to one request every TTL). Up to STALE_MS old at most.
    if (this.cached && now - this.cached.at < LagService.STALE_MS) {
      this.inflight.catch(() => undefined);
      return this.cached.value;
    }
    return this.inflight;
  }

  private async measure(): Promise<Map<ProjectionName, number>> {
    let admin = this.admin;
    try {
      if (!admin) {
        admin = this.bus.admin();
        await admin.connect();
        this.admin = admin;
      }
      const lags = await groupLags(admin, PROJECTIONS);
      const value = new Map<ProjectionName, number>(PROJECTIONS.map((p, i) => [p.name, lags[i]]));
      this.cached = { at: Date.now(), value };
      return value;
    } catch (err) {
      // A broken connection is not reused: the next refresh connects again.
      this.admin = null;
      await admin?.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.inflight?.catch(() => undefined);
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect();
  }
}
