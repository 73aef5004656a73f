import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { BusAdmin, MessageBus } from '../core/bus';
import { errorMessage } from '../core/logger';
import { withTimeout } from '../core/timing';
import { MESSAGE_BUS } from './messaging.options';

/** Readiness of the bus, for `/health/ready`. */
@Injectable()
export class MessagingHealth implements OnApplicationShutdown {
  private admin: BusAdmin | null = null;

  constructor(@Inject(MESSAGE_BUS) private readonly bus: MessageBus) {}

  /** Kafka answers a cluster description within `timeoutMs`. */
  async check(timeoutMs = 2000): Promise<{ ok: boolean; detail?: string }> {
    try {
      const cluster = await withTimeout(this.describe(), timeoutMs, `Kafka did not answer within ${timeoutMs} ms`);
      return cluster.brokers > 0 ? { ok: true } : { ok: false, detail: 'Kafka reports no brokers' };
    } catch (error) {
      await this.dropAdmin();
      return { ok: false, detail: `Kafka unreachable: ${errorMessage(error)}` };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dropAdmin();
  }

  private async describe(): Promise<{ brokers: number }> {
    if (!this.admin) {
      const admin = this.bus.admin();
      this.admin = admin;
      await admin.connect();
    }
    return this.admin.describeCluster();
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }
}
