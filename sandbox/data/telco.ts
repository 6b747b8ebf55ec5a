/**
 * Deterministic, seeded generators for a telco estate: CDR events, hourly network KPIs per cell,
 * customer features and churn labels. Every row is a pure function of (seed, index), so a table of
 * n rows is always the same, the first k rows of it equal a table of k rows, and any row can be
 * produced without generating the ones before it (the SQL emulator reads slices of large tables).
 */

export type DataType = "STRING" | "INT" | "LONG" | "DOUBLE" | "BOOLEAN" | "DATE" | "TIMESTAMP";
export type Cell = string | number | boolean | null;
export type DataRow = Record<string, Cell>;

export interface DataColumn {
  name: string;
  type: DataType;
  comment: string;
  nullable?: boolean;
}

export const defaultSeed = 42;
/** Fixed clock anchor so timestamps never depend on when the sandbox runs. */
export const dataEpochMs = Date.UTC(2026, 9, 1);
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** mulberry32: small, fast and good enough for synthetic data. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    weighted: <T>(items: readonly (readonly [T, number])[]) => {
      let r = next() * items.reduce((sum, [, w]) => sum + w, 0);
      for (const [item, weight] of items) if ((r -= weight) < 0) return item;
      return items[items.length - 1][0];
    },
    normal: (mean = 0, sd = 1) =>
      mean + sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}

/** Mixes a stream seed and a row index into an independent per-row seed (splitmix-style). */
export function rowSeed(seed: number, stream: number, index: number): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(stream + 1, 0xc2b2ae35) ^
    Math.imul(index + 1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number, width: number) => String(n).padStart(width, "0");

export const regions = ["north", "south", "east", "west", "central"] as const;
export const contractTypes = ["month-to-month", "one-year", "two-year"] as const;
export const plans = ["basic", "standard", "unlimited"] as const;
export const paymentMethods = ["direct-debit", "credit-card", "bank-transfer", "cash"] as const;

// ---------------------------------------------------------------- customer features and churn

export interface CustomerFeatureRow {
  customer_id: string;
  region: (typeof regions)[number];
  contract_type: (typeof contractTypes)[number];
  plan: (typeof plans)[number];
  payment_method: (typeof paymentMethods)[number];
  tenure_months: number;
  monthly_charges: number;
  total_charges: number;
  data_usage_gb: number;
  call_minutes: number;
  sms_count: number;
  dropped_call_rate: number;
  support_tickets: number;
  late_payments: number;
  num_lines: number;
  device_age_months: number;
  is_roaming_user: 0 | 1;
  churned: 0 | 1;
}

export const customerFeatureColumns: DataColumn[] = [
  { name: "customer_id", type: "STRING", comment: "Pseudonymous subscriber id (C + 7 digits)" },
  { name: "region", type: "STRING", comment: "Billing region" },
  { name: "contract_type", type: "STRING", comment: "month-to-month, one-year or two-year" },
  { name: "plan", type: "STRING", comment: "Tariff plan: basic, standard or unlimited" },
  { name: "payment_method", type: "STRING", comment: "How the customer pays" },
  { name: "tenure_months", type: "INT", comment: "Months since activation" },
  { name: "monthly_charges", type: "DOUBLE", comment: "Average monthly bill, EUR" },
  { name: "total_charges", type: "DOUBLE", comment: "Lifetime billed amount, EUR" },
  { name: "data_usage_gb", type: "DOUBLE", comment: "Mobile data, GB per month (90-day average)" },
  { name: "call_minutes", type: "DOUBLE", comment: "Voice minutes per month (90-day average)" },
  { name: "sms_count", type: "INT", comment: "SMS sent per month (90-day average)" },
  { name: "dropped_call_rate", type: "DOUBLE", comment: "Share of the customer's calls that dropped, 0-1" },
  { name: "support_tickets", type: "INT", comment: "Support tickets in the last 90 days" },
  { name: "late_payments", type: "INT", comment: "Late payments in the last 12 months" },
  { name: "num_lines", type: "INT", comment: "Lines on the account" },
  { name: "device_age_months", type: "INT", comment: "Age of the primary handset" },
  { name: "is_roaming_user", type: "INT", comment: "1 if the customer roamed in the last 90 days" },
  { name: "churned", type: "INT", comment: "Label: 1 if the customer left within 30 days of the snapshot" },
];

