/**
 * The team's Feast repository as `feast apply` would register it: project telco_churn, entities
 * customer and subscriber, Spark batch sources on Delta (Unity Catalog tables and abfss:// paths in
 * ADLS), feature views served online from Azure Cache for Redis, and the feature services the churn
 * and anomaly models train on. Materialization is simulated on the clock (see materializationOf).
 */

const hour = 3_600_000;
const day = 24 * hour;

export const projectName = "telco_churn";

export interface EntityDefinition {
  name: string;
  joinKey: string;
  valueType: string;
  description: string;
  owner: string;
  tags: Record<string, string>;
}

export interface SourceDefinition {
  name: string;
  description: string;
  owner: string;
  tags: Record<string, string>;
  timestampField: string;
  createdTimestampColumn?: string;
  spark: { table?: string; path?: string; fileFormat?: string };
}

export interface FeatureDefinition {
  name: string;
  valueType: string;
  description?: string;
}

export interface ViewDefinition {
  name: string;
  entities: string[];
  description: string;
  owner: string;
  tags: Record<string, string>;
  ttlSeconds: number;
  online: boolean;
  source: string;
  features: FeatureDefinition[];
  /** How often the materialization job runs (simulated time); undefined for views never materialized. */
  materializeEveryMs?: number;
  /** The job stopped this long before the sandbox's first start (the stale view). */
  stoppedBeforeStartMs?: number;
}

export interface ServiceDefinition {
  name: string;
  description: string;
  owner: string;
  tags: Record<string, string>;
  /** View name → the features taken from it (all of them when undefined). */
  views: Record<string, string[] | undefined>;
}

export const project = {
  name: projectName,
  description: "Customer churn and network features for the retention and network-ops models.",
  owner: "ana.silva@contoso.com",
  // The registry does not record feature_store.yaml's stores; the team tags its project with them.
  tags: { online_store: "redis", offline_store: "spark", team: "ml-platform" },
};

export const entities: EntityDefinition[] = [
  {
    name: "customer",
    joinKey: "customer_id",
    valueType: "INT64",
    description: "A billing account holder.",
    owner: "ana.silva@contoso.com",
    tags: { domain: "retention" },
  },
  {
    name: "subscriber",
    joinKey: "subscriber_id",
    valueType: "STRING",
    description: "A SIM on the network (one customer may hold several).",
    owner: "james.okafor@contoso.com",
    tags: { domain: "network" },
  },
];

const adls = "abfss://features@stswitchboardml.dfs.core.windows.net";

export const sources: SourceDefinition[] = [
  {
    name: "customer_features_source",
    description: "Daily customer snapshot built by the hourly pipeline's feature build.",
    owner: "ana.silva@contoso.com",
    tags: { layer: "gold" },
    timestampField: "event_timestamp",
    createdTimestampColumn: "created",
    spark: { table: "main.features.customer_features" },
  },
  {
    name: "subscriber_usage_source",
    description: "Per-subscriber network usage aggregated from CDRs.",
    owner: "james.okafor@contoso.com",
    tags: { layer: "gold" },
    timestampField: "window_end",
    spark: { path: `${adls}/network/subscriber_usage_daily`, fileFormat: "delta" },
  },
  {
    name: "billing_source",
    description: "Monthly invoices and payments from the billing system.",
    owner: "mei.tanaka@contoso.com",
    tags: { layer: "silver", pii: "false" },
    timestampField: "invoice_date",
    spark: { path: `${adls}/billing/invoices_monthly`, fileFormat: "delta" },
  },
  {
    name: "churn_training_source",
    description: "The quarterly churn training table with demographic columns.",
    owner: "ana.silva@contoso.com",
    tags: { layer: "gold" },
    timestampField: "snapshot_date",
    spark: { table: "main.retention.churn_training_2026q3" },
  },
];

