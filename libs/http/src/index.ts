export * from './problem/problem';
export * from './problem/problem.exception';
export { ProblemDetailsFilter, toProblem } from './problem/problem-details.filter';

export * from './validation/validation-errors';
export { ArrayBodyPipe, createValidationPipe, parseDto, validateDto, validationException, VALIDATOR_OPTIONS } from './validation/validation.pipe';
export type { ArrayBodyOptions, DtoResult } from './validation/validation.pipe';
export * from './validation/field-decorators';

export * from './auth/principal';
export * from './auth/auth.decorators';
export { AuthGuard } from './auth/auth.guard';
export { TokenVerifier, authOptionsFromEnv, principalFromClaims } from './auth/token-verifier';
export type { AuthOptions } from './auth/token-verifier';
export { JwksKeyStore, JwksUnavailableError } from './auth/jwks-key-store';
export type { JwksKeyStoreOptions } from './auth/jwks-key-store';
export * from './auth/local-token';
export * from './auth/region-access';

export * from './idempotency/idempotency.sql';
export * from './idempotency/idempotency.store';
export * from './idempotency/idempotency.interceptor';
export * from './idempotency/idempotent-request';
export * from './idempotency/idempotent.decorator';
export * from './idempotency/idempotency.module';
export { canonicalJson, requestHash } from './idempotency/canonical-json';

export * from './health/readiness-check';
export { HealthRegistry } from './health/health.registry';
export type { CheckReport, HealthModuleOptions, ReadinessReport } from './health/health.registry';
export { HealthModule } from './health/health.module';

export * from './metrics/prometheus';
export * from './openapi/setup-openapi';

export * from './logging/pino-logger.service';
export { CORRELATION_HEADER, correlationIdOf, currentCorrelationId } from './logging/request-context';
export { requestContextMiddleware } from './logging/request-logging';

export * from './config/load-config';
export * from './config/base-service-env';

export * from './bootstrap/configure-app';
export * from './bootstrap/bootstrap-service';
export * from './bootstrap/express-adapter';

export * from './pagination/page';
export * from './platform/service-platform.module';
export * from './platform/transaction';
