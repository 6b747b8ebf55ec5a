import { randomUUID } from "node:crypto";
import {
  churnLogit,
  contractTypes,
  customerFeatureRow,
  defaultSeed,
  paymentMethods,
  type CustomerFeatureRow,
} from "../data/telco";
import { standardNormal, type Random } from "./sampling";

/**
 * What KServe's payload logger would post for a sample of requests: CloudEvents 1.0 in binary mode
 * (ce-* headers), a v1 `{"instances": [...]}` request with telco features and its
 * `{"predictions": [...]}` response. Feature drift injected per revision shifts the distributions.
 */

type Feature =
  | {
      name: string;
      kind: "numeric";
      mean: number;
      std: number;
      min?: number;
      max?: number;
      integer?: boolean;
    }
  | { name: string; kind: "category"; values: string[]; weights: number[] };

const numeric = (
  name: string,
  mean: number,
  std: number,
  options: { min?: number; max?: number; integer?: boolean } = {},
): Feature => ({ name, kind: "numeric", mean, std, ...options });
const category = (name: string, values: string[], weights: number[]): Feature => ({
  name,
  kind: "category",
  values,
  weights,
});

const cells = Array.from({ length: 12 }, (_, i) => `CELL-${String(4100 + i * 7)}`);

const featureSets: Record<string, Feature[]> = {
  "network-anomaly": [
    category(
      "cell_id",
      cells,
      cells.map(() => 1),
    ),
    numeric("throughput_mbps", 118, 42, { min: 0 }),
    numeric("latency_ms", 28, 9, { min: 1 }),
    numeric("packet_loss_pct", 0.4, 0.3, { min: 0 }),
    numeric("jitter_ms", 4.5, 2, { min: 0 }),
    numeric("prb_utilization", 0.55, 0.18, { min: 0, max: 1 }),
    numeric("handover_failures", 0.8, 1, { min: 0, integer: true }),
  ],
  "sim-swap-fraud": [
    numeric("sim_age_days", 420, 300, { min: 0, integer: true }),
    numeric("swaps_last_30d", 0.2, 0.5, { min: 0, integer: true }),
    numeric("device_changes_30d", 0.4, 0.7, { min: 0, integer: true }),
    numeric("port_out_requests_90d", 0.05, 0.25, { min: 0, integer: true }),
    numeric("account_age_months", 46, 30, { min: 0, integer: true }),
    category("channel", ["store", "online", "call-centre"], [0.3, 0.5, 0.2]),
  ],
  "capacity-forecast": [
    category(
      "site_id",
      ["SITE-NORTH-01", "SITE-NORTH-02", "SITE-EAST-07", "SITE-SOUTH-03", "SITE-WEST-11"],
      [1, 1, 1, 1, 1],
    ),
    numeric("hour_of_day", 12, 6.5, { min: 0, max: 23, integer: true }),
    numeric("avg_load_erlangs", 310, 90, { min: 0 }),
    numeric("peak_users", 1800, 600, { min: 0, integer: true }),
    numeric("backhaul_utilization", 0.48, 0.15, { min: 0, max: 1 }),
  ],
  "support-assistant-llm": [
    category("customer_tier", ["consumer", "business", "enterprise"], [0.7, 0.22, 0.08]),
    numeric("max_tokens", 256, 64, { min: 16, max: 1024, integer: true }),
    numeric("temperature", 0.3, 0.1, { min: 0, max: 1 }),
  ],
  "ticket-summariser-llm": [
    category("queue", ["billing", "network", "devices"], [0.45, 0.35, 0.2]),
    numeric("max_new_tokens", 192, 48, { min: 16, max: 512, integer: true }),
    numeric("temperature", 0.2, 0.05, { min: 0, max: 1 }),
  ],
};

const genericFeatures: Feature[] = [
  numeric("feature_a", 0, 1),
  numeric("feature_b", 10, 3),
  numeric("feature_c", 100, 25, { min: 0 }),
  category("segment", ["a", "b", "c"], [0.5, 0.3, 0.2]),
];

