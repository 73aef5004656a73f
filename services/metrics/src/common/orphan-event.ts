import { UnappliableEvent, type ConsumedEvent } from '@ipfin/messaging';

/**
 * A fold met an event of an aggregate it never folded (`index`: the event's place in the folded
 * list): the aggregate's first event was dead-lettered or never published. Folding it anyway would
 * drop it silently, so the consumer dead-letters it instead (`asUnappliable`).
 */
export class OrphanEvent extends Error {
  constructor(readonly index: number, message: string) {
    super(message);
    this.name = 'OrphanEvent';
  }
}

/** Runs a fold over `events`, turning its `OrphanEvent` into the consumer's `UnappliableEvent` for that event. */
export function asUnappliable<T>(events: readonly ConsumedEvent[], fold: () => T): T {
  try {
    return fold();
  } catch (error) {
    if (error instanceof OrphanEvent && events[error.index] !== undefined) throw new UnappliableEvent(events[error.index], error.message);
    throw error;
  }
}
