import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** Unique violations, serialization failures and deadlocks: a concurrent transaction won; run again. */
const RETRYABLE = new Set(['23505', '40001', '40P01']);

export interface RetryOptions {
  /** Tries in all, the first included. Default 4. */
  attempts?: number;
  /** Told before each new try, e.g. to log it. */
  onRetry?: (code: string, attempt: number) => void;
}

/** The PostgreSQL error code of a failed query, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
}

/**
 * Runs `work` in one READ COMMITTED transaction and runs it again, from the start, when a
 * concurrent transaction made it fail on a unique index, a serialization check or a deadlock.
 * Work must be a pure function of what it reads inside the transaction: it is repeated whole.
 */
export async function transactionWithRetry<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction('READ COMMITTED', work);
    } catch (error: unknown) {
      const code = pgErrorCode(error);
      if (code === undefined || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      options.onRetry?.(code, attempt + 1);
    }
  }
}