/**
 * The churn model the labels are drawn from: a logistic function of the features plus noise, so a
 * model can learn it (AUC well above 0.5) but not perfectly.
 */
export function churnLogit(row: Omit<CustomerFeatureRow, "churned" | "customer_id">): number {
  return (
    -1.6 +
    (row.contract_type === "month-to-month" ? 1.5 : row.contract_type === "one-year" ? 0.2 : -1.0) -
    0.035 * row.tenure_months +
    0.018 * (row.monthly_charges - 60) +
    25 * (row.dropped_call_rate - 0.02) +
    0.35 * row.support_tickets +
    0.3 * row.late_payments -
    0.25 * (row.num_lines - 1) -
    0.012 * (row.data_usage_gb - 10) +
    (row.payment_method === "cash" ? 0.4 : 0) +
    (row.plan === "basic" ? 0.25 : 0)
  );
}

export function customerFeatureRow(index: number, seed = defaultSeed): CustomerFeatureRow {
  const r = createRandom(rowSeed(seed, 1, index));
  const region = r.pick(regions);
  const contract_type = r.weighted([
    ["month-to-month", 0.5],
    ["one-year", 0.25],
    ["two-year", 0.25],
  ] as const);
  const plan = r.weighted([
    ["basic", 0.3],
    ["standard", 0.45],
    ["unlimited", 0.25],
  ] as const);
  const payment_method = r.weighted([
    ["direct-debit", 0.45],
    ["credit-card", 0.3],
    ["bank-transfer", 0.15],
    ["cash", 0.1],
  ] as const);
  const tenureCap = contract_type === "two-year" ? 96 : contract_type === "one-year" ? 72 : 48;
  const tenure_months = clamp(Math.round(Math.abs(r.normal(0, tenureCap / 2))), 1, tenureCap);
  const planBase = plan === "basic" ? 25 : plan === "standard" ? 50 : 80;
  const num_lines = r.weighted([
    [1, 0.6],
    [2, 0.25],
    [3, 0.1],
    [4, 0.05],
  ] as const);
  const monthly_charges = round(clamp(planBase + 12 * (num_lines - 1) + r.normal(0, 8), 10, 200), 2);
  const total_charges = round(monthly_charges * tenure_months * (0.92 + 0.16 * r.next()), 2);
  const dataMean = plan === "basic" ? 4 : plan === "standard" ? 12 : 30;
  const data_usage_gb = round(Math.max(0, r.normal(dataMean, dataMean / 3)), 2);
  const call_minutes = round(Math.max(0, r.normal(220, 110)), 1);
  const sms_count = Math.max(0, Math.round(r.normal(40, 30)));
  // A customer's dropped-call rate mostly reflects their region's network quality.
  const regionQuality = { north: 0.012, south: 0.02, east: 0.028, west: 0.016, central: 0.01 }[region];
  const dropped_call_rate = round(clamp(r.normal(regionQuality, 0.012), 0, 0.2), 4);
  const support_tickets = Math.min(12, Math.floor(-Math.log(1 - r.next()) * (0.6 + 25 * dropped_call_rate)));
  const late_payments = Math.min(
    12,
    Math.floor(-Math.log(1 - r.next()) * (payment_method === "cash" ? 1.2 : 0.4)),
  );
  const device_age_months = r.int(0, 48);
  const is_roaming_user = r.next() < 0.15 ? 1 : 0;
  const features = {
    region,
    contract_type,
    plan,
    payment_method,
    tenure_months,
    monthly_charges,
    total_charges,
    data_usage_gb,
    call_minutes,
    sms_count,
    dropped_call_rate,
    support_tickets,
    late_payments,
    num_lines,
    device_age_months,
    is_roaming_user,
  } as const;
  const churned = r.next() < sigmoid(churnLogit(features)) ? 1 : 0;
  return { customer_id: customerId(index), ...features, churned };
}

export function customerId(index: number): string {
  return `C${pad(1_000_000 + index, 7)}`;
}

/** `count` customers with features and a churn label that depends on them. */
export function customerFeatureRows(count: number, seed = defaultSeed): CustomerFeatureRow[] {
  return Array.from({ length: count }, (_, index) => customerFeatureRow(index, seed));
}

