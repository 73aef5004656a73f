import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ReadinessCheck, ReadinessCheckSource, isReadinessCheck, isReadinessCheckFactory } from './readiness-check';

export const HEALTH_MODULE_OPTIONS = Symbol('HEALTH_MODULE_OPTIONS');

export interface HealthModuleOptions {
  checks?: ReadinessCheckSource[];
  /** Per check; a slower check counts as down. Default 3000 ms. */
  timeoutMs?: number;
}

export interface CheckReport {
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'error';
  checks: Record<string, CheckReport>;
}

/** A check reports down by throwing, returning `false`, or returning `{ ok: false, detail? }` (messaging's `MessagingHealth`). */
function reportedDown(result: unknown): string | undefined {
  if (result === false) return 'check reported down';
  if (typeof result === 'object' && result !== null && (result as { ok?: unknown }).ok === false) {
    const detail = (result as { detail?: unknown }).detail;
    return typeof detail === 'string' ? detail : 'check reported down';
  }
  return undefined;
}

/**
 * The service's readiness checks: those named in `HealthModule.forRoot`, plus any another module
 * adds with `register` (e.g. the messaging library's Kafka check).
 */
@Injectable()
export class HealthRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('Health');
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly timeoutMs: number;

  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(HEALTH_MODULE_OPTIONS) private readonly options: HealthModuleOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 3000;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const source of this.options.checks ?? []) this.register(await this.resolve(source));
  }

  register(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) throw new Error(`Readiness check "${check.name}" is registered twice.`);
    this.checks.set(check.name, check);
  }

  async run(): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.checks.values()].map(async (check) => [check.name, await this.runOne(check)] as const));
    const checks = Object.fromEntries(entries);
    return { status: entries.every(([, report]) => report.status === 'up') ? 'ok' : 'error', checks };
  }

  private async runOne(check: ReadinessCheck): Promise<CheckReport> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
      });
      const result = await Promise.race([Promise.resolve(check.check()), timeout]);
      const down = reportedDown(result);
      if (down !== undefined) throw new Error(down);
      return { status: 'up', durationMs: Math.round(performance.now() - started) };
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Readiness check ${check.name} is down: ${message}`);
      return { status: 'down', durationMs: Math.round(performance.now() - started), error: message.slice(0, 200) };
    } finally {
      clearTimeout(timer);
    }
  }

  private async resolve(source: ReadinessCheckSource): Promise<ReadinessCheck> {
    if (isReadinessCheck(source)) return source;
    if (isReadinessCheckFactory(source)) {
      const deps = (source.inject ?? []).map((token) => this.moduleRef.get<unknown>(token, { strict: false }));
      return source.useFactory(...(deps as never[]));
    }
    const provided = this.moduleRef.get<unknown>(source, { strict: false });
    if (!isReadinessCheck(provided)) throw new Error(`Provider ${String(source)} is not a ReadinessCheck ({ name, check() }).`);
    return provided;
  }
}
