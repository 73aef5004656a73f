import type { BusAdmin, MessageBus } from './bus';

async function withAdmin<T>(bus: MessageBus, work: (admin: ReturnType<MessageBus['admin']>) => Promise<T>): Promise<T> {
  const admin = bus.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Events published but not yet consumed by the group: the sum over partitions of the high
 * watermark minus the committed offset (the low watermark where the group never committed).
 */
export async function consumerLag(bus: MessageBus, groupId: string, topics: readonly string[]): Promise<number> {
  return withAdmin(bus, async (admin) => (await groupLags(admin, [{ groupId, topics }]))[0]);
}

/** A consumer group and the topics it reads. */
export interface GroupTopics {
  groupId: string;
  topics: readonly string[];
}

/**
 * `consumerLag` of several groups over one connected admin: each topic's watermarks are read once
 * however many groups read it, each group's committed offsets in one request. In `groups` order.
 */
export async function groupLags(admin: BusAdmin, groups: readonly GroupTopics[]): Promise<number[]> {
  const topics = [...new Set(groups.flatMap((g) => g.topics))];
  const [marks, committed] = await Promise.all([
    Promise.all(topics.map(async (t) => [t, await admin.topicWatermarks(t)] as const)).then((m) => new Map(m)),
    Promise.all(groups.map((g) => groupCommitted(admin, g))),
  ]);
  return groups.map((g, i) => {
    let lag = 0n;
    for (const topic of g.topics) {
      for (const w of marks.get(topic) ?? []) {
        const position = committed[i].get(`${topic}:${w.partition}`) ?? -1n;
        const behind = BigInt(w.high) - (position >= 0n ? position : BigInt(w.low));
        if (behind > 0n) lag += behind;
      }
    }
    return Number(lag);
  });
}

async function groupCommitted(admin: BusAdmin, g: GroupTopics): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const o of await admin.groupOffsets(g.groupId, g.topics)) out.set(`${o.topic}:${o.partition}`, BigInt(o.offset));
  return out;
}

/**
 * Moves a stopped group to the start (replay, projection rebuild) or the end of its topics.
 * The group must have no running members.
 */
export async function resetConsumerOffsets(
  bus: MessageBus,
  groupId: string,
  topics: readonly string[],
  to: 'earliest' | 'latest',
): Promise<void> {
  await withAdmin(bus, async (admin) => {
    for (const topic of topics) await admin.resetGroupOffsets(groupId, topic, to);
  });
}

/** A group without members: nothing consumes for it, so its offsets may be moved. */
const idle = (state: string): boolean => state === 'Empty' || state === 'Dead';

/**
 * Waits until none of `groupIds` has members, up to `waitMs`: a service stopped a moment ago may
 * still be leaving (a member that stopped without leaving stays until its session times out).
 * Reports the groups still waited for through `log` (at once, then every `reportEveryMs`); throws
 * once `waitMs` has passed with members left — a service that still runs.
 */
export async function awaitIdleGroups(
  bus: MessageBus, groupIds: readonly string[],
  opts: { waitMs: number; pollMs?: number; reportEveryMs?: number; log?: (line: string) => void },
): Promise<void> {
  await withAdmin(bus, async (admin) => {
    const deadline = Date.now() + opts.waitMs;
    let reported = -Infinity;
    for (;;) {
      const busy: string[] = [];
      for (const groupId of groupIds) {
        const g = await admin.describeGroup(groupId);
        if (!idle(g.state)) busy.push(`${groupId} (${g.state}, ${g.members} member${g.members === 1 ? '' : 's'})`);
      }
      if (busy.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`consumer groups still have members after ${Math.round(opts.waitMs / 1000)} s: ${busy.join(', ')} — stop every replica of the service that consumes for them`);
      }
      if (Date.now() - reported >= (opts.reportEveryMs ?? 5_000)) {
        reported = Date.now();
        opts.log?.(`waiting for consumer groups to have no members: ${busy.join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, Math.min(opts.pollMs ?? 500, Math.max(0, deadline - Date.now()))));
    }
  });
}
