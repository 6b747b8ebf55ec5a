import type { LlmSeries } from "./llm";

/**
 * Generated request histograms in bounded memory: per revision, two ring buffers of time slots,
 * 15 s for the last 6 hours and 5 min for 8 days, each slot holding per-slot increments of every
 * counter (cumulative histogram buckets, counts, sums). Every increment goes into both tiers, so
 * the coarse tier alone covers the whole retention. About 1.5 MB per revision, whatever the uptime.
 *
 * Each tier also keeps `base`, the total of the increments it no longer holds, so a counter's value
 * at a slot boundary (base + the slots before it) is its total since the sandbox started: monotonic,
 * like the queue-proxy's own counters, whatever falls out of the ring.
 */

/** Knative queue-proxy's latency distribution (milliseconds), without +Inf. */
export const latencyBucketsMs = [
  5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 5000,
  10000, 20000, 50000, 100000,
];
/** prometheus_client's default buckets (seconds), used by the KServe model server's request_predict_seconds. */
export const predictBucketsSeconds = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];
export const responseClasses = [
  { codeClass: "2xx", code: "200" },
  { codeClass: "4xx", code: "400" },
  { codeClass: "5xx", code: "500" },
] as const;

const msFields = latencyBucketsMs.length + 1; // + the +Inf bucket
const classStride = msFields + 1; // + the sum
const predictBase = responseClasses.length * classStride;
export const fieldCount = predictBase + predictBucketsSeconds.length + 2;

/** Field of class k's cumulative latency bucket i (i = latencyBucketsMs.length is +Inf, i.e. the count). */
export const latencyBucketField = (classIndex: number, bucket: number) => classIndex * classStride + bucket;
export const latencySumField = (classIndex: number) => classIndex * classStride + msFields;
export const predictBucketField = (bucket: number) => predictBase + bucket;
export const predictSumField = predictBase + predictBucketsSeconds.length + 1;

export const fineSlotSeconds = 15;
export const coarseSlotSeconds = 300;
const fineCapacity = (6 * 3600) / fineSlotSeconds;
const coarseCapacity = (8 * 86400) / coarseSlotSeconds;

/**
 * A ring of slots, each holding `fields` numbers. Counter fields hold per-slot increments; gauge
 * fields (`gauges`) hold the value at the slot's end (a later write in the same slot replaces it),
 * so a gauge's sample at a boundary is its slot's value, not a running total.
 */
export class Tier {
  readonly data: Float32Array;
  readonly present: Uint8Array;
  /** Per field, the increments older than the ring (evicted, or never stored in this tier). */
  readonly base: Float64Array;
  /** Absolute number (unix seconds / slotSeconds) of the newest slot; -1 before the first write. */
  latest = -1;

  constructor(
    readonly slotSeconds: number,
    readonly capacity: number,
    readonly fields: number = fieldCount,
    readonly gauges: ReadonlySet<number> = new Set(),
  ) {
    this.data = new Float32Array(capacity * fields);
    this.present = new Uint8Array(capacity);
    this.base = new Float64Array(fields);
  }

  /** Moves the ring forward to `slot`, clearing the slots it reuses. */
  advanceTo(slot: number) {
    if (slot <= this.latest) return;
    const from = this.latest < 0 ? slot : Math.max(this.latest + 1, slot - this.capacity + 1);
    for (let s = from; s <= slot; s++) {
      const index = this.ringIndex(s);
      for (let f = 0; f < this.fields; f++) this.base[f] += this.data[index * this.fields + f];
      this.data.fill(0, index * this.fields, (index + 1) * this.fields);
      this.present[index] = 0;
    }
    this.latest = slot;
  }

  get oldest() {
    return this.latest - this.capacity + 1;
  }

  ringIndex(slot: number) {
    return ((slot % this.capacity) + this.capacity) % this.capacity;
  }

  /** Offset of a slot's fields in `data`, or -1 when it is outside the ring. */
  offsetOf(slot: number): number {
    if (slot > this.latest || slot < this.oldest || this.latest < 0) return -1;
    return this.ringIndex(slot) * this.fields;
  }

