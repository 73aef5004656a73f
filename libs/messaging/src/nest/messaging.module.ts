import { DynamicModule, Logger, Module, Provider, Type } from '@nestjs/common';
import { createKafkaBus } from '../kafka/kafka-bus';
import { EventBatchHandler } from './event-batch-handler';
import { EventConsumers } from './event-consumers.service';
import { MessagingHealth } from './messaging-health';
import { MessagingMetrics } from './messaging-metrics';
import {
  EVENT_HANDLER_TYPES,
  MESSAGE_BUS,
  MESSAGING_OPTIONS,
  MessagingModuleAsyncOptions,
  MessagingModuleOptions,
} from './messaging.options';
import { Outbox } from './outbox';
import { OutboxRelayService } from './outbox-relay.service';

const exported = [MESSAGING_OPTIONS, MESSAGE_BUS, Outbox, OutboxRelayService, MessagingHealth, MessagingMetrics];

const busProvider: Provider = {
  provide: MESSAGE_BUS,
  inject: [MESSAGING_OPTIONS],
  useFactory: (options: MessagingModuleOptions) =>
    createKafkaBus({ brokers: options.brokers, clientId: options.clientId, logger: new Logger('Kafka') }),
};

@Module({})
class MessagingConsumersModule {}

/**
 * Outbox, relay, health and consumers for a service; needs `TypeOrmModule.forRoot` (the default
 * DataSource). Import `forRoot`/`forRootAsync` once in the app module; it is global.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        busProvider,
        Outbox,
        OutboxRelayService,
        MessagingHealth,
        MessagingMetrics,
      ],
      exports: exported,
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: MESSAGING_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        busProvider,
        Outbox,
        OutboxRelayService,
        MessagingHealth,
        MessagingMetrics,
      ],
      exports: exported,
    };
  }

  /**
   * Runs a validating consumer for each handler (each a provider of the importing module or any
   * other), started on application bootstrap and drained before shutdown.
   */
  static forConsumers(handlers: Type<EventBatchHandler>[]): DynamicModule {
    return {
      module: MessagingConsumersModule,
      providers: [{ provide: EVENT_HANDLER_TYPES, useValue: handlers }, EventConsumers],
      exports: [EventConsumers],
    };
  }
}
