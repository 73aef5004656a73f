import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBus } from '../core/bus';
import { OutboxRelay, RelayStats } from '../core/relay';
import { MESSAGE_BUS, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** Runs the service's outbox relay for as long as the application lives. */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay | null;

  constructor(
    @Inject(MESSAGING_OPTIONS) options: MessagingModuleOptions,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.relay =
      options.relay === false
        ? null
        : new OutboxRelay({
            ...options.relay,
            dataSource,
            bus,
            schema: options.schema,
            logger: new Logger('OutboxRelay'),
          });
  }

  onApplicationBootstrap(): void {
    this.relay?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }

  /** Null when this process runs no relay. */
  async stats(): Promise<RelayStats | null> {
    return this.relay ? this.relay.stats() : null;
  }
}
