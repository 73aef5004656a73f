import { UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/** Opts a single-object POST into `Idempotency-Key` handling (needs `IdempotencyModule.forRoot` or the two tokens). */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Makes the request safe to retry: a replay with the same body returns the original result; the same key with another body is 409.',
    }),
  );
}
