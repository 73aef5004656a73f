/** OpenAPI description of `POST /v1/loan-events` (the DTOs validate; this documents). */
const money = { type: 'string', pattern: '^(0|[1-9]\\d{0,15})(\\.\\d{1,2})?$', example: '5000000.00', description: 'CNY, decimal string, ≤ 2 decimals' };
const date = { type: 'string', format: 'date', example: '2024-03-01' };
/** Ids and free text: at least one non-space character (`"   "` is a 400 naming the field). */
const text = (extra: object = {}) => ({ type: 'string', pattern: '\\S', ...extra });

const dataByType: Record<string, object> = {
  LoanRegistered: {
    type: 'object',
    required: ['borrower', 'principal', 'annualRate', 'termMonths', 'inclusive', 'pledge'],
    properties: {
      borrower: {
        type: 'object', required: ['uscc', 'name', 'size', 'regionCode'],
        properties: {
          uscc: {
            type: 'string', example: '91350600MA2Y0A0B0U',
            description: "USCC with a valid check character, or an early code on the operator's USCC_ALLOW_LIST; normalised to upper case",
          },
          name: text({ maxLength: 200 }), size: { type: 'string', enum: ['micro', 'small', 'medium', 'large'] },
          regionCode: { type: 'string', pattern: '^\\d{6}$', example: '350602' },
        },
      },
      principal: money,
      annualRate: { type: 'string', example: '0.0385' },
      termMonths: { type: 'integer', minimum: 1 },
      inclusive: { type: 'boolean' },
      pledge: {
        type: 'object', required: ['registrationNo', 'registeredOn', 'appraisedValue', 'rights'],
        properties: {
          registrationNo: text({ maxLength: 64 }), registeredOn: date, appraisedValue: money,
          rights: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', required: ['kind', 'number'],
              properties: {
                kind: { type: 'string', enum: ['patent', 'trademark'] },
                number: text({ example: 'ZL202310123456.6', description: 'patent: normalised to YYYYTNNNNNNN.C' }),
                title: text({ maxLength: 500 }),
              },
            },
          },
        },
      },
      agencyId: text({ maxLength: 100, description: 'sub of the service agency that handled the registration' }),
    },
  },
  LoanDisbursed: { type: 'object', required: ['amount'], properties: { amount: money } },
  RepaymentReceived: { type: 'object', required: ['principal', 'interest'], properties: { principal: money, interest: money } },
  LoanOverdue: { type: 'object', required: ['overdueDays'], properties: { overdueDays: { type: 'integer', minimum: 1 } } },
  LoanDefaulted: { type: 'object', required: ['principalLoss'], properties: { principalLoss: money } },
  LoanSettled: { type: 'object', properties: {} },
  EventReversed: { type: 'object', required: ['reversedEventId'], properties: { reversedEventId: text({ maxLength: 128 }) } },
};

export const LOAN_EVENTS_BODY_SCHEMA = {
  type: 'array',
  minItems: 1,
  maxItems: 1000,
  items: {
    oneOf: Object.entries(dataByType).map(([type, data]) => ({
      type: 'object',
      title: type,
      required: ['eventId', 'type', 'loanRef', 'occurredOn', ...(type === 'LoanSettled' ? [] : ['data'])],
      additionalProperties: false,
      properties: {
        eventId: text({ maxLength: 128, description: "the bank's own id, unique per bank" }),
        type: { type: 'string', enum: [type] },
        loanRef: text({ maxLength: 100, example: 'ZZ-2024-000123' }),
        occurredOn: date,
        data,
      },
    })),
  },
};

export const LOAN_EVENTS_RESPONSE_SCHEMA = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['eventId', 'status'],
        properties: {
          eventId: { type: 'string', nullable: true },
          status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
          problem: {
            type: 'object',
            description:
              'problem+json of a rejected event: 400 `…/problems/validation` (invalid fields, named `[i].<path>`), 409 conflicts, 422 rules',
            properties: {
              type: { type: 'string', example: 'https://ipfin.dev/problems/right-already-pledged' },
              title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
              errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string', example: '[0].data.amount' }, message: { type: 'string' } } } },
            },
          },
        },
      },
    },
  },
};
