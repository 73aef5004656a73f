import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import {
  EventReversedV1, LoanDefaultedV1, LoanDisbursedV1, LoanOverdueV1, LoanRegisteredV1, LoanSettledV1, RepaymentReceivedV1,
} from './loans/loan-events';
import { PATENT_EVENT_TYPES } from './patents/patent-events';
import { PRODUCT_EVENT_TYPES } from './products/product-events';
import { RISK_EVENT_TYPES } from './risk/risk-events';
import { TOPICS } from './topics';

type PayloadClass = new () => object;

export interface EventTypeSpec {
  /** Full CloudEvents type, e.g. `ipfin.loans.LoanRegistered.v1`. */
  ceType: string;
  topic: string;
  payload: PayloadClass;
}

const loanType = (name: string, payload: PayloadClass): EventTypeSpec => ({
  ceType: `ipfin.loans.${name}.v1`, topic: TOPICS.loans, payload,
});

/** Every event type on the stream. Services register theirs here as they grow. */
export const EVENT_CATALOGUE: readonly EventTypeSpec[] = [
  loanType('LoanRegistered', LoanRegisteredV1),
  loanType('LoanDisbursed', LoanDisbursedV1),
  loanType('RepaymentReceived', RepaymentReceivedV1),
  loanType('LoanOverdue', LoanOverdueV1),
  loanType('LoanDefaulted', LoanDefaultedV1),
  loanType('LoanSettled', LoanSettledV1),
  loanType('EventReversed', EventReversedV1),
  ...RISK_EVENT_TYPES.map((t) => ({ ceType: `ipfin.risk.${t.name}.v1`, topic: TOPICS.risk, payload: t.payload })),
  ...PATENT_EVENT_TYPES.map((t) => ({ ceType: `ipfin.patents.${t.name}.v1`, topic: TOPICS.patents, payload: t.payload })),
  ...PRODUCT_EVENT_TYPES.map((t) => ({ ceType: `ipfin.products.${t.name}.v1`, topic: TOPICS.products, payload: t.payload })),
];

const byType = new Map(EVENT_CATALOGUE.map((s) => [s.ceType, s]));

export const loanCeType = (name: string): string => `ipfin.loans.${name}.v1`;

export function eventTypeSpec(ceType: string): EventTypeSpec | undefined {
  return byType.get(ceType);
}

export type EventValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Validates an event's `data` against its type's payload class. Unknown types fail; unknown
 * fields are tolerated (adding an optional field keeps the version).
 */
export function validateEventData<T = unknown>(ceType: string, data: unknown): EventValidation<T> {
  const spec = byType.get(ceType);
  if (!spec) return { ok: false, errors: [`unknown event type ${ceType}`] };
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: ['data must be a JSON object'] };
  }
  const instance = plainToInstance(spec.payload, data);
  const errors = flatten(validateSync(instance, { forbidUnknownValues: false }));
  return errors.length ? { ok: false, errors } : { ok: true, value: data as T };
}
