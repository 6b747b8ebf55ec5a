import {
  aggregatePayload,
  compileAggregationPlan,
  createWindowAccumulator,
  drainFeatureWindows,
  InferencePayloadError,
  type AggregationPlan,
  type WindowAccumulator,
} from "@/lib/domain/drift/aggregate";
import type { IngestOutcome, LoggerEvent } from "./cloud-event";
import type { MonitorResolution } from "./monitors";
import type { IngestStore } from "./store";

/**
 * The in-memory half of payload ingest: request payloads become per-window histogram counts per
 * monitor, flushed to PostgreSQL as increments every second (or every N events), so the database
 * sees a few writes per second whatever the request rate. Memory is bounded: at most `maxServices`
 * services, and events older than `maxEventAgeMs` are refused, so each monitor holds at most
 * (maxEventAgeMs + maxFutureMs) / window windows between flushes. Responses are validated and
 * counted but not joined to their requests: the training data has no reference for predictions.
 */

export interface IngestServiceOptions {
  store: IngestStore;
  resolveMonitor: (
    namespace: string,
    service: string,
    samplePayload: unknown,
    endpoint?: string,
  ) => Promise<MonitorResolution>;
  /** Monitors whose windows were just written (e.g. to schedule their drift computation). */
  onFlushed?: (monitorIds: string[]) => void;
  onError?: (error: unknown, context: string) => void;
  flushIntervalMs?: number;
  flushAfterEvents?: number;
  maxServices?: number;
  maxEventAgeMs?: number;
  maxFutureMs?: number;
  /** How long a resolved monitor is trusted before the served version is checked again. */
  refreshMs?: number;
  /** How long a service without a usable monitor is left alone before trying again. */
  retryUnavailableMs?: number;
  now?: () => number;
}

interface MonitorBuffer {
  plan: AggregationPlan;
  accumulator: WindowAccumulator;
}

type ServiceState =
  | { status: "resolving"; monitorId?: string }
  | { status: "ready"; monitorId: string; checkedAt: number; refreshing: boolean }
  | { status: "unavailable"; reason: string; until: number };

export interface IngestResult {
  outcome: IngestOutcome;
  /** Rows aggregated (request payloads only). */
  rows: number;
  message?: string;
}

const HOUR_MS = 3_600_000;

export class IngestService {
  private readonly services = new Map<string, ServiceState>();
  private readonly monitors = new Map<string, MonitorBuffer>();
  private counters = new Map<number, Map<string, number>>();
  private eventsSinceFlush = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly options: Required<Omit<IngestServiceOptions, "onFlushed" | "onError">> &
    Pick<IngestServiceOptions, "onFlushed" | "onError">;

  constructor(options: IngestServiceOptions) {
    this.options = {
      flushIntervalMs: 1_000,
      flushAfterEvents: 10_000,
      maxServices: 200,
      maxEventAgeMs: HOUR_MS,
      maxFutureMs: 5 * 60_000,
      refreshMs: 5 * 60_000,
      retryUnavailableMs: 60_000,
      now: Date.now,
      ...options,
    };
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Counts an event refused before it reached `ingest` (auth, headers, size, JSON). */
  count(outcome: IngestOutcome): void {
    const hour = Math.floor(this.options.now() / HOUR_MS) * HOUR_MS;
    let counts = this.counters.get(hour);
    if (!counts) this.counters.set(hour, (counts = new Map()));
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }

  ingest(event: LoggerEvent, payload: unknown): IngestResult {
    const now = this.options.now();
    const timeMs = event.timeMs ?? now;
    if (timeMs < now - this.options.maxEventAgeMs || timeMs > now + this.options.maxFutureMs) {
      return this.finish({
        outcome: "stale-event",
        rows: 0,
        message: "ce-time is too far from now to be aggregated",
      });
    }
    if (event.kind === "response") {
      if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
        return this.finish({
          outcome: "invalid-payload",
          rows: 0,
          message: "A response payload must be a JSON object",
        });
      }
      return this.finish({ outcome: "accepted-response", rows: 0 });
    }
    // Per endpoint: during a canary the default and canary revisions serve different model versions.
    const key = `${event.namespace}/${event.service}/${event.endpoint === "canary" ? "canary" : "default"}`;
    const state = this.services.get(key);
    if (!state) {
      if (this.services.size >= this.options.maxServices)
        return this.finish({ outcome: "monitor-limit", rows: 0, message: "Too many monitored services" });
      this.resolve(key, event, payload);
      return this.finish({ outcome: "unmonitored", rows: 0 });
    }
    if (state.status === "unavailable") {
      if (now >= state.until) this.resolve(key, event, payload);
      return this.finish({ outcome: "unmonitored", rows: 0 });
    }
    if (!state.monitorId) return this.finish({ outcome: "unmonitored", rows: 0 });
    if (state.status === "ready" && !state.refreshing && now - state.checkedAt >= this.options.refreshMs) {
      state.refreshing = true;
      this.resolve(key, event, payload);
    }
    const buffer = this.monitors.get(state.monitorId)!;
    try {
      const rows = aggregatePayload(buffer.plan, buffer.accumulator, payload, timeMs);
      return this.finish({ outcome: "accepted-request", rows });
    } catch (error) {
      if (error instanceof InferencePayloadError)
        return this.finish({ outcome: "invalid-payload", rows: 0, message: error.message });
      throw error;
    }
  }

