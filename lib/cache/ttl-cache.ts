/**
 * A small in-process cache for cloud reads: entries live `ttlMs`, concurrent loads of one key share
 * a single call (so a burst of page renders costs one request), failures are never cached, and
 * the oldest entries are dropped beyond `maxEntries`. Per process: each web replica keeps its own.
 */
export interface TtlCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry<V> {
  value: Promise<V>;
  expiresAt: number;
}

export interface TtlCache<V> {
  /** The cached value for `key`, or the result of `load` (shared by every caller while it runs). */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

export function createTtlCache<V>({ ttlMs, maxEntries = 500, now = Date.now }: TtlCacheOptions): TtlCache<V> {
  const entries = new Map<string, Entry<V>>();

  return {
    getOrLoad(key, load) {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now()) return hit.value;
      if (hit) entries.delete(key);

      const value = load();
      const entry: Entry<V> = { value, expiresAt: Infinity };
      entries.set(key, entry);
      // The clock starts when the value arrives, so a slow load still gets its full lifetime.
      value.then(
        () => {
          if (entries.get(key) === entry) entry.expiresAt = now() + ttlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
