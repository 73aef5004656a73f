/**
 * A report's answers kept per query in the service's memory, each with the version of the
 * projections it was read at (`versionSql`). An answer is handed out again only to a request that
 * read the same version, so it is never stale: any batch folded into those projections since
 * changes the version, and the entry is dropped on its next lookup. At most `maxBytes`
 * (estimated) are kept, the least recently used leaving first.
 *
 * For reports whose answer is large and whose projections move rarely: products, whose province
 * answer lists every enterprise (docs/benchmarks.md, "Products answers kept per version").
 */
export class AnswerCache<T> {
  private readonly entries = new Map<string, { version: string; value: T; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether an answer for `key` is kept (at any version): only then is a version worth reading. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The version the answer kept for `key` was read at, if one is kept. */
  versionOf(key: string): string | undefined {
    return this.entries.get(key)?.version;
  }

  /** The answer for `key` read at `version`, or undefined (an entry of another version is dropped). */
  get(key: string, version: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (entry.version !== version) {
      this.total -= entry.bytes;
      return undefined;
    }
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value`, the answer for `key` read at `version`, taking about `bytes` of memory. */
  set(key: string, version: string, value: T, bytes: number): void {
    const previous = this.entries.get(key);
    if (previous !== undefined) {
      this.entries.delete(key);
      this.total -= previous.bytes;
    }
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { version, value, bytes });
    this.total += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
    }
  }

  /** The estimated bytes kept. */
  get bytes(): number {
    return this.total;
  }
}
