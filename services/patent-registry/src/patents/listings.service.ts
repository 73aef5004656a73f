import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, problemFromDomainError, transactionWithRetry, validationProblem, type Principal, type Problem } from '@ipfin/http';
import { ValidationFailed, isDomainError, shanghaiToday, type BusinessDate, type Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { listPatent, type Actor, type ListedPatentState, type ListingInput, type ListingOutcome, type PatentEvent } from './domain';
import { toListingInput, validateListingBatch } from './dto';
import { PatentRepository } from './patent.repository';
import { outboxMessages } from './patent-outbox';
import { actorOf } from './patent-request';
import { rowFromState } from './patent-row';

export interface ListingItemResult {
  /** Position in the request. */
  readonly index: number;
  /** The normalised number, or what was sent when it is not a valid number. */
  readonly number: string | null;
  readonly status: ListingOutcome | 'rejected';
  readonly problem?: Problem;
}

type Item =
  | { readonly index: number; readonly ok: true; readonly input: ListingInput }
  | { readonly index: number; readonly ok: false; readonly number: string | null; readonly problem: Problem };

/**
 * `POST /v1/patents`: 1…1000 listings of the caller, applied in request order in ONE transaction
 * with a fixed handful of statements (lock and load, pledges, insert, update, outbox). A refused
 * item never stops the others; each gets its result.
 */
@Injectable()
export class ListingsService {
  private readonly logger = new Logger(ListingsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly patents: PatentRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async post(principal: Principal, body: unknown): Promise<{ results: ListingItemResult[] }> {
    const validation = validateListingBatch(body);
    if (!validation.ok) throw new ValidationFailed(validation.errors, validation.errors[0]?.message);
    const actor = actorOf(principal);
    const items: Item[] = validation.items.map((item): Item => {
      if (item.ok) return { index: item.index, ok: true, input: toListingInput(item.value) };
      const errors = item.errors.map((e) => ({ field: e.field === '' ? `[${item.index}]` : `[${item.index}].${e.field}`, message: e.message }));
      return { index: item.index, ok: false, number: rawNumber(body, item.index), problem: validationProblem(errors) };
    });
    const now = this.clock.now();
    const results = await transactionWithRetry(this.dataSource, (m) => this.applyOnce(m, actor, items, shanghaiToday(this.clock), now), {
      onRetry: (code, attempt) =>
        this.logger.warn(`listing batch of ${items.length} by ${actor.sub} raced a concurrent write (${code}); attempt ${attempt}`),
    });
    return { results };
  }

  /** One try: a number listed concurrently, a serialization failure or a deadlock makes the caller run it again. */
  private async applyOnce(m: EntityManager, actor: Actor, items: readonly Item[], today: BusinessDate, now: Date): Promise<ListingItemResult[]> {
    const numbers = items.flatMap((i) => (i.ok ? [i.input.number] : []));
    const states = await this.patents.lockAndLoad(m, numbers);
    const stored = new Set([...states.values()].filter((s) => s.listed).map((s) => s.number));
    const changed = new Map<string, ListedPatentState>();
    const events: PatentEvent[] = [];
    const results = items.map((item): ListingItemResult => {
      if (!item.ok) return { index: item.index, number: item.number, status: 'rejected', problem: item.problem };
      const { number } = item.input;
      try {
        const result = listPatent(states.get(number), item.input, actor, today);
        states.set(number, result.state);
        if (result.outcome !== 'unchanged') {
          changed.set(number, result.state);
          events.push(...result.events);
        }
        return { index: item.index, number, status: result.outcome };
      } catch (err) {
        if (!isDomainError(err)) throw err;
        return { index: item.index, number, status: 'rejected', problem: problemFromDomainError(err) };
      }
    });
    const rows = [...changed.values()].map(rowFromState);
    await this.patents.insert(m, rows.filter((r) => !stored.has(r.number)));
    await this.patents.update(m, rows.filter((r) => stored.has(r.number)));
    if (events.length > 0) await this.outbox.enqueue(m, outboxMessages(events, now));
    return results;
  }
}

function rawNumber(body: unknown, index: number): string | null {
  const item: unknown = Array.isArray(body) ? body[index] : undefined;
  const number = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).number : undefined;
  return typeof number === 'string' ? number : null;
}
