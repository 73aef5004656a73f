/**
 * `awaitIdleGroups` (metrics:rebuild waits with it before it resets offsets): returns once a
 * member still leaving has left, and names the group, its state and members when one stays.
 */
import { awaitIdleGroups } from '../src';
import { consumer, messagingFixture, projectionHandler, unique, waitFor } from './support/harness';

describe('awaitIdleGroups', () => {
  const f = messagingFixture(1);

  it('waits for a member that leaves, and gives up naming the group when one stays', async () => {
    const { bus, dataSource, schema, topic } = f;
    const groupId = unique('group');
    const admin = bus.admin();
    await admin.connect();
    const c = consumer({ bus, dataSource, schema, topics: [topic], groupId, handle: projectionHandler(schema) });
    await c.start();
    let stopped = false;
    try {
      await waitFor('the member joined', () => admin.describeGroup(groupId), (g) => g.state === 'Stable' && g.members === 1);
      // A member that stays: the wait ends with an error naming the group.
      const lines: string[] = [];
      await expect(awaitIdleGroups(bus, [groupId], { waitMs: 1_500, pollMs: 200, log: (l) => lines.push(l) }))
        .rejects.toThrow(new RegExp(`still have members after 2 s: ${groupId} \\(Stable, 1 member\\)`));
      expect(lines[0]).toContain(`${groupId} (Stable, 1 member)`);

      // A member that leaves during the wait: the wait returns once it has.
      const waited = awaitIdleGroups(bus, [groupId, unique('never-used')], { waitMs: 30_000, pollMs: 200 });
      setTimeout(() => { void c.stop().then(() => { stopped = true; }); }, 1_000);
      const t0 = Date.now();
      await waited;
      expect(stopped).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
      expect((await admin.describeGroup(groupId)).members).toBe(0);
    } finally {
      if (!stopped) await c.stop();
      await admin.disconnect();
    }
  });
});