const prompts = [
  "Why is my bill higher this month?",
  "How do I enable roaming for my trip to Spain?",
  "My mobile data stopped working after the update.",
  "Can I port my number to a business plan?",
  "The broadband keeps dropping every evening.",
  "How do I set up eSIM on a new phone?",
];

const featuresOf = (service: string) => featureSets[service] ?? genericFeatures;

/**
 * The churn classifier scores customers drawn exactly as its training table's (sandbox/data/telco.ts,
 * another seed: new people, same population), so with no drift injected its live inputs match the
 * reference and nothing drifts. Drift shifts a numeric input by that many of these spreads (about
 * the training column's standard deviation) and moves a categorical one towards its last value.
 */
const churnInputs = {
  tenure_months: 21,
  monthly_charges: 24,
  data_usage_gb: 11,
  dropped_call_rate: 0.012,
  support_tickets: 1.2,
  contract_type: contractTypes,
  payment_method: paymentMethods,
} as const;
const servingSeed = defaultSeed + 1;

function churnInstance(drift: Drift, random: Random): Record<string, number | string> {
  const customer = customerFeatureRow(Math.floor(random() * 2 ** 31), servingSeed);
  return Object.fromEntries(
    Object.entries(churnInputs).map(([name, spread]) => {
      const value = customer[name as keyof typeof churnInputs];
      const shift = drift[name] ?? 0;
      if (!shift) return [name, value];
      if (typeof spread !== "number")
        return [name, random() < Math.max(0, shift) / (1 + Math.max(0, shift)) ? spread.at(-1)! : value];
      const shifted = Math.max(0, (value as number) + shift * spread);
      return [name, Number.isInteger(value) ? Math.round(shifted) : Math.round(shifted * 1e4) / 1e4];
    }),
  );
}

/** Per-feature shift in standard deviations (numeric) or weight moved to the last category. */
export type Drift = Record<string, number>;

function drawFeature(feature: Feature, drift: number, random: Random): number | string {
  if (feature.kind === "category") {
    const weights = feature.weights.map((w, i) =>
      i === feature.weights.length - 1 ? w + Math.max(0, drift) : w,
    );
    const total = weights.reduce((a, b) => a + b, 0);
    let r = random() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) <= 0) return feature.values[i];
    return feature.values.at(-1)!;
  }
  let value = feature.mean + drift * feature.std + feature.std * standardNormal(random);
  if (feature.min !== undefined) value = Math.max(feature.min, value);
  if (feature.max !== undefined) value = Math.min(feature.max, value);
  return feature.integer ? Math.round(value) : Math.round(value * 100) / 100;
}

