/**
 * Envelope (events.md): every record carries `traceparent` next to the `ce_*` headers — the
 * writing request's trace when there is one, a trace of its own otherwise.
 */
import { CE_HEADERS } from '@ipfin/contracts';
import { enqueue, headerText, OutboxRelay, parseTraceparent, runWithTraceparent } from '../src';
import { messagingFixture, readTopic, repayment, SOURCE, testLogger } from './support/harness';

const REQUEST_TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent on published events', () => {
  const f = messagingFixture(1);

  it("stamps the request's trace, or a new valid one, on every record", async () => {
    const { dataSource, bus, schema, topic } = f;
    const target = { schema, source: SOURCE };
    await runWithTraceparent(REQUEST_TRACE, () =>
      dataSource.transaction((manager) => enqueue(manager, target, [repayment(topic, 'bank-a:L-1', 1), repayment(topic, 'bank-a:L-1', 2)])),
    );
    await dataSource.transaction((manager) => enqueue(manager, target, [repayment(topic, 'bank-a:L-2', 1)]));
    await dataSource.transaction((manager) => enqueue(manager, target, [repayment(topic, 'bank-a:L-3', 1)]));

    const relay = new OutboxRelay({ dataSource, bus, schema, logger: testLogger(), pollIntervalMs: 50 });
    relay.start();
    let records;
    try {
      records = await readTopic(bus, topic, 4);
    } finally {
      await relay.stop();
    }
    const traces = records.map((r) => headerText(r.headers[CE_HEADERS.traceparent]));
    expect(traces.slice(0, 2)).toEqual([REQUEST_TRACE, REQUEST_TRACE]);
    const [own, other] = traces.slice(2).map((t) => parseTraceparent(t));
    expect(own).toBeDefined();
    expect(other).toBeDefined();
    expect(own?.traceId).not.toBe(other?.traceId);
    expect(own?.traceId).not.toBe(parseTraceparent(REQUEST_TRACE)?.traceId);
  });
});
