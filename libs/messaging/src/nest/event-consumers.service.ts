import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MessageBus } from '../core/bus';
import { ConsumerStats, ValidatingConsumer } from '../core/consumer';
import { pendingMigrations } from '../core/migrations';
import { EventBatchHandler } from './event-batch-handler';
import { EVENT_HANDLER_TYPES, MESSAGE_BUS, MESSAGING_OPTIONS, MessagingModuleOptions } from './messaging.options';

/** How often consumers waiting for the schema's migrations look again (`migrationsPollMs`). */
const MIGRATIONS_POLL_MS = 2000;

/**
 * Starts one validating consumer per registered handler with the app, and drains them on shutdown.
 * While migrations the data source is built with are not applied to the schema (a release whose
 * pods start before its migrate Job has run), the consumers wait — they would dead-letter events
 * whose tables or columns are not there yet — and start once they are; the app starts meanwhile.
 */
@Injectable()
export class EventConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumers: ValidatingConsumer[] = [];
  private readonly logger = new Logger(EventConsumers.name);
  private stopping = false;
  /** The wait for migrations, while one runs; `wake` ends its current pause. */
  private waiting?: Promise<void>;
  private wake?: () => void;

  constructor(
    @Inject(EVENT_HANDLER_TYPES) private readonly handlerTypes: Type<EventBatchHandler>[],
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const pending = await pendingMigrations(this.dataSource);
    if (pending.length === 0) return this.startAll();
    this.logger.warn(`consumers wait for ${pending.length} migration(s) of ${this.options.schema} (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''}): run npm run migrate`);
    this.waiting = this.startWhenMigrated().catch((error: unknown) => {
      // As a failed start at boot would: the process ends, its supervisor starts it again.
      this.logger.error(`consumers could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  }

  private async startWhenMigrated(): Promise<void> {
    const pollMs = this.options.migrationsPollMs ?? MIGRATIONS_POLL_MS;
    while (!this.stopping) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (this.stopping) return;
      let pending: string[];
      try {
        pending = await pendingMigrations(this.dataSource);
      } catch (error: unknown) {
        this.logger.warn(`reading the applied migrations failed (${error instanceof Error ? error.message : String(error)}); trying again`);
        continue;
      }
      if (pending.length === 0) {
        this.logger.log(`migrations of ${this.options.schema} applied: starting the consumers`);
        return this.startAll();
      }
    }
  }

  private async startAll(): Promise<void> {
    for (const type of this.handlerTypes) {
      if (this.stopping) return;
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
    this.stopping = true;
    this.wake?.();
    await this.waiting;
    const stopping = this.consumers.splice(0).map((c) => c.stop());
    await Promise.all(stopping);
  }

  /** Per consumer group, since start. */
  stats(): Record<string, ConsumerStats> {
    return Object.fromEntries(this.consumers.map((c) => [c.groupId, c.stats()]));
  }
}
