import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import {
  BORROWER_SIZES,
  LOAN_EVENT_TYPES,
  RIGHT_KINDS,
  type BorrowerSize,
  type LoanEventType,
  type RightKind,
} from '@ipfin/contracts';
import {
  BusinessDate,
  Money,
  parsePatentNumber,
  parseTrademarkNumber,
  shanghaiDateOf,
  validateUscc,
  type FieldError,
} from '@ipfin/kernel';
import { IsNotBlank } from '@ipfin/http';
import type { ParsedLoanEvent, PledgedRight } from '../domain/loan-event';
import { IsCalendarDate, IsMoneyAmount, IsRegionCodeValue } from './loan-event.validators';

/*
 * Body items of `POST /v1/loan-events`. The envelope is validated first; `data` is then
 * validated against the class its `type` names. Unknown fields anywhere are refused.
 *
 * Validation stops at a field's first failure, and class-validator runs the decorator nearest
 * the property first: so the basic type check is written last (`@MaxLength(…) @IsString() x`)
 * and a missing field says "must be a string", not "must be shorter than…". Free text and ids
 * must not be blank: `"   "` is refused naming the field, like `""`.
 */

const ANNUAL_RATE = /^0(\.\d{1,6})?$/;

export class BorrowerDto {
  /** 18 characters; the check character is verified (kernel `validateUscc`). */
  @IsString() uscc!: string;
  @MaxLength(200) @IsNotBlank() @IsString() name!: string;
  @IsIn(BORROWER_SIZES) size!: BorrowerSize;
  @IsRegionCodeValue() regionCode!: string;
}

export class PledgedRightDto {
  @IsIn(RIGHT_KINDS) kind!: RightKind;
  /** Patent application number (`202320123456.X`, `ZL…`/`CN…` accepted) or trademark registration number. */
  @IsNotBlank() @IsString() number!: string;
  /** When sent, not blank. */
  @IsOptional() @MaxLength(500) @IsNotBlank() @IsString() title?: string;
}

export class PledgeDto {
  @MaxLength(64) @IsNotBlank() @IsString() registrationNo!: string;
  @IsCalendarDate() registeredOn!: string;
  @IsMoneyAmount() appraisedValue!: string;
  @ValidateNested({ each: true })
  @ArrayMaxSize(200)
  @ArrayMinSize(1)
  @IsArray()
  @Type(() => PledgedRightDto)
  rights!: PledgedRightDto[];
}

export class LoanRegisteredDataDto {
  @ValidateNested() @IsObject() @IsDefined() @Type(() => BorrowerDto) borrower!: BorrowerDto;
  @IsMoneyAmount({ positive: true }) principal!: string;
  @Matches(ANNUAL_RATE, {
    message: '$property must be a decimal string below 1 with at most 6 decimals, e.g. "0.0385" for 3.85 %',
  })
  annualRate!: string;
  @Max(600) @Min(1) @IsInt() termMonths!: number;
  @IsBoolean() inclusive!: boolean;
  @ValidateNested() @IsObject() @IsDefined() @Type(() => PledgeDto) pledge!: PledgeDto;
  /** `sub` of the IP service agency that registered the pledge. */
  @IsOptional() @MaxLength(100) @IsNotBlank() @IsString() agencyId?: string;
}

export class LoanDisbursedDataDto {
  @IsMoneyAmount({ positive: true }) amount!: string;
}

export class RepaymentReceivedDataDto {
  @IsMoneyAmount() principal!: string;
  @IsMoneyAmount() interest!: string;
}

export class LoanOverdueDataDto {
  @Max(36_500) @Min(1) @IsInt() overdueDays!: number;
}

export class LoanDefaultedDataDto {
  @IsMoneyAmount() principalLoss!: string;
}

/** No fields: `{}` or no `data` at all. */
export class LoanSettledDataDto {}

export class EventReversedDataDto {
  @MaxLength(128) @IsNotBlank() @IsString() reversedEventId!: string;
}

export class LoanEventItemDto {
  /** The bank's own id of the event, unique per bank. */
  @MaxLength(128) @IsNotBlank() @IsString() eventId!: string;
  @IsIn(LOAN_EVENT_TYPES) type!: LoanEventType;
  @MaxLength(100) @IsNotBlank() @IsString() loanRef!: string;
  @IsCalendarDate() occurredOn!: string;
  /** Validated separately against the class for `type` (see `LOAN_EVENT_DATA_CLASSES`). */
  @IsOptional() @IsObject() data?: Record<string, unknown>;
}

type DataClass = new () => object;

