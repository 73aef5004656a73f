import {
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  RuleViolation,
  Unauthenticated,
  ValidationFailed,
  ValueFormatError,
  isDomainError,
} from './domain-error';

describe('DomainError', () => {
  it('carries a stable code, a kind and a detail', () => {
    const error = new RuleViolation(
      'right-already-pledged',
      'Patent 202310123456.6 is pledged under loan ZZ-2024-000123.',
      { loanRef: 'ZZ-2024-000123' },
    );
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'right-already-pledged',
      kind: 'rule',
      name: 'RuleViolation',
      context: { loanRef: 'ZZ-2024-000123' },
    });
    expect(error.message).toBe(error.detail);
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(new Error('x'))).toBe(false);
  });

  it('refuses a code that is not kebab-case', () => {
    for (const bad of ['RightPledged', 'right_pledged', 'right pledged', '', '-right', 'right-', 'right--pledged']) {
      expect(() => new Conflict(bad, 'x')).toThrow(TypeError);
    }
    expect(() => new Conflict('idempotency-key-reused', 'x')).not.toThrow();
  });

  it('maps each helper to its kind', () => {
    expect(new ValidationFailed([{ field: 'principal', message: 'must be positive' }]).kind).toBe('validation');
    expect(new NotFound('Loan ZZ-1').kind).toBe('not-found');
    expect(new Conflict('duplicate-event', 'x').kind).toBe('conflict');
    expect(new RuleViolation('patent-pledged', 'x').kind).toBe('rule');
    expect(new Forbidden().kind).toBe('forbidden');
    expect(new Unauthenticated().kind).toBe('unauthenticated');
  });

  it('ValidationFailed lists field errors and summarises them', () => {
    const error = new ValidationFailed([
      { field: 'borrower.uscc', message: 'wrong check character' },
      { field: 'principal', message: 'must be a decimal string' },
    ]);
    expect(error.code).toBe('validation-failed');
    expect(error.errors).toEqual([
      { field: 'borrower.uscc', message: 'wrong check character' },
      { field: 'principal', message: 'must be a decimal string' },
    ]);
    expect(error.detail).toBe('borrower.uscc: wrong check character; principal: must be a decimal string');
  });

  it('copies and freezes errors and context so later mutation cannot change a thrown error', () => {
    const fieldErrors = [{ field: 'a', message: 'b' }];
    const context: Record<string, unknown> = { loanRef: 'L1' };
    const error = new ValidationFailed(fieldErrors);
    const conflict = new Conflict('duplicate-event', 'x', context);
    fieldErrors[0].message = 'changed';
    context.loanRef = 'L2';
    expect(error.errors[0].message).toBe('b');
    expect(conflict.context).toEqual({ loanRef: 'L1' });
    expect(Object.isFrozen(conflict.context)).toBe(true);
  });

  it('NotFound says what was not found', () => {
    const error = new NotFound('Loan ZZ-2024-000123', undefined, 'loan-not-found');
    expect(error.detail).toBe('Loan ZZ-2024-000123 not found.');
    expect(error.code).toBe('loan-not-found');
  });

  it('ValueFormatError becomes a field error where the field is known, with a bounded echo of the input', () => {
    const error = new ValueFormatError('invalid-money', 'An amount must be a decimal string.', 'x'.repeat(10_000));
    expect(String(error.context?.input).length).toBeLessThan(100);
    const fieldError = error.atField('data.principal');
    expect(fieldError).toBeInstanceOf(ValidationFailed);
    expect(fieldError.errors).toEqual([{ field: 'data.principal', message: 'An amount must be a decimal string.' }]);
  });

  it('keeps the cause', () => {
    const cause = new Error('db');
    expect(new DomainError({ code: 'x', kind: 'conflict', detail: 'd', cause }).cause).toBe(cause);
  });
});
