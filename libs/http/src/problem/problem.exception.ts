import { HttpException } from '@nestjs/common';
import { Problem, ProblemInit, problem } from './problem';

/**
 * An HTTP-layer failure that already knows its problem (auth, validation pipe, idempotency,
 * body parsing). Services throw kernel `DomainError`s instead; this is for the plumbing.
 */
export class ProblemException extends HttpException {
  readonly problem: Problem;
  readonly code: string;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    const body = problem(init);
    super(body, init.status, options?.cause === undefined ? undefined : { cause: options.cause });
    this.problem = body;
    this.code = init.code;
  }
}
