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