  isPresent(slot: number) {
    return this.offsetOf(slot) >= 0 && this.present[this.ringIndex(slot)] === 1;
  }

  /** Adds increments to the slot containing `atSeconds` and marks the series present there. */
  add(atSeconds: number, increments: Float64Array | number[]) {
    const slot = Math.floor(atSeconds / this.slotSeconds);
    this.advanceTo(slot);
    const offset = this.offsetOf(slot);
    if (offset < 0) return this.addToBase(increments);
    for (let f = 0; f < this.fields; f++) {
      if (this.gauges.has(f)) this.data[offset + f] = increments[f];
      else if (increments[f]) this.data[offset + f] += increments[f];
    }
    this.present[this.ringIndex(slot)] = 1;
  }

  addToBase(increments: Float64Array | number[]) {
    for (let f = 0; f < this.fields; f++) if (!this.gauges.has(f)) this.base[f] += increments[f];
  }

  markPresent(atSeconds: number) {
    const slot = Math.floor(atSeconds / this.slotSeconds);
    this.advanceTo(slot);
    if (this.offsetOf(slot) >= 0) this.present[this.ringIndex(slot)] = 1;
  }
}

/** Anything with the two tiers the evaluator and /metrics read samples from. */
export interface SampledSeries {
  readonly fine: Tier;
  readonly coarse: Tier;
}

export interface RevisionIdentity {
  namespace: string;
  service: string;
  revision: string;
}

export class RevisionSeries {
  readonly fine = new Tier(fineSlotSeconds, fineCapacity);
  readonly coarse = new Tier(coarseSlotSeconds, coarseCapacity);
  readonly pod: string;
  /** Unix seconds of the latest interval the revision was served in. */
  lastServedAt = 0;
  /** An LLM revision's engine and GPU series (sandbox/prometheus/llm.ts). */
  llm?: LlmSeries;

  constructor(readonly identity: RevisionIdentity) {
    this.pod = `${identity.revision}-deployment-${hashHex(identity.revision, 10)}-${hashHex(`${identity.revision}/pod`, 5)}`;
  }

  /** Backfill older than 6 hours goes to the coarse tier only; the fine tier still counts it in its base. */
  add(atSeconds: number, increments: Float64Array, fine: boolean) {
    if (fine) this.fine.add(atSeconds, increments);
    else this.fine.addToBase(increments);
    this.coarse.add(atSeconds, increments);
  }

  advanceTo(atSeconds: number) {
    this.fine.advanceTo(Math.floor(atSeconds / fineSlotSeconds));
    this.coarse.advanceTo(Math.floor(atSeconds / coarseSlotSeconds));
  }

  /** True when no slot in the retention holds data: the revision can be forgotten. */
  get isEmpty() {
    return !this.coarse.present.some((p) => p === 1);
  }
}

/** A stable pseudo-random hex string, for pod-name suffixes. */
export function hashHex(text: string, length: number): string {
  let h = 2166136261;
  let out = "";
  for (let round = 0; out.length < length; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    h = Math.imul(h ^ round, 16777619);
    out += (h >>> 0).toString(36);
  }
  return out
    .replace(/[^a-z0-9]/g, "")
    .slice(0, length)
    .padEnd(length, "0");
}

/**
 * The samples a Prometheus scraping the sandbox stores for one tier: one per slot boundary the
 * traffic has passed, where the slot before it is present (the series was exposed), valued at the
 * counter's total since start. /metrics publishes exactly these, with their timestamps, and the
 * query API evaluates PromQL over the same ones, so both answer alike (docs/decisions/011).
 * Boundary j (1..count) is the end of ring slot `oldest + j - 1`.
 */
export class TierSamples {
  readonly count: number;
  private readonly oldest: number;
  private readonly has: Uint8Array;
  /** Boundaries with a sample among 1..j. */
  private readonly seen: Int32Array;
  private readonly next: Int32Array;
  private readonly previous: Int32Array;
  private readonly totals = new Map<number, Float64Array>();