  /** Writes everything aggregated so far; concurrent callers share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.writeBuffers().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Services known and monitors buffered, for health output and tests. */
  stats(): { services: number; monitors: number; bufferedWindows: number } {
    let bufferedWindows = 0;
    for (const buffer of this.monitors.values()) bufferedWindows += buffer.accumulator.size;
    return { services: this.services.size, monitors: this.monitors.size, bufferedWindows };
  }

  private finish(result: IngestResult): IngestResult {
    this.count(result.outcome);
    if (++this.eventsSinceFlush >= this.options.flushAfterEvents) void this.flush();
    return result;
  }

  private resolve(key: string, event: LoggerEvent, samplePayload: unknown): void {
    const previous = this.services.get(key);
    const previousMonitorId = previous && previous.status !== "unavailable" ? previous.monitorId : undefined;
    if (!previous || previous.status === "unavailable") this.services.set(key, { status: "resolving" });
    this.options
      .resolveMonitor(event.namespace, event.service, samplePayload, event.endpoint)
      .then((resolution) => {
        const now = this.options.now();
        if ("unavailable" in resolution) {
          this.services.set(key, {
            status: "unavailable",
            reason: resolution.unavailable,
            until: now + this.options.retryUnavailableMs,
          });
          return;
        }
        const { monitor } = resolution;
        if (!this.monitors.has(monitor.id)) {
          const plan = compileAggregationPlan(monitor.features, { windowMinutes: monitor.windowMinutes });
          this.monitors.set(monitor.id, { plan, accumulator: createWindowAccumulator() });
        }
        // A replaced monitor keeps its buffer until the next flush has written it.
        this.services.set(key, { status: "ready", monitorId: monitor.id, checkedAt: now, refreshing: false });
      })
      .catch((error: unknown) => {
        this.options.onError?.(error, `resolving the drift monitor of ${key}`);
        const now = this.options.now();
        if (previousMonitorId)
          this.services.set(key, {
            status: "ready",
            monitorId: previousMonitorId,
            checkedAt: now,
            refreshing: false,
          });
        else
          this.services.set(key, {
            status: "unavailable",
            reason: "lookup failed",
            until: now + this.options.retryUnavailableMs,
          });
      });
  }

  private async writeBuffers(): Promise<void> {
    this.eventsSinceFlush = 0;
    const flushed: string[] = [];
    for (const [monitorId, buffer] of this.monitors) {
      if (buffer.accumulator.size === 0) continue;
      const taken = buffer.accumulator;
      buffer.accumulator = createWindowAccumulator();
      const deltas = drainFeatureWindows(buffer.plan, taken);
      try {
        await this.options.store.addFeatureWindows(monitorId, deltas);
        flushed.push(monitorId);
      } catch (error) {
        this.options.onError?.(error, `flushing drift windows of monitor ${monitorId}`);
        restoreDeltas(buffer, deltas);
      }
    }
    this.dropUnusedMonitors();
    const counters = this.counters;
    this.counters = new Map();
    for (const [hour, counts] of counters) {
      try {
        await this.options.store.addCounters(new Date(hour), counts);
      } catch (error) {
        this.options.onError?.(error, "flushing ingest counters");
        const current = this.counters.get(hour) ?? new Map<string, number>();
        for (const [outcome, count] of counts) current.set(outcome, (current.get(outcome) ?? 0) + count);
        this.counters.set(hour, current);
      }
    }
    if (flushed.length > 0) this.options.onFlushed?.(flushed);
  }

  private dropUnusedMonitors(): void {
    const inUse = new Set<string>();
    for (const state of this.services.values())
      if (state.status !== "unavailable" && state.monitorId) inUse.add(state.monitorId);
    for (const [monitorId, buffer] of this.monitors)
      if (!inUse.has(monitorId) && buffer.accumulator.size === 0) this.monitors.delete(monitorId);
  }
}

/** Puts a failed flush's increments back, so the next flush writes them (additively). */
function restoreDeltas(buffer: MonitorBuffer, deltas: ReturnType<typeof drainFeatureWindows>): void {
  const { plan, accumulator } = buffer;
  for (const delta of deltas) {
    const windowStartMs = delta.windowStart.getTime();
    let window = accumulator.get(windowStartMs);
    if (!window)
      accumulator.set(
        windowStartMs,
        (window = { windowStartMs, rows: 0, counts: new Int32Array(plan.slotTotal) }),
      );
    const feature = plan.featureIndexByName.get(delta.feature)!;
    const offset = plan.offsets[feature];
    for (let slot = 0; slot < delta.counts.length; slot++) window.counts[offset + slot] += delta.counts[slot];
    if (feature === 0) window.rows += delta.total;
  }
}
