/**
 * Guarantee 2: redelivery, consumer restarts and replays change no total, because the inbox
 * records each applied ce_id in the transaction of its effect.
 */
import { DataSource } from 'typeorm';
import { MessageBus, resetConsumerOffsets } from '../src';
import {
  asRecord,
  consumer,
  messagingFixture,
  produce,
  projection,
  projectionHandler,
  repayment,
  toFen,
  unique,
  waitFor,
  waitForNoLag,
} from './support/harness';

describe('duplicate delivery', () => {
  // The fixture sets these up and tears them down around each test; the bodies read them as locals.
  const f = messagingFixture(3);
  let dataSource: DataSource;
  let bus: MessageBus;
  let schema: string;
  let topic: string;

  beforeEach(() => {
    ({ dataSource, bus, schema, topic } = f);
  });


  it('the same event produced twice changes the projection once', async () => {
    const key = 'bank-weihai:WH-2024-0007';
    const first = asRecord(repayment(topic, key, 1, '1000.00'), '1d7b1b9e-6f5e-4d7e-8d0a-3a1f7a000001');
    const second = asRecord(repayment(topic, key, 2, '2000.00'), '1d7b1b9e-6f5e-4d7e-8d0a-3a1f7a000002');
    const others = Array.from({ length: 20 }, (_, i) =>
      asRecord(repayment(topic, `bank-weihai:WH-OTHER-${i}`, 1, '10.00')),
    );
    const loans = consumer({ bus, dataSource, schema, topics: [topic], handle: projectionHandler(schema) });
    await loans.start();
    try {
      // Twice in one batch, as after a producer retry…
      await produce(bus, [first, second, first, ...others]);
      await waitForNoLag(bus, loans.groupId, [topic]);
      // …and again long after they were applied, as after a relay crash.
      await produce(bus, [second, first]);
      await waitForNoLag(bus, loans.groupId, [topic]);
    } finally {
      await loans.stop();
    }

    const applied = await projection(dataSource, schema);
    expect(applied.count).toBe(22);
    expect(applied.distinctIds).toBe(22);
    expect(applied.totalFen).toBe(toFen('3000.00') + 20n * toFen('10.00'));
    expect(applied.rows.filter((r) => r.key === key).map((r) => r.sequence)).toEqual([1, 2]);
    expect(loans.stats()).toMatchObject({ applied: 22, duplicates: 3, deadLettered: 0 });
  });

  it('a consumer restart mid-stream and a full replay leave totals unchanged', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `bank-quanzhou:QZ-2024-${100 + i}`);
    const events = Array.from({ length: 300 }, (_, i) =>
      repayment(topic, keys[i % keys.length], Math.floor(i / keys.length) + 1, `${(i % 7) + 1}00.50`),
    );
    const expectedFen = events.reduce((n, e) => n + toFen((e.data as { principal: string }).principal), 0n);
    await produce(bus, events.map((e) => asRecord(e)));
    const groupId = unique('group');
    // Slow enough to be stopped half-way.
    const slowly = projectionHandler(schema, () => new Promise((r) => setTimeout(r, 25)));

    const before = consumer({ bus, dataSource, schema, topics: [topic], groupId, maxBatchSize: 10, handle: slowly });
    await before.start();
    await waitFor(
      'some events applied',
      async () => before.stats().applied,
      (n) => n >= 60,
    );
    await before.stop();
    const appliedBeforeRestart = before.stats().applied;
    expect(appliedBeforeRestart).toBeLessThan(300);
    expect((await projection(dataSource, schema)).count).toBe(appliedBeforeRestart);

    const after = consumer({ bus, dataSource, schema, topics: [topic], groupId, handle: projectionHandler(schema) });
    await after.start();
    try {
      await waitForNoLag(bus, groupId, [topic]);
    } finally {
      await after.stop();
    }
    let applied = await projection(dataSource, schema);
    expect(applied.count).toBe(300);
    expect(applied.distinctIds).toBe(300);
    expect(applied.totalFen).toBe(expectedFen);

    // Replay: the whole topic again, from the beginning.
    await resetConsumerOffsets(bus, groupId, [topic], 'earliest');
    const replay = consumer({ bus, dataSource, schema, topics: [topic], groupId, handle: projectionHandler(schema) });
    await replay.start();
    try {
      await waitFor(
        'the replay to re-read everything',
        async () => replay.stats(),
        (n) => n.applied + n.duplicates >= 300,
      );
      await waitForNoLag(bus, groupId, [topic]);
    } finally {
      await replay.stop();
    }
    applied = await projection(dataSource, schema);
    expect(applied.count).toBe(300);
    expect(applied.totalFen).toBe(expectedFen);
    expect(replay.stats()).toMatchObject({ applied: 0, duplicates: 300 });
  });
});
