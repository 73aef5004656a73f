import { createHash } from 'node:crypto';
import type { BorrowerSize, LoanEventType, RightKind } from '@ipfin/contracts';
import { Money } from '@ipfin/kernel';

/*
 * A bank's loan event after validation: identifiers normalised, money as bigint fen. This is what
 * the domain folds; the HTTP body (`dto/loan-event.dto.ts`) and the stored history both turn into it.
 */

export type LoanFactType = Exclude<LoanEventType, 'EventReversed'>;

export interface Borrower {
  /** Upper-case, check character verified. */
  readonly uscc: string;
  readonly name: string;
  readonly size: BorrowerSize;
  readonly regionCode: string;
}

export interface PledgedRight {
  readonly kind: RightKind;
  /** Normalised: patents `YYYYTNNNNNNN.C`, trademarks digits without leading zeros. */
  readonly number: string;
  readonly title?: string;
}

export interface Pledge {
  readonly registrationNo: string;
  readonly registeredOn: string;
  /** Fen. */
  readonly appraisedValue: bigint;
  readonly rights: readonly PledgedRight[];
}

export interface LoanRegisteredData {
  readonly borrower: Borrower;
  /** Contracted principal, fen. */
  readonly principal: bigint;
  /** Decimal fraction without trailing zeros, e.g. `"0.0385"` for 3.85 %. */
  readonly annualRate: string;
  readonly termMonths: number;
  readonly inclusive: boolean;
  readonly pledge: Pledge;
  readonly agencyId?: string;
}

export interface LoanDisbursedData {
  readonly amount: bigint;
}

export interface RepaymentReceivedData {
  readonly principal: bigint;
  readonly interest: bigint;
}

export interface LoanOverdueData {
  readonly overdueDays: number;
}

export interface LoanDefaultedData {
  readonly principalLoss: bigint;
}

export type LoanSettledData = Readonly<Record<string, never>>;

export interface EventReversedData {
  readonly reversedEventId: string;
}

export interface LoanEventDataByType {
  LoanRegistered: LoanRegisteredData;
  LoanDisbursed: LoanDisbursedData;
  RepaymentReceived: RepaymentReceivedData;
  LoanOverdue: LoanOverdueData;
  LoanDefaulted: LoanDefaultedData;
  LoanSettled: LoanSettledData;
  EventReversed: EventReversedData;
}

export interface LoanEventOf<T extends LoanEventType> {
  /** The bank's own id, unique per bank. */
  readonly eventId: string;
  readonly type: T;
  readonly loanRef: string;
  /** Business date `YYYY-MM-DD`. */
  readonly occurredOn: string;
  readonly data: LoanEventDataByType[T];
}

/** One validated item of `POST /v1/loan-events`. */
export type ParsedLoanEvent = { [T in LoanEventType]: LoanEventOf<T> }[LoanEventType];
/** Every event but a reversal: the facts a loan's state is folded from. */
export type LoanFact = Exclude<ParsedLoanEvent, { type: 'EventReversed' }>;

/** JSON shape of an event as the API receives it (money as decimal strings). */
export interface LoanEventJson {
  eventId: string;
  type: LoanEventType;
  loanRef: string;
  occurredOn: string;
  data: JsonObject;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export const money = (fen: bigint): string => Money.fromFen(fen).toString();

export function pledgeToJson(pledge: Pledge): JsonObject {
  return {
    registrationNo: pledge.registrationNo,
    registeredOn: pledge.registeredOn,
    appraisedValue: money(pledge.appraisedValue),
    rights: pledge.rights.map(rightToJson),
  };
}

function rightToJson(right: PledgedRight): JsonObject {
  const json: JsonObject = { kind: right.kind, number: right.number };
  if (right.title !== undefined) json.title = right.title;
  return json;
}

/** The event's `data` in wire form: money as two-decimal strings, identifiers normalised, absent optionals omitted. */
export function eventDataToJson(event: ParsedLoanEvent): JsonObject {
  switch (event.type) {
    case 'LoanRegistered': {
      const d = event.data;
      const json: JsonObject = {
        borrower: {
          uscc: d.borrower.uscc,
          name: d.borrower.name,
          size: d.borrower.size,
          regionCode: d.borrower.regionCode,
        },
        principal: money(d.principal),
        annualRate: d.annualRate,
        termMonths: d.termMonths,
        inclusive: d.inclusive,
        pledge: pledgeToJson(d.pledge),
      };
      if (d.agencyId !== undefined) json.agencyId = d.agencyId;
      return json;
    }
    case 'LoanDisbursed':
      return { amount: money(event.data.amount) };
    case 'RepaymentReceived':
      return { principal: money(event.data.principal), interest: money(event.data.interest) };
    case 'LoanOverdue':
      return { overdueDays: event.data.overdueDays };
    case 'LoanDefaulted':
      return { principalLoss: money(event.data.principalLoss) };
    case 'LoanSettled':
      return {};
    case 'EventReversed':
      return { reversedEventId: event.data.reversedEventId };
  }
}

/**
 * The normalised request shape of an event. Store this (it is plain JSON) and read it back with
 * `validateLoanEventItem`, which yields the same `ParsedLoanEvent`.
 */
export function toLoanEventJson(event: ParsedLoanEvent): LoanEventJson {
  return {
    eventId: event.eventId,
    type: event.type,
    loanRef: event.loanRef,
    occurredOn: event.occurredOn,
    data: eventDataToJson(event),
  };
}

/** JSON with object keys sorted at every level: equal content, equal text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What makes two submissions under one `eventId` "the same event": the canonical JSON of
 * `{type, loanRef, occurredOn, data}` after normalisation, so `"1000"` and `"1000.00"`, or
 * `ZL202320123456.X` and `202320123456.X`, count as the same content.
 */
export function canonicalEventContent(event: ParsedLoanEvent): string {
  return canonicalJson({
    type: event.type,
    loanRef: event.loanRef,
    occurredOn: event.occurredOn,
    data: eventDataToJson(event),
  });
}

/** SHA-256 (hex) of `canonicalEventContent`: the value kept per remembered `eventId`. */
export function contentHash(event: ParsedLoanEvent): string {
  return createHash('sha256').update(canonicalEventContent(event), 'utf8').digest('hex');
}