export function buildInstance(
  service: string,
  drift: Drift,
  random: Random,
): Record<string, number | string> {
  if (service === "churn-classifier") return churnInstance(drift, random);
  const instance: Record<string, number | string> = {};
  for (const feature of featuresOf(service))
    instance[feature.name] = drawFeature(feature, drift[feature.name] ?? 0, random);
  if (service === "support-assistant-llm" || service === "ticket-summariser-llm")
    instance.prompt = prompts[Math.floor(random() * prompts.length)];
  return instance;
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const num = (value: number | string | undefined) => (typeof value === "number" ? value : 0);

function predict(service: string, instance: Record<string, number | string>, random: Random): unknown {
  switch (service) {
    case "churn-classifier":
      // The law the training labels follow, with the inputs the served model does not take held at typical values.
      return (
        Math.round(
          logistic(
            churnLogit({
              ...(instance as unknown as CustomerFeatureRow),
              plan: "standard",
              late_payments: 0,
              num_lines: 1,
            }),
          ) * 1e4,
        ) / 1e4
      );
    case "network-anomaly": {
      const score = logistic(
        -4 +
          3 * num(instance.packet_loss_pct) +
          0.08 * num(instance.latency_ms) +
          0.5 * num(instance.handover_failures),
      );
      return { anomaly_score: Math.round(score * 1e4) / 1e4, is_anomaly: score > 0.5 };
    }
    case "sim-swap-fraud":
      return (
        Math.round(
          logistic(
            -5 +
              1.6 * num(instance.swaps_last_30d) +
              2 * num(instance.port_out_requests_90d) -
              0.002 * num(instance.sim_age_days),
          ) * 1e4,
        ) / 1e4
      );
    case "capacity-forecast":
      return Math.round(num(instance.avg_load_erlangs) * (1.05 + 0.1 * random()) * 10) / 10;
    case "support-assistant-llm":
    case "ticket-summariser-llm":
      return {
        generated_text: "Thanks for reaching out. I have checked your account and here is what I found...",
        finish_reason: "stop",
      };
    default:
      return Math.round(random() * 1e4) / 1e4;
  }
}

export interface LoggedRequest {
  namespace: string;
  service: string;
  revision: string;
  endpoint: "default" | "canary";
  mode: "all" | "request" | "response";
  drift: Drift;
}

export interface CloudEvent {
  headers: Record<string, string>;
  body: string;
}

/** The request and/or response events for one inference, sharing ce-id as KServe's logger does. */
export function buildCloudEvents(request: LoggedRequest, random: Random, now = new Date()): CloudEvent[] {
  const batch = random() < 0.85 ? 1 : 2 + Math.floor(random() * 3);
  const instances = Array.from({ length: batch }, () =>
    buildInstance(request.service, request.drift, random),
  );
  const id = randomUUID();
  const headers = (type: string): Record<string, string> => ({
    "content-type": "application/json",
    "ce-specversion": "1.0",
    "ce-id": id,
    "ce-type": type,
    "ce-source": "http://localhost:9081/",
    "ce-time": now.toISOString(),
    "ce-inferenceservicename": request.service,
    "ce-namespace": request.namespace,
    "ce-component": "predictor",
    "ce-endpoint": request.endpoint,
    "ce-metadata": "{}",
  });
  const events: CloudEvent[] = [];
  if (request.mode !== "response")
    events.push({
      headers: headers("org.kubeflow.serving.inference.request"),
      body: JSON.stringify({ instances }),
    });
  if (request.mode !== "request") {
    events.push({
      headers: headers("org.kubeflow.serving.inference.response"),
      body: JSON.stringify({ predictions: instances.map((i) => predict(request.service, i, random)) }),
    });
  }
  return events;
}

/**
 * Posts events to the ingest endpoint without ever blocking the generator: a bounded queue, a few
 * requests in flight, and a pause after a failure so a stopped app costs nothing.
 */
export class EventPoster {
  private readonly queue: CloudEvent[] = [];
  private inFlight = 0;
  private pausedUntil = 0;
  delivered = 0;
  failed = 0;

  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isAvailable() {
    return Date.now() >= this.pausedUntil;
  }

  enqueue(events: CloudEvent[]) {
    if (!this.isAvailable) return;
    for (const event of events) if (this.queue.length < 200) this.queue.push(event);
    this.pump();
  }

  private pump() {
    while (this.inFlight < 4 && this.queue.length) {
      const event = this.queue.shift()!;
      this.inFlight++;
      const headers = {
        ...event.headers,
        ...(this.secret ? { authorization: `Bearer ${this.secret}` } : {}),
      };
      fetch(this.url, { method: "POST", headers, body: event.body, signal: AbortSignal.timeout(3000) })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status >= 500 || response.status === 404)
            throw new Error(`ingest answered ${response.status}`);
          this.delivered++;
        })
        .catch((error) => {
          this.failed++;
          if (this.isAvailable) this.onError(error);
          this.pausedUntil = Date.now() + 30_000;
          this.queue.length = 0;
        })
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}
