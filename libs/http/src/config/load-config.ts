import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validateSync } from 'class-validator';

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by `loadConfig`; its message names every bad or missing variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => p.message).join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

function declaredVariables(envClass: ClassConstructor<object>): Set<string> {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(envClass, '', true, false);
  return new Set(metadata.map((m) => m.propertyName));
}

function problemsOf(errors: readonly ValidationError[], env: Record<string, string>): ConfigProblem[] {
  return errors.flatMap((error) => {
    const variable = error.property;
    if (env[variable] === undefined) return [{ variable, message: `${variable} is required` }];
    return Object.values(error.constraints ?? {}).map((message) => ({ variable, message }));
  });
}

/**
 * Reads and validates configuration at boot, failing fast:
 * `Invalid configuration: PORT must be an integer; AUTH_JWT_SECRET is required`.
 * Empty variables count as unset; numbers are converted from their string form; class field
 * initialisers act as defaults. Only the declared variables are kept.
 */
export function loadConfig<T extends object>(envClass: ClassConstructor<T>, env: Record<string, string | undefined> = process.env): T {
  const declared = declaredVariables(envClass);
  const present: Record<string, string> = {};
  for (const name of declared) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') present[name] = value.trim();
  }
  const config = plainToInstance(envClass, present, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: true, stopAtFirstError: true });
  if (errors.length > 0) throw new ConfigValidationError(problemsOf(errors, present));
  return config;
}
