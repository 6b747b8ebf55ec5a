/**
 * A listing read from a paged API only as far as someone has looked: `take(n)` pulls pages until it
 * holds n items (or the listing ends) and keeps them, so page 3 of a schema costs the pages up to
 * it once, and page 1 never reads the rest. Pulls are serialised: one cursor, many readers.
 * A failed page breaks the listing for good (an async generator cannot resume after throwing):
 * every later read rethrows, so its owner should drop it and start a new one.
 */
export interface LazyListing<T> {
  readonly isBroken: boolean;
  /** The first `count` items, and whether the listing holds more after them. */
  take(count: number): Promise<{ items: T[]; hasMore: boolean }>;
  /** Every item (reads to the end). */
  all(): Promise<T[]>;
}

export function createLazyListing<T>(source: AsyncIterator<T> | AsyncIterable<T>): LazyListing<T> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source;
  const loaded: T[] = [];
  let isDone = false;
  let failure: { error: unknown } | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function fill(count: number) {
    if (failure) throw failure.error;
    try {
      while (!isDone && loaded.length < count) {
        const next = await iterator.next();
        if (next.done) isDone = true;
        else loaded.push(next.value);
      }
    } catch (error) {
      failure = { error };
      throw error;
    }
  }

  function pull(count: number): Promise<void> {
    const run = queue.then(() => fill(count));
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    get isBroken() {
      return failure !== undefined;
    },
    async take(count) {
      await pull(count + 1);
      return { items: loaded.slice(0, count), hasMore: loaded.length > count };
    },
    async all() {
      await pull(Infinity);
      return [...loaded];
    },
  };
}
