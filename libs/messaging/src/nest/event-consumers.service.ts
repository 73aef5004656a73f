import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBus } from '../core/bus';
import { ConsumerStats, ValidatingConsumer } from '../core/consumer';
import { EventBatchHandler } from './event-batch-handler';
import { EVENT_HANDLER_TYPES, MESSAGE_BUS, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** Starts one validating consumer per registered handler with the app, and drains them on shutdown. */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers: ValidatingConsumer[] = [];

  constructor(
    @Inject(EVENT_HANDLER_TYPES) private readonly handlerTypes: Type<EventBatchHandler>[],
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const type of this.handlerTypes) {
      const handler = this.moduleRef.get(type, { strict: false });
      const consumer = new ValidatingConsumer({
        ...this.options.consumer,
        ...handler.tuning,
        bus: this.bus,
        dataSource: this.dataSource,
        schema: this.options.schema,
        groupId: handler.groupId,
        topics: handler.topics,
        handle: (events, manager, withCommit, ahead) => handler.handle(events, manager, withCommit, ahead),
        readAhead: handler.readAhead?.bind(handler),
        logger: new Logger(type.name),
      });
      await consumer.start();
      this.consumers.push(consumer);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    const stopping = this.consumers.splice(0).map((c) => c.stop());
    await Promise.all(stopping);
  }

  /** Per consumer group, since start. */
  stats(): Record<string, ConsumerStats> {
    return Object.fromEntries(this.consumers.map((c) => [c.groupId, c.stats()]));
  }
}
