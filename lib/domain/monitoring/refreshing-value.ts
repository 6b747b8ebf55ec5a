/**
 * A value that is served from memory and refreshed behind the reader's back: a page read after
 * `refreshAfterMs` gets the current value at once and starts one background reload; only a value
 * older than `maxAgeMs` (or none) makes the reader wait. Every panel shows the value's own time,
 * so a reader always knows how fresh it is. A failed reload keeps the old value until `maxAgeMs`.
 */
export interface RefreshingValueOptions<V> {
  load: () => Promise<V>;
  refreshAfterMs: number;
  maxAgeMs: number;
  now?: () => number;
  onRefreshError?: (error: unknown) => void;
}

export function createRefreshingValue<V>({
  load,
  refreshAfterMs,
  maxAgeMs,
  now = Date.now,
  onRefreshError,
}: RefreshingValueOptions<V>) {
  let current: { value: V; loadedAt: number } | undefined;
  let inFlight: Promise<V> | undefined;

  const reload = () => {
    inFlight ??= load().then(
      (value) => {
        current = { value, loadedAt: now() };
        inFlight = undefined;
        return value;
      },
      (error: unknown) => {
        inFlight = undefined;
        throw error;
      },
    );
    return inFlight;
  };

  return {
    get(): Promise<V> {
      const age = current ? now() - current.loadedAt : Infinity;
      if (age > maxAgeMs) return reload();
      if (age > refreshAfterMs) reload().catch((error: unknown) => onRefreshError?.(error));
      return Promise.resolve(current!.value);
    },
    /** Forget the value (e.g. after a change the reader must see at once). */
    invalidate() {
      current = undefined;
    },
  };
}
