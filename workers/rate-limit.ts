/**
 * A fetch that starts at most `perSecond` requests a second (a token bucket holding one second's
 * worth), so the worker's load on a cloud service stays within its configured budget however many
 * jobs run at once. Requests wait their turn in order; nothing is dropped.
 */
export function createRateLimitedFetch(
  perSecond: number,
  inner: typeof fetch = fetch,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): typeof fetch {
  const capacity = Math.max(1, perSecond);
  let tokens = capacity;
  let refilledAt = clock.now();
  let queue = Promise.resolve();
  const take = async () => {
    for (;;) {
      const at = clock.now();
      tokens = Math.min(capacity, tokens + ((at - refilledAt) / 1000) * perSecond);
      refilledAt = at;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await clock.sleep(Math.ceil(((1 - tokens) / perSecond) * 1000));
    }
  };
  return (input, init) => {
    const turn = queue.then(take);
    queue = turn;
    return turn.then(() => inner(input, init));
  };
}