export const churnLabelColumns: DataColumn[] = [
  { name: "customer_id", type: "STRING", comment: "Subscriber id, joins customer_features" },
  { name: "snapshot_date", type: "DATE", comment: "Date the features were taken" },
  { name: "churned", type: "INT", comment: "1 if the customer left within 30 days of the snapshot" },
  { name: "churn_date", type: "DATE", comment: "Day the contract ended, if churned", nullable: true },
];

/** Labels for the same customers as customerFeatureRow(index, seed), in a table of their own. */
export function churnLabelRow(index: number, seed = defaultSeed): DataRow {
  const customer = customerFeatureRow(index, seed);
  const snapshotMs = dataEpochMs - 30 * dayMs;
  const r = createRandom(rowSeed(seed, 2, index));
  return {
    customer_id: customer.customer_id,
    snapshot_date: iso(snapshotMs).slice(0, 10),
    churned: customer.churned,
    churn_date: customer.churned ? iso(snapshotMs + r.int(1, 30) * dayMs).slice(0, 10) : null,
  };
}

// ---------------------------------------------------------------- network KPIs

export const networkKpiColumns: DataColumn[] = [
  { name: "cell_id", type: "STRING", comment: "E-UTRAN / NR cell id" },
  { name: "site_id", type: "STRING", comment: "Physical site hosting the cell" },
  { name: "region", type: "STRING", comment: "Operating region of the site" },
  { name: "technology", type: "STRING", comment: "LTE or NR" },
  { name: "kpi_hour", type: "TIMESTAMP", comment: "Start of the hour (UTC)" },
  { name: "active_users", type: "INT", comment: "Mean RRC-connected users" },
  { name: "prb_utilization", type: "DOUBLE", comment: "Downlink PRB utilisation, 0-1" },
  { name: "throughput_dl_mbps", type: "DOUBLE", comment: "Mean user downlink throughput" },
  { name: "throughput_ul_mbps", type: "DOUBLE", comment: "Mean user uplink throughput" },
  { name: "latency_ms", type: "DOUBLE", comment: "Mean round-trip latency to the core" },
  { name: "rrc_success_rate", type: "DOUBLE", comment: "RRC setup success rate, 0-1" },
  { name: "erab_drop_rate", type: "DOUBLE", comment: "E-RAB / QoS-flow drop rate, 0-1" },
  { name: "availability", type: "DOUBLE", comment: "Share of the hour the cell was in service, 0-1" },
];

export const cellsPerSite = 3;

export interface CellInfo {
  cell_id: string;
  site_id: string;
  region: (typeof regions)[number];
  technology: "NR" | "LTE";
}

/** Cells are looked up for every KPI and CDR row, so each is built once. */
const cellCache = new Map<number, CellInfo>();

export function cellOf(cellIndex: number): CellInfo {
  let cell = cellCache.get(cellIndex);
  if (!cell) {
    const siteIndex = Math.floor(cellIndex / cellsPerSite);
    const siteRandom = createRandom(rowSeed(defaultSeed, 3, siteIndex));
    cell = {
      cell_id: `CELL-${pad(siteIndex, 4)}-${(cellIndex % cellsPerSite) + 1}`,
      site_id: `SITE-${pad(siteIndex, 4)}`,
      region: regions[siteIndex % regions.length],
      technology: siteRandom.next() < 0.35 ? "NR" : "LTE",
    };
    cellCache.set(cellIndex, cell);
  }
  return cell;
}

/** Row `index` of an hourly KPI table over `cells` cells: hour-major, so the first rows are the oldest hour. */
export function networkKpiRow(index: number, cells: number, seed = defaultSeed): DataRow {
  const cellIndex = index % cells;
  const hour = Math.floor(index / cells);
  const cell = cellOf(cellIndex);
  const hourMsAt = dataEpochMs + hour * hourMs;
  const hourOfDay = new Date(hourMsAt).getUTCHours();
  const r = createRandom(rowSeed(seed, 4, index));
  const isNr = cell.technology === "NR";
  // Diurnal load: quiet at 04:00, peak around 20:00.
  const load = clamp(
    0.2 + 0.65 * (0.5 - 0.5 * Math.cos(((hourOfDay - 4) / 24) * 2 * Math.PI)) + r.normal(0, 0.07),
    0.02,
    0.99,
  );
  const isOutage = r.next() < 0.003;
  const availability = isOutage
    ? round(r.next() * 0.8, 4)
    : round(clamp(1 - Math.abs(r.normal(0, 0.002)), 0, 1), 4);
  return {
    ...cell,
    kpi_hour: iso(hourMsAt),
    active_users: Math.round(load * (isNr ? 180 : 120) * availability),
    prb_utilization: round(load, 4),
    throughput_dl_mbps: round(Math.max(0.5, (isNr ? 180 : 45) * (1.1 - load) + r.normal(0, 4)), 2),
    throughput_ul_mbps: round(Math.max(0.2, (isNr ? 35 : 9) * (1.1 - load) + r.normal(0, 1)), 2),
    latency_ms: round(Math.max(4, (isNr ? 12 : 28) + 25 * load ** 3 + r.normal(0, 2)), 1),
    rrc_success_rate: round(clamp(0.997 - 0.02 * load ** 4 + r.normal(0, 0.002), 0.9, 1), 4),
    erab_drop_rate: round(clamp(0.002 + 0.01 * load ** 3 + Math.abs(r.normal(0, 0.002)), 0, 0.2), 5),
    availability,
  };
}