export const LOAN_EVENT_DATA_CLASSES: Readonly<Record<LoanEventType, DataClass>> = {
  LoanRegistered: LoanRegisteredDataDto,
  LoanDisbursed: LoanDisbursedDataDto,
  RepaymentReceived: RepaymentReceivedDataDto,
  LoanOverdue: LoanOverdueDataDto,
  LoanDefaulted: LoanDefaultedDataDto,
  LoanSettled: LoanSettledDataDto,
  EventReversed: EventReversedDataDto,
};

export type LoanEventItemValidation =
  | { readonly ok: true; readonly value: ParsedLoanEvent }
  | { readonly ok: false; readonly errors: FieldError[]; readonly eventId?: string };

export interface LoanEventValidationOptions {
  /**
   * "Now" from the service's clock: dates after today (Asia/Shanghai) are refused and patent
   * filing years after next year are implausible. Without it neither check runs against a clock.
   */
  readonly now?: Date;
  /** Early USCCs that are legal although they fail the check character (operator-kept). */
  readonly usccAllowList?: ReadonlySet<string>;
}

const VALIDATOR_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
} as const;

function join(prefix: string, property: string): string {
  if (prefix === '') return property;
  return /^\d+$/.test(property) ? `${prefix}[${property}]` : `${prefix}.${property}`;
}

