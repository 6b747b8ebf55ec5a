import type { ServedService, TrafficSplitAt } from "../kserve/traffic-source";
import type { SeriesRef } from "./evaluate";
import { llmRuntimeOf, LlmSeries, pythonFloat, queueWaitSeconds } from "./llm";
import type { Drift } from "./payloads";
import {
  binomial,
  bucketModel,
  poisson,
  sampleHistogram,
  seededRandom,
  type BucketModel,
  type LatencyDistribution,
  type Random,
} from "./sampling";
import {
  coarseSlotSeconds,
  fieldCount,
  fineSlotSeconds,
  hashHex,
  latencyBucketField,
  latencyBucketsMs,
  latencySumField,
  predictBucketField,
  predictBucketsSeconds,
  predictSumField,
  responseClasses,
  RevisionSeries,
  type Tier,
} from "./series-store";

/**
 * Simulated inference traffic per revision: Poisson request counts following a daily cycle, split
 * by the services' traffic percentages over time, log-normal latencies per model format, error
 * rates, and per-revision faults injected by tests (latency, errors, feature drift).
 */

export interface RevisionOverride {
  /** Multiplies the median latency. */
  latencyFactor?: number;
  /** Added to every request's latency. */
  extraLatencyMs?: number;
  /** Share of requests answered 5xx (default 0.3 %). */
  errorRate?: number;
  /** Feature shifts for logged payloads, in standard deviations. */
  drift?: Drift;
  /** LLM revisions: requests kept waiting in the engine's queue (the batch stays full meanwhile). */
  queueBacklog?: number;
}

export interface TrafficTarget {
  namespace: string;
  service: string;
  revision: string;
  percent: number;
  modelFormat?: string;
  /** The ServingRuntime's name: an LLM's engine (vLLM or TGI) follows from it and the format. */
  runtime?: string;
  endpoint: "default" | "canary";
}

const formatLatency: Record<string, { medianMs: number; sigma: number }> = {
  sklearn: { medianMs: 9, sigma: 0.45 },
  xgboost: { medianMs: 14, sigma: 0.4 },
  lightgbm: { medianMs: 11, sigma: 0.4 },
  pytorch: { medianMs: 48, sigma: 0.5 },
  tensorflow: { medianMs: 32, sigma: 0.5 },
  onnx: { medianMs: 12, sigma: 0.4 },
  huggingface: { medianMs: 850, sigma: 0.55 },
};
const defaultLatency = { medianMs: 25, sigma: 0.5 };

/** Requests per second at the daily average, for the seeded services; others get a stable 1–8. */
const serviceRates: Record<string, number> = {
  "churn-classifier": 12,
  "network-anomaly": 30,
  "support-assistant-llm": 1.5,
  "ticket-summariser-llm": 0.8,
  "sim-swap-fraud": 8,
  "capacity-forecast": 0.6,
};

const unitHash = (text: string) => parseInt(hashHex(text, 6), 36) / 36 ** 6;

export const baseErrorRate = 0.003;
/** About 1.5 MB each: a long-lived sandbox that tests keep adding services to stays under ~300 MB. */
const maxRevisionSeries = 200;
const clientErrorRate = 0.008;

/** Busiest mid-afternoon UTC, quietest at night. */
export const dailyLoad = (t: number) =>
  1 + 0.45 * Math.sin((2 * Math.PI * ((t / 3600) % 24) - 2 * Math.PI * 9) / 24);

export const requestRateOf = (service: string) =>
  serviceRates[service] ?? 1 + Math.floor(unitHash(service) * 8);

export interface TrafficObserver {
  /** Called for live traffic only (not the backfill), with the successful request count. */
  onRequests(target: TrafficTarget, successful: number): void;
}

export class TrafficGenerator {
  private readonly series = new Map<string, RevisionSeries>();
  private readonly random: Random;
  private catalogue?: SeriesRef[];
  private readonly models = new Map<string, BucketModel>();
  readonly overrides = new Map<string, RevisionOverride>();
  generatedUntil = 0;

  constructor(
    seed: number,
    private readonly observer?: TrafficObserver,
  ) {
    this.random = seededRandom(seed);
  }

