import type { NextFunction, Request, Response } from 'express';
import { runningConsumerStats } from '@ipfin/messaging';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus registry: services register their own counters on it. */
export const metricsRegistry = new Registry();

export const PROMETHEUS_PATH = '/metrics/prometheus';

let defaultMetricsStarted = false;

/** Process metrics (CPU, memory, event loop, GC); idempotent. */
export function collectProcessMetrics(): void {
  if (defaultMetricsStarted) return;
  defaultMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

export const httpRequestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

let consumerStats: typeof runningConsumerStats = runningConsumerStats;

/** Tests only: where `ipfin_consumer_events_total` reads the consumers' counts. */
export function setConsumerStatsSource(source: typeof runningConsumerStats): void {
  consumerStats = source;
}

/**
 * Events each consumer group of this process took off its topics since it started, by outcome:
 * `applied`, `duplicate` (its inbox had it: a redelivery) and `dead_lettered` (sent to
 * `<topic>.dlq`; alert on any increase). Read from the consumers at each scrape.
 */
export const consumerEvents = new Counter({
  name: 'ipfin_consumer_events_total',
  help: 'Events consumed per consumer group and outcome (applied, duplicate, dead_lettered)',
  labelNames: ['group', 'outcome'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    const totals = new Map<string, { applied: number; duplicate: number; dead_lettered: number }>();
    for (const { groupId, stats } of consumerStats()) {
      const t = totals.get(groupId) ?? { applied: 0, duplicate: 0, dead_lettered: 0 };
      t.applied += stats.applied;
      t.duplicate += stats.duplicates;
      t.dead_lettered += stats.deadLettered;
      totals.set(groupId, t);
    }
    for (const [group, t] of totals) {
      for (const [outcome, n] of Object.entries(t)) this.inc({ group, outcome }, n);
    }
  },
});

/** The route template (`/v1/loans/:loanRef`), never the raw path, so label cardinality stays bounded. */
function routeOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** Records `http_server_request_duration_seconds` when each response finishes. */
export function httpMetricsMiddleware(): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const stop = httpRequestDuration.startTimer();
    res.once('finish', () => {
      stop({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  };
}

/** Handler for `GET /metrics/prometheus` (text exposition format). */
export async function prometheusHandler(_req: Request, res: Response): Promise<void> {
  try {
    const text = await metricsRegistry.metrics();
    res.status(200).setHeader('Content-Type', metricsRegistry.contentType);
    res.end(text);
  } catch {
    res.status(500).end();
  }
}