  constructor(
    private readonly tier: Tier,
    generatedUntil: number,
  ) {
    this.oldest = tier.oldest;
    const lastBoundary = Math.min(tier.latest + 1, Math.floor(generatedUntil / tier.slotSeconds));
    this.count = tier.latest < 0 ? 0 : Math.max(0, lastBoundary - this.oldest);
    const n = this.count;
    this.has = new Uint8Array(n + 2);
    this.seen = new Int32Array(n + 2);
    this.next = new Int32Array(n + 2).fill(-1);
    this.previous = new Int32Array(n + 2).fill(-1);
    for (let j = 1; j <= n; j++) {
      this.has[j] = tier.isPresent(this.oldest + j - 1) ? 1 : 0;
      this.seen[j] = this.seen[j - 1] + this.has[j];
      this.previous[j] = this.has[j] ? j : this.previous[j - 1];
    }
    for (let j = n; j >= 1; j--) this.next[j] = this.has[j] ? j : this.next[j + 1];
  }

  /** Unix seconds of boundary j. */
  time(j: number) {
    return (this.oldest + j) * this.tier.slotSeconds;
  }

  /** The earliest boundary this tier can answer for. */
  get firstTime() {
    return this.time(1);
  }

  hasSample(j: number) {
    return j >= 1 && j <= this.count && this.has[j] === 1;
  }

  /** A counter's total at boundary j (the base plus every slot before it), or a gauge's value there. */
  value(field: number, j: number): number {
    if (this.tier.gauges.has(field))
      return this.tier.data[this.tier.ringIndex(this.oldest + j - 1) * this.tier.fields + field];
    let totals = this.totals.get(field);
    if (!totals) {
      totals = new Float64Array(this.count + 1);
      totals[0] = this.tier.base[field];
      for (let i = 1; i <= this.count; i++)
        totals[i] =
          totals[i - 1] + this.tier.data[this.tier.ringIndex(this.oldest + i - 1) * this.tier.fields + field];
      this.totals.set(field, totals);
    }
    return totals[j];
  }

  /** Samples within [from, to], both ends included as in Prometheus 2.x range selectors (times in whole milliseconds). */
  window(from: number, to: number): { first: number; last: number; samples: number } | undefined {
    const slotMs = this.tier.slotSeconds * 1000;
    const lo = Math.max(1, Math.ceil(Math.round(from * 1000) / slotMs) - this.oldest);
    const hi = Math.min(this.count, Math.floor(Math.round(to * 1000) / slotMs) - this.oldest);
    if (lo > hi) return undefined;
    const first = this.next[lo];
    if (first < 0 || first > hi) return undefined;
    return { first, last: this.previous[hi], samples: this.seen[hi] - this.seen[lo - 1] };
  }
}

export interface SampleAt {
  samples: TierSamples;
  j: number;
}

/**
 * A revision's samples as one series history: every 5 minutes until the 15 s ring begins, every
 * 15 s after. A Prometheus scraping since the start has 15 s samples throughout; the sandbox keeps
 * only 6 hours of them (docs/sandbox.md, known differences).
 */
export class RevisionSamples {
  private readonly split: number;

  constructor(
    private readonly fine: TierSamples,
    private readonly coarse: TierSamples,
  ) {
    this.split = fine.count > 0 ? fine.firstTime : Infinity;
  }

  /** Samples within [from, to], both ends included. */
  window(from: number, to: number): { first: SampleAt; last: SampleAt; samples: number } | undefined {
    const older = from < this.split ? this.coarse.window(from, Math.min(to, this.split - 0.001)) : undefined;
    const recent = to >= this.split ? this.fine.window(Math.max(from, this.split), to) : undefined;
    if (!older && !recent) return undefined;
    return {
      first: older ? { samples: this.coarse, j: older.first } : { samples: this.fine, j: recent!.first },
      last: recent ? { samples: this.fine, j: recent.last } : { samples: this.coarse, j: older!.last },
      samples: (older?.samples ?? 0) + (recent?.samples ?? 0),
    };
  }
}