/** class-validator's error tree as `{field, message}` with paths like `data.pledge.rights[0].number`. */
export function flattenValidationErrors(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = join(prefix, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const amount = (text: string): bigint => Money.parse(text).fen;

/** `"0.03850"` → `"0.0385"`, `"0.0"` → `"0"`: one spelling per rate, so content hashes agree. */
const normalizeRate = (rate: string): string => rate.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

interface Checked<T> {
  readonly errors: FieldError[];
  readonly value?: T;
}

/** Checks that need the kernel's identifier rules or the clock; runs only on fields that passed class-validator. */
function checkIdentifiers(
  type: LoanEventType,
  item: LoanEventItemDto,
  data: object,
  options: LoanEventValidationOptions,
  invalid: ReadonlySet<string>,
): Checked<PledgedRight[]> {
  const errors: FieldError[] = [];
  const today = options.now === undefined ? null : shanghaiDateOf(options.now);
  const notFuture = (field: string, text: string): void => {
    if (
      today !== null &&
      !invalid.has(field) &&
      BusinessDate.isValid(text) &&
      BusinessDate.parse(text).isAfter(today)
    ) {
      errors.push({
        field,
        message: `${field.split('.').pop() ?? field} ${text} is in the future (today is ${today.toString()})`,
      });
    }
  };
  notFuture('occurredOn', item.occurredOn);
  if (
    type === 'RepaymentReceived' &&
    data instanceof RepaymentReceivedDataDto &&
    !invalid.has('data.principal') &&
    !invalid.has('data.interest')
  ) {
    if (Money.parse(data.principal).isZero() && Money.parse(data.interest).isZero()) {
      errors.push({ field: 'data.principal', message: 'principal and interest cannot both be 0' });
    }
  }
  if (type !== 'LoanRegistered' || !(data instanceof LoanRegisteredDataDto)) return { errors };

  if (
    data.borrower instanceof BorrowerDto &&
    !invalid.has('data.borrower.uscc') &&
    typeof data.borrower.uscc === 'string'
  ) {
    const uscc = validateUscc(data.borrower.uscc, options.usccAllowList);
    if (!uscc.ok) errors.push({ field: 'data.borrower.uscc', message: `uscc: ${uscc.message}` });
  }
  const rights: PledgedRight[] = [];
  if (data.pledge instanceof PledgeDto) {
    notFuture('data.pledge.registeredOn', data.pledge.registeredOn);
    if (Array.isArray(data.pledge.rights)) {
      data.pledge.rights.forEach((right, i) => {
        const field = `data.pledge.rights[${i}].number`;
        if (!(right instanceof PledgedRightDto) || invalid.has(field) || invalid.has(`data.pledge.rights[${i}].kind`))
          return;
        const parsed =
          right.kind === 'patent' ? parsePatentNumber(right.number, options.now) : parseTrademarkNumber(right.number);
        if (!parsed.ok) {
          errors.push({ field, message: `number: ${parsed.message}` });
          return;
        }
        const number = typeof parsed.value === 'string' ? parsed.value : parsed.value.normalized;
        rights.push(
          right.title === undefined ? { kind: right.kind, number } : { kind: right.kind, number, title: right.title },
        );
      });
    }
  }
  return { errors, value: rights };
}

function toParsed(item: LoanEventItemDto, data: object, rights: readonly PledgedRight[]): ParsedLoanEvent {
  const { eventId, loanRef, occurredOn } = item;
  if (data instanceof LoanRegisteredDataDto) {
    const { borrower, pledge } = data;
    return {
      eventId,
      loanRef,
      occurredOn,
      type: 'LoanRegistered',
      data: {
        borrower: {
          uscc: borrower.uscc.trim().toUpperCase(),
          name: borrower.name,
          size: borrower.size,
          regionCode: borrower.regionCode,
        },
        principal: amount(data.principal),
        annualRate: normalizeRate(data.annualRate),
        termMonths: data.termMonths,
        inclusive: data.inclusive,
        pledge: {
          registrationNo: pledge.registrationNo,
          registeredOn: pledge.registeredOn,
          appraisedValue: amount(pledge.appraisedValue),
          rights,
        },
        ...(data.agencyId === undefined ? {} : { agencyId: data.agencyId }),
      },
    };
  }
  if (data instanceof LoanDisbursedDataDto)
    return { eventId, loanRef, occurredOn, type: 'LoanDisbursed', data: { amount: amount(data.amount) } };
  if (data instanceof RepaymentReceivedDataDto) {
    return {
      eventId,
      loanRef,
      occurredOn,
      type: 'RepaymentReceived',
      data: { principal: amount(data.principal), interest: amount(data.interest) },
    };
  }
  if (data instanceof LoanOverdueDataDto)
    return { eventId, loanRef, occurredOn, type: 'LoanOverdue', data: { overdueDays: data.overdueDays } };
  if (data instanceof LoanDefaultedDataDto)
    return { eventId, loanRef, occurredOn, type: 'LoanDefaulted', data: { principalLoss: amount(data.principalLoss) } };
  if (data instanceof EventReversedDataDto)
    return { eventId, loanRef, occurredOn, type: 'EventReversed', data: { reversedEventId: data.reversedEventId } };
  return { eventId, loanRef, occurredOn, type: 'LoanSettled', data: {} };
}

/**
 * Validates one item of the request body and turns it into a `ParsedLoanEvent` (money in fen,
 * USCC upper-case, patent numbers `YYYYTNNNNNNN.C`, trademark numbers bare digits). Field paths
 * are relative to the item (`data.borrower.uscc`, `data.pledge.rights[0].number`); the HTTP layer
 * prefixes `[index].`. On failure, `eventId` is echoed when the item had a usable one.
 */
export function validateLoanEventItem(
  plain: unknown,
  index: number,
  options: LoanEventValidationOptions = {},
): LoanEventItemValidation {
  if (!isPlainObject(plain)) {
    return { ok: false, errors: [{ field: '', message: `item [${index}] must be a JSON object` }] };
  }
  const eventId = typeof plain.eventId === 'string' && /\S/.test(plain.eventId) ? plain.eventId : undefined;
  const item = plainToInstance(LoanEventItemDto, plain);
  const errors = flattenValidationErrors(validateSync(item, VALIDATOR_OPTIONS));
  const typeOk = (LOAN_EVENT_TYPES as readonly unknown[]).includes(item.type);
  if (!typeOk) return { ok: false, errors, ...(eventId === undefined ? {} : { eventId }) };

  let data: object | undefined;
  const absent = plain.data === undefined || plain.data === null;
  if (absent && item.type === 'LoanSettled') {
    data = new LoanSettledDataDto();
  } else if (absent) {
    errors.push({ field: 'data', message: `data must be an object with the fields of ${item.type}` });
  } else if (isPlainObject(plain.data) && item.type === 'LoanSettled') {
    // A class without a single validated property is an "unknown value" to class-validator: check by hand.
    const unknown = Object.keys(plain.data);
    errors.push(...unknown.map((key) => ({ field: `data.${key}`, message: `property ${key} should not exist` })));
    data = new LoanSettledDataDto();
  } else if (isPlainObject(plain.data)) {
    data = plainToInstance(LOAN_EVENT_DATA_CLASSES[item.type], plain.data);
    errors.push(...flattenValidationErrors(validateSync(data, VALIDATOR_OPTIONS), 'data'));
  }
  const checked =
    data === undefined
      ? { errors: [] }
      : checkIdentifiers(item.type, item, data, options, new Set(errors.map((e) => e.field)));
  errors.push(...checked.errors);

  if (errors.length > 0 || data === undefined)
    return { ok: false, errors, ...(eventId === undefined ? {} : { eventId }) };
  return { ok: true, value: toParsed(item, data, checked.value ?? []) };
}
