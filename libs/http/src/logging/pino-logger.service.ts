import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Logger, LevelWithSilent } from 'pino';
import { currentCorrelationId } from './request-context';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface PinoLoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  /** pino level; defaults to `LOG_LEVEL` or `info`. */
  level?: string;
  /** Where lines go; stdout by default (tests pass a stream to capture them). */
  destination?: DestinationStream;
}

function parseLevel(level: string | undefined): LevelWithSilent {
  const wanted = (level ?? 'info').toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(wanted) ? (wanted as LevelWithSilent) : 'info';
}

/** JSON lines: `{"level":"info","time":"…","service":"pledge-loans","correlationId":"…","msg":"…"}`. */
export function createPinoLogger(options: PinoLoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: parseLevel(options.level ?? process.env.LOG_LEVEL),
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: () => {
      const correlationId = currentCorrelationId();
      return correlationId === undefined ? {} : { correlationId };
    },
  };
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const NEST_TO_PINO: Readonly<Record<LogLevel, PinoMethod>> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

function looksLikeStack(value: unknown): value is string {
  return typeof value === 'string' && /\n\s+at /.test(value);
}

/** Nest `LoggerService` writing through pino, so framework and service logs share one format. */
export class PinoLoggerService implements LoggerService {
  readonly pino: Logger;

  constructor(loggerOrOptions: Logger | PinoLoggerOptions) {
    this.pino = 'service' in loggerOrOptions ? createPinoLogger(loggerOrOptions) : loggerOrOptions;
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Nest's `(message, context?)` and `(message, stack?, context?)` conventions, plus objects and errors. */
  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const method = NEST_TO_PINO[level];
    if (!this.pino.isLevelEnabled(method)) return;
    const fields: Record<string, unknown> = {};
    const rest = [...params];
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string' && !looksLikeStack(rest[rest.length - 1])) {
      fields.context = rest.pop();
    }
    const extras: unknown[] = [];
    for (const param of rest) {
      if (looksLikeStack(param)) fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (param !== undefined) extras.push(param);
    }
    if (extras.length > 0) fields.params = extras;
    if (message instanceof Error) {
      this.pino[method]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[method]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[method](fields, String(message));
    }
  }
}
