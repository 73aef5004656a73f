import type { GroupOffset, PartitionWatermarks } from '@ipfin/messaging';

/** The offsets `[from, to)` of one partition that a rebuild folds again. */
export interface PartitionRange {
  readonly partition: number;
  readonly from: bigint;
  readonly to: bigint;
}

export type ReplayRanges = { readonly ok: true; readonly ranges: PartitionRange[] } | { readonly ok: false; readonly reason: string };

/**
 * What a rebuild of the coverage view folds: per partition, from offset 0 up to where the service
 * had consumed — never further. The service folds the events after that itself, with their effects
 * (`LoanCovered`, claim withdrawals); a rebuild that folded them without effects would lose those
 * for good. "Where the service had consumed" is the later of the group's committed offset and the
 * offset after the last event its inbox records on the partition: the inbox commits with the view,
 * the offset after it (a commit lost in a crash leaves it behind; the service then skips those
 * events as duplicates).
 *
 * Refused (the view cannot be rebuilt as it is): a partition that no longer starts at offset 0
 * (retention or a delete-records removed loans' events), or one the service consumed past its end
 * (the topic was recreated).
 *
 * @param inboxNext per partition, the offset after the last event the service's inbox records
 */
export function replayRanges(
  topic: string,
  marks: readonly PartitionWatermarks[],
  committed: readonly GroupOffset[],
  inboxNext: ReadonlyMap<number, bigint>,
): ReplayRanges {
  const unknown = [...inboxNext.keys()].filter((p) => !marks.some((m) => m.partition === p));
  if (unknown.length > 0) {
    return { ok: false, reason: `the service's inbox records events of ${topic} partition ${unknown.join(', ')}, which the topic does not have: was the topic recreated?` };
  }
  const ranges: PartitionRange[] = [];
  for (const m of [...marks].sort((a, b) => a.partition - b.partition)) {
    const low = BigInt(m.low);
    const high = BigInt(m.high);
    if (low > 0n) {
      return { ok: false, reason: `${topic} partition ${m.partition} starts at offset ${low}, not 0: its first events are gone, and a view rebuilt without them would miss loans` };
    }
    const offset = committed.find((c) => c.topic === topic && c.partition === m.partition)?.offset;
    const committedAt = offset === undefined || BigInt(offset) < 0n ? low : BigInt(offset);
    const inboxAt = inboxNext.get(m.partition) ?? low;
    const to = committedAt > inboxAt ? committedAt : inboxAt;
    if (to > high) {
      return { ok: false, reason: `the service consumed ${topic} partition ${m.partition} up to offset ${to}, past its end ${high}: was the topic recreated?` };
    }
    ranges.push({ partition: m.partition, from: low, to });
  }
  return { ok: true, ranges };
}
