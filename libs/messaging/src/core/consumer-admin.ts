import { MessageBus } from './bus';

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
  return withAdmin(bus, async (admin) => {
    let lag = 0n;
    for (const topic of topics) {
      const committed = new Map((await admin.groupOffsets(groupId, topic)).map((o) => [o.partition, BigInt(o.offset)]));
      for (const w of await admin.topicWatermarks(topic)) {
        const position = committed.get(w.partition) ?? -1n;
        const from = position >= 0n ? position : BigInt(w.low);
        const behind = BigInt(w.high) - from;
        if (behind > 0n) lag += behind;
      }
    }
    return Number(lag);
  });
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
