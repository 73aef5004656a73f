import { isDomainError } from '@ipfin/kernel';
import { assertNotFuture } from './business-dates';

describe('assertNotFuture', () => {
  it('admits today and earlier days', () => {
    expect(() => assertNotFuture('receivedOn', '2025-06-10', '2025-06-10')).not.toThrow();
    expect(() => assertNotFuture('receivedOn', '2024-02-29', '2025-06-10')).not.toThrow();
  });

  it('refuses a day after today as a 400 naming the field', () => {
    let thrown: unknown;
    try {
      assertNotFuture('recoveredOn', '2025-06-11', '2025-06-10');
    } catch (error: unknown) {
      thrown = error;
    }
    expect(isDomainError(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      kind: 'validation',
      errors: [{ field: 'recoveredOn', message: 'recoveredOn 2025-06-11 is in the future (today is 2025-06-10)' }],
    });
  });
});
