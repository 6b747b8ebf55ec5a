/**
 * Generated request histograms in bounded memory: per revision, two ring buffers of time slots,
 * 15 s for the last 6 hours and 5 min for 8 days, each slot holding per-slot increments of every
 * counter (cumulative histogram buckets, counts, sums). Every increment goes into both tiers, so
 * the coarse tier alone covers the whole retention. About 1.5 MB per revision, whatever the uptime.
 */

/** Knative queue-proxy's latency distribution (milliseconds), without +Inf. */
export const latencyBucketsMs = [5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
/** prometheus_client's default buckets (seconds), used by the KServe model server's request_predict_seconds. */
export const predictBucketsSeconds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
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

export class Tier {
  readonly data: Float32Array;
  readonly present: Uint8Array;
  /** Absolute number (unix seconds / slotSeconds) of the newest slot; -1 before the first write. */
  latest = -1;

  constructor(
    readonly slotSeconds: number,
    readonly capacity: number,
  ) {
    this.data = new Float32Array(capacity * fieldCount);
    this.present = new Uint8Array(capacity);
  }

  /** Moves the ring forward to `slot`, clearing the slots it reuses. */
  advanceTo(slot: number) {
    if (slot <= this.latest) return;
    const from = this.latest < 0 ? slot : Math.max(this.latest + 1, slot - this.capacity + 1);
    for (let s = from; s <= slot; s++) {
      const index = this.ringIndex(s);
      this.data.fill(0, index * fieldCount, (index + 1) * fieldCount);
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
    return this.ringIndex(slot) * fieldCount;
  }

  isPresent(slot: number) {
    return this.offsetOf(slot) >= 0 && this.present[this.ringIndex(slot)] === 1;
  }

  /** Adds increments to the slot containing `atSeconds` and marks the series present there. */
  add(atSeconds: number, increments: Float64Array | number[]) {
    const slot = Math.floor(atSeconds / this.slotSeconds);
    this.advanceTo(slot);
    const offset = this.offsetOf(slot);
    if (offset < 0) return;
    for (let f = 0; f < fieldCount; f++) if (increments[f]) this.data[offset + f] += increments[f];
    this.present[this.ringIndex(slot)] = 1;
  }

  markPresent(atSeconds: number) {
    const slot = Math.floor(atSeconds / this.slotSeconds);
    this.advanceTo(slot);
    if (this.offsetOf(slot) >= 0) this.present[this.ringIndex(slot)] = 1;
  }
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

  constructor(readonly identity: RevisionIdentity) {
    this.pod = `${identity.revision}-deployment-${hashHex(identity.revision, 10)}-${hashHex(`${identity.revision}/pod`, 5)}`;
  }

  add(atSeconds: number, increments: Float64Array, fine: boolean) {
    if (fine) this.fine.add(atSeconds, increments);
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
  return out.replace(/[^a-z0-9]/g, "").slice(0, length).padEnd(length, "0");
}

/**
 * The running total of one field in one tier as a function of time, interpolating linearly inside
 * a slot (traffic is uniform within it). The newest slot only covers up to `generatedUntil`.
 */
export function cumulative(tier: Tier, field: number, generatedUntil: number): (t: number) => number {
  const { oldest, latest, slotSeconds } = tier;
  const n = Math.max(0, latest - oldest + 1);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const offset = tier.offsetOf(oldest + i);
    prefix[i + 1] = prefix[i] + (field < 0 ? (tier.isPresent(oldest + i) ? slotSpan(tier, oldest + i, generatedUntil) : 0) : tier.data[offset + field]);
  }
  return (t) => {
    if (latest < 0) return 0;
    const slot = Math.floor(t / slotSeconds);
    if (slot < oldest) return 0;
    if (slot > latest) return prefix[n];
    const i = slot - oldest;
    const start = slot * slotSeconds;
    const span = slotSpan(tier, slot, generatedUntil);
    const fraction = span > 0 ? Math.min(1, Math.max(0, (t - start) / span)) : 1;
    return prefix[i] + fraction * (prefix[i + 1] - prefix[i]);
  };
}

/** Pseudo-field for `cumulative`: seconds during which the series existed. */
export const presenceField = -1;

function slotSpan(tier: Tier, slot: number, generatedUntil: number) {
  const start = slot * tier.slotSeconds;
  return Math.max(0, Math.min(start + tier.slotSeconds, generatedUntil) - start);
}