// ---------------------------------------------------------------- CDR events

export const cdrColumns: DataColumn[] = [
  { name: "event_id", type: "STRING", comment: "Unique record id from the mediation platform" },
  { name: "event_time", type: "TIMESTAMP", comment: "Start of the call or session (UTC)" },
  { name: "event_date", type: "DATE", comment: "Partition column: UTC date of event_time" },
  { name: "customer_id", type: "STRING", comment: "Subscriber id of the originating party" },
  { name: "record_type", type: "STRING", comment: "VOICE, SMS or DATA" },
  {
    name: "callee_prefix",
    type: "STRING",
    comment: "Destination number prefix (country + operator), masked",
    nullable: true,
  },
  { name: "cell_id", type: "STRING", comment: "Serving cell at start" },
  { name: "duration_s", type: "INT", comment: "Call or session duration in seconds" },
  { name: "bytes_up", type: "LONG", comment: "Uplink bytes (DATA only)" },
  { name: "bytes_down", type: "LONG", comment: "Downlink bytes (DATA only)" },
  { name: "termination_cause", type: "STRING", comment: "NORMAL, DROPPED, BUSY or NO_ANSWER" },
  { name: "is_roaming", type: "BOOLEAN", comment: "Served by a partner network" },
];

/** Row `index` of a CDR feed from `customers` subscribers over `cells` cells, about 2 events a second. */
export function cdrEventRow(index: number, customers: number, cells: number, seed = defaultSeed): DataRow {
  const r = createRandom(rowSeed(seed, 5, index));
  const customerIndex = r.int(0, customers - 1);
  const customer = customerFeatureRow(customerIndex, seed);
  const eventMs = dataEpochMs + index * 500 + r.int(0, 499);
  const record_type = r.weighted([
    ["VOICE", 0.45],
    ["SMS", 0.2],
    ["DATA", 0.35],
  ] as const);
  const isDropped = record_type === "VOICE" && r.next() < customer.dropped_call_rate * 3;
  const termination_cause =
    record_type === "SMS"
      ? "NORMAL"
      : isDropped
        ? "DROPPED"
        : r.weighted([
            ["NORMAL", 0.9],
            ["BUSY", 0.05],
            ["NO_ANSWER", 0.05],
          ] as const);
  const duration_s =
    record_type === "SMS"
      ? 0
      : record_type === "VOICE"
        ? termination_cause === "NORMAL" || isDropped
          ? Math.round(-Math.log(1 - r.next()) * 150)
          : 0
        : r.int(5, 3600);
  const bytes =
    record_type === "DATA"
      ? Math.round(-Math.log(1 - r.next()) * 4e6 * (customer.data_usage_gb / 10 + 0.1))
      : 0;
  return {
    event_id: `EV${pad(index, 10)}`,
    event_time: iso(eventMs),
    event_date: iso(eventMs).slice(0, 10),
    customer_id: customer.customer_id,
    record_type,
    callee_prefix:
      record_type === "DATA" ? null : r.pick(["+4915", "+4916", "+4917", "+4930", "+4940", "+3312", "+4420"]),
    cell_id: cellOf(r.int(0, cells - 1)).cell_id,
    duration_s,
    bytes_up: Math.round(bytes * 0.12),
    bytes_down: bytes,
    termination_cause,
    is_roaming: customer.is_roaming_user === 1 && r.next() < 0.2,
  };
}