  /**
   * Fills the retention with history up to `now`: 5 min intervals until the last 6 hours, 15 s
   * intervals after, each split by the traffic in force at the time.
   */
  backfill(now: number, days: number, history: TrafficSplitAt[], services: ServedService[]) {
    // No history at all (a Prometheus started with the sandbox then holds the same samples).
    this.generatedUntil = now;
    if (days <= 0) return;
    const formats = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s.modelFormat]));
    const runtimes = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s.runtime]));
    const timelines = new Map<string, TrafficSplitAt[]>();
    for (const entry of history) {
      const key = `${entry.namespace}/${entry.name}`;
      if (!timelines.has(key)) timelines.set(key, []);
      timelines.get(key)!.push(entry);
    }
    const targetsAt = (t: number): TrafficTarget[] => {
      const targets: TrafficTarget[] = [];
      for (const [key, entries] of timelines) {
        let current: TrafficSplitAt | undefined;
        for (const entry of entries) if (entry.at <= t * 1000) current = entry;
        if (!current) continue;
        const [namespace, service] = key.split("/");
        const shares = new Map<string, number>();
        for (const { revisionName, percent } of current.split)
          shares.set(revisionName, (shares.get(revisionName) ?? 0) + percent);
        for (const [revision, percent] of shares)
          targets.push({
            namespace,
            service,
            revision,
            percent,
            modelFormat: formats.get(key),
            runtime: runtimes.get(key),
            endpoint: "default",
          });
      }
      return targets;
    };
    const start = Math.floor((now - days * 86400) / coarseSlotSeconds) * coarseSlotSeconds;
    const fineStart =
      (Math.floor(now / fineSlotSeconds) - (6 * 3600) / fineSlotSeconds + 1) * fineSlotSeconds;
    for (let t = start; t < fineStart; t += coarseSlotSeconds) {
      const end = Math.min(t + coarseSlotSeconds, fineStart);
      this.generateInterval(t, end, targetsAt((t + end) / 2), false, false);
    }
    for (let t = Math.max(start, fineStart); t < now; t += fineSlotSeconds) {
      const end = Math.min(t + fineSlotSeconds, now);
      this.generateInterval(t, end, targetsAt((t + end) / 2), true, false);
    }
    this.generatedUntil = now;
  }

  /** Generates live traffic from where it stopped to `now`, in 15 s slot pieces. */
  advance(now: number, services: ServedService[]) {
    const targets = targetsOf(services);
    // After a long pause (a suspended laptop), leave a gap rather than invent hours of traffic.
    let cursor = Math.max(this.generatedUntil, now - 6 * 3600);
    while (cursor < now) {
      const end = Math.min((Math.floor(cursor / fineSlotSeconds) + 1) * fineSlotSeconds, now);
      this.generateInterval(cursor, end, targets, true, true);
      cursor = end;
    }
    this.generatedUntil = Math.max(this.generatedUntil, now);
    // Memory stays bounded: forget revisions that aged out, and beyond the cap the longest idle.
    const idleFirst = [...this.series].sort(([, a], [, b]) => a.lastServedAt - b.lastServedAt);
    idleFirst.forEach(([key, series], index) => {
      if (series.isEmpty || index < idleFirst.length - maxRevisionSeries) {
        this.series.delete(key);
        this.catalogue = undefined;
      }
    });
  }

  private seriesFor(target: TrafficTarget): RevisionSeries {
    const key = `${target.namespace}/${target.revision}`;
    let series = this.series.get(key);
    if (!series) {
      series = new RevisionSeries({
        namespace: target.namespace,
        service: target.service,
        revision: target.revision,
      });
      const runtime = llmRuntimeOf(target.modelFormat, target.runtime);
      if (runtime) series.llm = new LlmSeries(target.service, target.namespace, series.pod, runtime);
      this.series.set(key, series);
      this.catalogue = undefined;
    }
    return series;
  }

  latencyOf(target: TrafficTarget, t: number): LatencyDistribution {
    const isLlm = llmRuntimeOf(target.modelFormat, target.runtime) !== null;
    const profile = isLlm
      ? formatLatency.huggingface
      : (formatLatency[target.modelFormat ?? ""] ?? defaultLatency);
    const override = this.overrides.get(target.revision);
    // Each revision is a little faster or slower than the last, so canaries have something to show.
    const revisionFactor = 0.85 + 0.3 * unitHash(target.revision);
    const loadFactor = 1 + 0.12 * (dailyLoad(t) - 1);
    // An LLM's queue backlog delays every request by the wait for a free batch slot.
    const queueMs = isLlm ? queueWaitSeconds(override?.queueBacklog ?? 0) * 1000 : 0;
    return {
      median: profile.medianMs * revisionFactor * loadFactor * (override?.latencyFactor ?? 1),
      sigma: profile.sigma,
      shift: (override?.extraLatencyMs ?? 0) + queueMs,
    };
  }

  /** Bucket probabilities are costly (erf, exp); latencies repeat within 0.1 %, so cache them. */
  private modelFor(bounds: number[], d: LatencyDistribution): BucketModel {
    const rounded = {
      median: Number(d.median.toPrecision(3)),
      sigma: d.sigma,
      shift: Number(d.shift.toPrecision(4)),
    };
    const key = `${bounds.length}|${rounded.median}|${rounded.sigma}|${rounded.shift}`;
    let model = this.models.get(key);
    if (!model) {
      if (this.models.size > 5000) this.models.clear();
      this.models.set(key, (model = bucketModel(bounds, rounded)));
    }
    return model;
  }

  private generateInterval(
    start: number,
    end: number,
    targets: TrafficTarget[],
    fine: boolean,
    live: boolean,
  ) {
    const seconds = end - start;
    if (seconds <= 0) return;
    const increments = new Float64Array(fieldCount);
    for (const target of targets) {
      const series = this.seriesFor(target);
      series.lastServedAt = end;
      if (target.percent <= 0) {
        // Routed at 0 % (a rolled-back canary keeps its tag): pods stay up, counters stay flat.
        if (fine) series.fine.markPresent(start);
        series.coarse.markPresent(start);
        series.llm?.markPresent(start, fine);
        continue;
      }
      const rate = requestRateOf(target.service) * dailyLoad((start + end) / 2) * (target.percent / 100);
      const total = poisson(rate * seconds, this.random);
      const errorRate = this.overrides.get(target.revision)?.errorRate ?? baseErrorRate;
      const serverErrors = binomial(total, errorRate, this.random);
      const clientErrors = binomial(total - serverErrors, clientErrorRate, this.random);
      const perClass = [total - serverErrors - clientErrors, clientErrors, serverErrors];
      const latency = this.latencyOf(target, (start + end) / 2);
      increments.fill(0);
      perClass.forEach((n, classIndex) => {
        if (!n) return;
        const { counts, sum } = sampleHistogram(n, this.modelFor(latencyBucketsMs, latency), this.random);
        let running = 0;
        counts.forEach((count, bucket) => {
          running += count;
          increments[latencyBucketField(classIndex, bucket)] = running;
        });
        increments[latencySumField(classIndex)] = sum;
      });
      // The model server sees the same requests, minus the queue-proxy's own overhead.
      const predict = sampleHistogram(
        total,
        this.modelFor(predictBucketsSeconds, {
          median: (latency.median * 0.93) / 1000,
          sigma: latency.sigma,
          shift: latency.shift / 1000,
        }),
        this.random,
      );
      let running = 0;
      predict.counts.forEach((count, bucket) => {
        running += count;
        increments[predictBucketField(bucket)] = running;
      });
      increments[predictSumField] = predict.sum;
      series.add(start, increments, fine);
      if (series.llm) {
        const llm = series.llm.generate(
          {
            requests: total - serverErrors,
            seconds,
            // The revision's own pace and any injected slowdown, as the queue-proxy sees them.
            speedFactor: latency.median / (formatLatency.huggingface.medianMs * loadFactorOf(start, end)),
            backlog: this.overrides.get(target.revision)?.queueBacklog ?? 0,
          },
          this.random,
        );
        series.llm.add(start, llm, fine);
      }
      if (live && perClass[0] > 0) this.observer?.onRequests(target, perClass[0]);
    }
    for (const series of this.series.values()) {
      series.advanceTo(start);
      series.llm?.advanceTo(start);
    }
  }

  /**
   * Every series the Prometheus API can select and /metrics exposes, with the real names and labels:
   * Knative's queue-proxy metrics (knative/docs docs/serving/metrics.md; its container_name label is
   * left out) and KServe's model server histogram (kserve/kserve python/kserve/kserve/metrics.py,
   * label model_name; namespace and pod come from the scrape's relabelling).
   */
  refs(): SeriesRef[] {
    if (this.catalogue) return this.catalogue;
    const refs: SeriesRef[] = [];
    for (const series of this.series.values()) {
      const { namespace, service, revision } = series.identity;
      const knative = {
        namespace_name: namespace,
        service_name: `${service}-predictor`,
        configuration_name: `${service}-predictor`,
        revision_name: revision,
        pod_name: series.pod,
      };
      responseClasses.forEach(({ codeClass, code }, classIndex) => {
        const labels = { ...knative, response_code: code, response_code_class: codeClass };
        [...latencyBucketsMs, Infinity].forEach((le, bucket) => {
          refs.push({
            labels: {
              __name__: "revision_app_request_latencies_bucket",
              ...labels,
              le: le === Infinity ? "+Inf" : String(le),
            },
            revision: series,
            field: latencyBucketField(classIndex, bucket),
          });
        });
        const countField = latencyBucketField(classIndex, latencyBucketsMs.length);
        refs.push({
          labels: { __name__: "revision_app_request_latencies_count", ...labels },
          revision: series,
          field: countField,
        });
        refs.push({
          labels: { __name__: "revision_app_request_latencies_sum", ...labels },
          revision: series,
          field: latencySumField(classIndex),
        });
        refs.push({
          labels: { __name__: "revision_app_request_count", ...labels },
          revision: series,
          field: countField,
        });
      });
      const kserve = { model_name: service, namespace, pod: series.pod };
      [...predictBucketsSeconds, Infinity].forEach((le, bucket) => {
        refs.push({
          labels: { __name__: "request_predict_seconds_bucket", ...kserve, le: pythonFloat(le) },
          revision: series,
          field: predictBucketField(bucket),
        });
      });
      refs.push({
        labels: { __name__: "request_predict_seconds_count", ...kserve },
        revision: series,
        field: predictBucketField(predictBucketsSeconds.length),
      });
      refs.push({
        labels: { __name__: "request_predict_seconds_sum", ...kserve },
        revision: series,
        field: predictSumField,
      });
      if (series.llm) refs.push(...series.llm.refs());
    }
    this.catalogue = refs;
    return refs;
  }

  revisions(): RevisionSeries[] {
    return [...this.series.values()];
  }

  /** Raw generated counts per slot, for tests to compare query results with. */
  counts(
    revision: string,
    namespace: string | undefined,
    startSeconds: number,
    endSeconds: number,
    resolution: "fine" | "coarse",
  ) {
    const series = [...this.series.values()].find(
      (s) => s.identity.revision === revision && (!namespace || s.identity.namespace === namespace),
    );
    if (!series) return undefined;
    const tier: Tier = resolution === "fine" ? series.fine : series.coarse;
    const slots = [];
    const first = Math.max(Math.floor(startSeconds / tier.slotSeconds), tier.oldest);
    const last = Math.min(Math.ceil(endSeconds / tier.slotSeconds) - 1, tier.latest);
    for (let slot = first; slot <= last; slot++) {
      const offset = tier.offsetOf(slot);
      if (offset < 0) continue;
      const field = (f: number) => tier.data[offset + f];
      const cumulativeToCounts = (fields: number[]) =>
        fields.map((f, i) => field(f) - (i ? field(fields[i - 1]) : 0));
      slots.push({
        start: slot * tier.slotSeconds,
        end: Math.min((slot + 1) * tier.slotSeconds, this.generatedUntil),
        present: tier.isPresent(slot),
        requests: Object.fromEntries(
          responseClasses.map(({ codeClass }, k) => [
            codeClass,
            field(latencyBucketField(k, latencyBucketsMs.length)),
          ]),
        ),
        latencyMs: Object.fromEntries(
          responseClasses.map(({ codeClass }, k) => [
            codeClass,
            {
              buckets: cumulativeToCounts(
                latencyBucketsMs
                  .map((_, i) => latencyBucketField(k, i))
                  .concat(latencyBucketField(k, latencyBucketsMs.length)),
              ),
              sum: field(latencySumField(k)),
            },
          ]),
        ),
        predictSeconds: {
          buckets: cumulativeToCounts(
            [...predictBucketsSeconds.keys(), predictBucketsSeconds.length].map(predictBucketField),
          ),
          sum: field(predictSumField),
        },
      });
    }
    return {
      namespace: series.identity.namespace,
      service: series.identity.service,
      revision,
      resolutionSeconds: tier.slotSeconds,
      generatedUntil: this.generatedUntil,
      latencyBucketsMs,
      predictBucketsSeconds,
      slots,
    };
  }
}

const loadFactorOf = (start: number, end: number) => 1 + 0.12 * (dailyLoad((start + end) / 2) - 1);

export function targetsOf(services: ServedService[]): TrafficTarget[] {
  return services.flatMap((service) =>
    service.revisions.map((revision) => ({
      namespace: service.namespace,
      service: service.name,
      revision: revision.name,
      percent: revision.percent,
      modelFormat: revision.modelFormat ?? service.modelFormat,
      runtime: service.runtime,
      endpoint: revision.endpoint,
    })),
  );
}
