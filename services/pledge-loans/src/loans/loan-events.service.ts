import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { BODY_FIELD, CLOCK, configuredUsccAllowList, problemType, transactionWithRetry } from '@ipfin/http';
import { ValidationFailed, type Clock } from '@ipfin/kernel';
import { Outbox } from '@ipfin/messaging';
import { validateLoanEventItem } from './dto/loan-event.dto';
import {
  applyBatch,
  rightKey,
  type BatchItem,
  type BatchItemResult,
  type ItemProblem,
  type LoanAggregate,
} from './domain';
import { LoanRepository } from './loan.repository';

export const MAX_EVENTS_PER_REQUEST = 1000;

export interface ItemResult {
  eventId: string | null;
  status: BatchItemResult['status'];
  problem?: Omit<ItemProblem, 'type'> & { type: string };
}

@Injectable()
export class LoanEventsService {
  private readonly logger = new Logger(LoanEventsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly loans: LoanRepository,
    private readonly outbox: Outbox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Applies a bank's events in request order in ONE transaction: a result per event, a refused
   * event never stops the others, and the accepted ones reach `ipfin.loans.v1` through the outbox.
   */
  async post(bank: string, body: unknown): Promise<{ results: ItemResult[] }> {
    if (!Array.isArray(body) || body.length === 0 || body.length > MAX_EVENTS_PER_REQUEST) {
      throw new ValidationFailed(
        [{ field: BODY_FIELD, message: `the body must be a JSON array of 1…${MAX_EVENTS_PER_REQUEST} events` }],
        'The request body is not a batch of loan events.',
      );
    }
    const now = this.clock.now();
    // The operator's allow-list of early USCCs (USCC_ALLOW_LIST, set at boot): admitted as borrowers.
    const usccAllowList = configuredUsccAllowList();
    const items: BatchItem[] = body.map((plain, index) => {
      const v = validateLoanEventItem(plain, index, { now, usccAllowList });
      return v.ok
        ? v
        : {
            ...v,
            errors: v.errors.map((e) => ({
              field: e.field ? `[${index}].${e.field}` : `[${index}]`,
              message: e.message,
            })),
          };
    });
    // A concurrent batch that raced for the same right or loanRef hits a unique index: run again.
    const results = await transactionWithRetry(this.dataSource, (m) => this.applyOnce(m, bank, items, now), {
      onRetry: (code, attempt) =>
        this.logger.warn(`batch of ${items.length} for ${bank} raced a concurrent batch (${code}); attempt ${attempt}`),
    });
    return { results };
  }

  private async applyOnce(m: EntityManager, bank: string, items: BatchItem[], now: Date): Promise<ItemResult[]> {
    const valid = items.flatMap((i) => (i.ok ? [i.value] : []));
    const loanRefs = [...new Set(valid.map((e) => e.loanRef))].sort();
    const loans = await this.loans.lockAndLoad(m, bank, loanRefs);
    const knownEvents = await this.loans.knownEvents(m, bank, [...new Set(valid.map((e) => e.eventId))]);
    const { rights, registrations } = pledgeKeys(valid, loans);
    const pledgedRights = await this.loans.pledgedRights(m, rights);
    const registrationNumbers = await this.loans.registrationNumbers(m, registrations);
    const result = applyBatch({ bank, items, loans, knownEvents, pledgedRights, registrationNumbers, now });
    await this.loans.write(m, bank, new Set(loans.keys()), result);
    if (result.messages.length) {
      await this.outbox.enqueue(
        m,
        result.messages.map((msg) => ({
          topic: msg.topic,
          key: msg.key,
          type: msg.ceType,
          subject: msg.id,
          data: msg.payload,
          time: now,
        })),
      );
    }
    return result.results.map((r) => ({
      eventId: r.eventId,
      status: r.status,
      // The same type URI as a top-level problem: invalid fields are `…/problems/validation` everywhere.
      ...(r.problem ? { problem: { ...r.problem, type: problemType(r.problem.type) } } : {}),
    }));
  }
}

/** Every right and registration number the batch could touch: new pledges and the named loans' own. */
function pledgeKeys(
  valid: { type: string; data: unknown }[],
  loans: ReadonlyMap<string, LoanAggregate>,
): { rights: string[]; registrations: string[] } {
  const rights = new Set<string>();
  const registrations = new Set<string>();
  const addPledge = (pledge: {
    registrationNo: string;
    rights: readonly { kind: 'patent' | 'trademark'; number: string }[];
  }): void => {
    registrations.add(pledge.registrationNo);
    for (const r of pledge.rights) rights.add(rightKey(r.kind, r.number));
  };
  for (const e of valid) {
    if (e.type === 'LoanRegistered') addPledge((e.data as { pledge: Parameters<typeof addPledge>[0] }).pledge);
  }
  for (const loan of loans.values()) {
    for (const h of loan.history) if (h.type === 'LoanRegistered') addPledge(h.data.pledge);
  }
  return { rights: [...rights], registrations: [...registrations] };
}
