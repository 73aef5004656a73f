import { Inject, Injectable, Optional } from '@nestjs/common';
import { MessageBus } from '../core/bus';
import { consumerLag } from '../core/consumer-admin';
import { RelayStats } from '../core/relay';
import { MESSAGE_BUS } from './messaging.options';
import { OutboxRelayService } from './outbox-relay.service';

/** Figures for the metrics API and Prometheus: relay backlog and consumer lag. */
@Injectable()
export class MessagingMetrics {
  constructor(
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Optional() private readonly relay?: OutboxRelayService,
  ) {}

  /** Null when this process runs no relay. */
  async relayStats(): Promise<RelayStats | null> {
    return this.relay ? this.relay.stats() : null;
  }

  /** Events on `topics` that group `groupId` has not consumed yet (`lagEvents`). */
  consumerLag(groupId: string, topics: readonly string[]): Promise<number> {
    return consumerLag(this.bus, groupId, topics);
  }
}
