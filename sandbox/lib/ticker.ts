/**
 * A simulation's clock: `tick` runs every `intervalMs` after the previous tick ended, until stopped.
 * `stop()` waits for the tick in flight, so a server closing after it never has a tick calling it.
 */
export function createTicker(tick: () => Promise<void>, onError: (error: unknown) => void, intervalMs = 500) {
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  return {
    get isStopped() {
      return stopped;
    },
    start() {
      const loop = () => {
        if (stopped) return;
        inFlight = tick()
          .catch(onError)
          .finally(() => {
            inFlight = undefined;
            if (!stopped) timer = setTimeout(loop, intervalMs);
          });
      };
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