export const views: ViewDefinition[] = [
  {
    name: "customer_churn_features",
    entities: ["customer"],
    description: "Tenure, charges, contract and support contact features for churn propensity.",
    owner: "ana.silva@contoso.com",
    tags: { team: "retention", tier: "gold" },
    ttlSeconds: 2 * 86_400,
    online: true,
    source: "customer_features_source",
    features: [
      { name: "tenure_months", valueType: "INT64", description: "Months since the account opened." },
      { name: "monthly_charges", valueType: "DOUBLE" },
      { name: "total_charges", valueType: "DOUBLE" },
      { name: "contract_type", valueType: "STRING", description: "month-to-month, one_year or two_year." },
      { name: "support_calls_30d", valueType: "INT64" },
      { name: "has_fibre", valueType: "BOOL" },
    ],
    materializeEveryMs: hour,
  },
  {
    name: "network_usage_daily",
    entities: ["subscriber"],
    description: "Data volume, dropped calls and throughput per subscriber over the last 7 days.",
    owner: "james.okafor@contoso.com",
    tags: { team: "network-ops", tier: "gold" },
    ttlSeconds: 86_400,
    online: true,
    source: "subscriber_usage_source",
    features: [
      { name: "data_gb_7d", valueType: "DOUBLE" },
      { name: "dropped_calls_7d", valueType: "INT64" },
      { name: "avg_throughput_mbps", valueType: "FLOAT" },
      { name: "roaming_minutes_7d", valueType: "INT64" },
    ],
    materializeEveryMs: day,
    // The daily materialization has not succeeded since three days before the sandbox first started.
    stoppedBeforeStartMs: 3 * day,
  },
  {
    name: "billing_monthly",
    entities: ["customer"],
    description: "Last invoice, late payments and payment method.",
    owner: "mei.tanaka@contoso.com",
    tags: { team: "retention", tier: "silver" },
    ttlSeconds: 35 * 86_400,
    online: true,
    source: "billing_source",
    features: [
      { name: "last_invoice_amount", valueType: "DOUBLE" },
      { name: "late_payments_12m", valueType: "INT64" },
      { name: "payment_method", valueType: "STRING" },
    ],
    materializeEveryMs: day,
  },
  {
    name: "customer_demographics",
    entities: ["customer"],
    description: "Age band and region, read offline for training only (not served online).",
    owner: "ana.silva@contoso.com",
    tags: { team: "retention", pii: "true" },
    ttlSeconds: 0,
    online: false,
    source: "churn_training_source",
    features: [
      { name: "age_band", valueType: "STRING" },
      { name: "region", valueType: "STRING" },
    ],
  },
];

export const services: ServiceDefinition[] = [
  {
    name: "churn_model_v3",
    description: "Features for churn-classifier v3 (feature_set v3).",
    owner: "ana.silva@contoso.com",
    tags: { model: "churn-classifier" },
    views: {
      customer_churn_features: undefined,
      billing_monthly: ["last_invoice_amount", "late_payments_12m"],
    },
  },
  {
    name: "churn_model_v4",
    description: "Features for churn-classifier v4 (feature_set v4).",
    owner: "ana.silva@contoso.com",
    tags: { model: "churn-classifier" },
    views: {
      customer_churn_features: undefined,
      billing_monthly: undefined,
      customer_demographics: undefined,
    },
  },
  {
    name: "churn_model_v4_usage",
    description: "v4 plus network usage (feature_set v4-usage).",
    owner: "ana.silva@contoso.com",
    tags: { model: "churn-classifier" },
    views: { customer_churn_features: undefined, billing_monthly: undefined, network_usage_daily: undefined },
  },
  {
    name: "network_anomaly_v1",
    description: "Usage features for the network anomaly detector.",
    owner: "james.okafor@contoso.com",
    tags: { model: "network-anomaly-detector" },
    views: { network_usage_daily: ["data_gb_7d", "dropped_calls_7d", "avg_throughput_mbps"] },
  },
];

/** Which feature service a training run of each seeded MLflow run's feature_set used (sandbox/mlflow/seed.ts). */
export const featureServiceOfFeatureSet: Record<string, string> = {
  v3: "churn_model_v3",
  v4: "churn_model_v4",
  "v4-usage": "churn_model_v4_usage",
};

/** The registry was applied this long before the sandbox's first start. */
export const appliedBeforeStartMs = 30 * day;
/** History kept: intervals ending within this window (the real registry keeps every one). */
const historyMs = 30 * day;

export interface Materialization {
  intervals: Array<{ startMs: number; endMs: number }>;
  /** When the last run finished: the view's meta.lastUpdatedTimestamp. */
  lastUpdatedMs: number;
}

/**
 * `feast materialize-incremental` on a schedule: each run covers (previous end, its scheduled time],
 * the first starting TTL before the registry was applied, and finishes a few (simulated) minutes after
 * it is due. `speed` shortens that lag as it shortens every simulated duration. A view whose job
 * stopped keeps the intervals it had.
 */
export function materializationOf(
  view: ViewDefinition,
  startedAt: number,
  now: number,
  speed: number,
): Materialization {
  const appliedAt = startedAt - appliedBeforeStartMs;
  if (!view.materializeEveryMs) return { intervals: [], lastUpdatedMs: appliedAt };
  const every = view.materializeEveryMs;
  const lagMs = (6 * 60_000) / Math.max(speed, 1);
  const until = Math.min(
    now - lagMs,
    view.stoppedBeforeStartMs ? startedAt - view.stoppedBeforeStartMs : Infinity,
  );
  const lastEnd = Math.floor(until / every) * every;
  const firstEnd = Math.ceil(appliedAt / every) * every;
  const intervals: Array<{ startMs: number; endMs: number }> = [];
  for (
    let end = Math.max(firstEnd, lastEnd - Math.floor(historyMs / every) * every);
    end <= lastEnd;
    end += every
  ) {
    const start = end === firstEnd ? appliedAt - view.ttlSeconds * 1000 : end - every;
    intervals.push({ startMs: start, endMs: end });
  }
  const lastUpdatedMs = intervals.length ? intervals.at(-1)!.endMs + lagMs : appliedAt;
  return { intervals, lastUpdatedMs };
}
