import {
  cdrColumns,
  cdrEventRow,
  cellOf,
  cellsPerSite,
  churnLabelColumns,
  churnLabelRow,
  churnLogit,
  createRandom,
  customerFeatureColumns,
  customerFeatureRow,
  dataEpochMs,
  defaultSeed,
  networkKpiColumns,
  networkKpiRow,
  rowSeed,
  type DataColumn,
  type DataRow,
} from "../data/telco";
import {
  buildExpectationResultRows,
  buildExpectationSuiteRows,
  expectationResultColumns,
  expectationSuiteColumns,
} from "./quality";

/**
 * The emulated metastore: a static, read-only telco estate. Every table is backed by a generator,
 * so listings, SQL counts and sample rows all describe the same data.
 */

export type TableType = "MANAGED" | "EXTERNAL" | "VIEW" | "MATERIALIZED_VIEW";

export interface EstateTable {
  catalog: string;
  schema: string;
  name: string;
  tableType: TableType;
  format?: "DELTA" | "PARQUET";
  comment: string;
  owner: string;
  columns: DataColumn[];
  partitionColumns?: string[];
  rowCount(): number;
  rowAt(index: number): DataRow;
  /** Rows of the day-`day` partition as [start, end) indices, for day-partitioned feeds. */
  dayRange?(day: number): [number, number];
  /** Full names of the tables it is built from (lineage). */
  upstreams?: string[];
  /** Landing-zone files it is loaded from (lineage fileInfo). */
  upstreamPaths?: string[];
  producedBy?: { kind: "notebook" | "job" | "pipeline"; id: string };
  viewDefinition?: string;
  createdDaysAgo: number;
}

export interface EstateCatalog {
  name: string;
  comment: string;
  owner: string;
  schemas: { name: string; comment: string }[];
}

/** How each generator type appears in Unity Catalog (type_name, lower-case type_text) and Spark's StructField JSON. */
export const sparkTypes: Record<
  DataColumn["type"],
  { typeName: string; typeText: string; jsonType: string }
> = {
  STRING: { typeName: "STRING", typeText: "string", jsonType: "string" },
  INT: { typeName: "INT", typeText: "int", jsonType: "integer" },
  LONG: { typeName: "LONG", typeText: "bigint", jsonType: "long" },
  DOUBLE: { typeName: "DOUBLE", typeText: "double", jsonType: "double" },
  BOOLEAN: { typeName: "BOOLEAN", typeText: "boolean", jsonType: "boolean" },
  DATE: { typeName: "DATE", typeText: "date", jsonType: "date" },
  TIMESTAMP: { typeName: "TIMESTAMP", typeText: "timestamp", jsonType: "timestamp" },
};

export const customerCount = 20_000;
export const holdoutCount = 5_000;
export const cellCount = 300;
export const kpiDays = 30;
export const cdrDays = 30;
const hoursPerDay = 24;
const cdrRowsPerDay = 2 * 86_400;
const dayMs = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const metastoreId = "4f0c6b1e-8d2a-4c53-9a7e-2b61c0d4e915";
export const workspaceId = 6051921418418893;

export const catalogs: EstateCatalog[] = [
  {
    name: "raw",
    comment: "Bronze: feeds landed as delivered by mediation, BSS and OSS systems",
    owner: "data-engineering",
    schemas: [
      { name: "default", comment: "Default schema (unused)" },
      { name: "telco_raw", comment: "Subscriber-side feeds: CDRs, CRM and billing" },
      { name: "network_raw", comment: "Network-side feeds: inventory and performance counters" },
    ],
  },
  {
    name: "main",
    comment: "Silver and gold: curated, governed data products",
    owner: "platform-data",
    schemas: [
      { name: "default", comment: "Default schema (unused)" },
      { name: "network", comment: "Cell and site KPIs for network operations" },
      { name: "features", comment: "Feature tables shared by ML teams" },
      { name: "labels", comment: "Ground-truth labels" },
      { name: "quality", comment: "Data-quality suites and their results (Great Expectations)" },
      { name: "retention", comment: "Retention team's point-in-time training snapshots" },
      { name: "ml", comment: "Registered models governed in Unity Catalog (see the MLflow registry)" },
    ],
  },
  {
    name: "ml",
    comment: "Machine learning: training sets, inference outputs and monitoring",
    owner: "ml-platform",
    schemas: [
      { name: "features", comment: "Model-specific feature views" },
      { name: "training", comment: "Point-in-time training and holdout sets" },
      { name: "inference", comment: "Batch scoring outputs" },
      { name: "monitoring", comment: "Drift and performance monitoring" },
    ],
  },
];

const col = (name: string, type: DataColumn["type"], comment: string, nullable?: boolean): DataColumn => ({
  name,
  type,
  comment,
  nullable,
});
const fixed = (count: number) => () => count;
const memoize = <T>(build: () => T) => {
  let value: T | undefined;
  return () => (value ??= build());
};
const expectationSuiteRows = memoize(buildExpectationSuiteRows);
const expectationResultRows = memoize(() => buildExpectationResultRows(findTable));

/** Mean of a numeric column over rows. */
const mean = (rows: DataRow[], column: string) =>
  rows.reduce((sum, row) => sum + Number(row[column]), 0) / rows.length;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function hourlyKpi(index: number): DataRow {
  const row = networkKpiRow(index, cellCount);
  return { ...row, kpi_date: String(row.kpi_hour).slice(0, 10) };
}

function dailyKpi(index: number): DataRow {
  const cellIndex = index % cellCount;
  const day = Math.floor(index / cellCount);
  const hours = Array.from({ length: hoursPerDay }, (_, h) =>
    networkKpiRow((day * hoursPerDay + h) * cellCount + cellIndex, cellCount),
  );
  const { cell_id, site_id, region, technology } = hours[0];
  return {
    cell_id,
    site_id,
    region,
    technology,
    kpi_date: isoDate(dataEpochMs + day * dayMs),
    avg_prb_utilization: round(mean(hours, "prb_utilization"), 4),
    peak_prb_utilization: Math.max(...hours.map((h) => Number(h.prb_utilization))),
    avg_throughput_dl_mbps: round(mean(hours, "throughput_dl_mbps"), 2),
    max_latency_ms: Math.max(...hours.map((h) => Number(h.latency_ms))),
    avg_erab_drop_rate: round(mean(hours, "erab_drop_rate"), 5),
    min_availability: Math.min(...hours.map((h) => Number(h.availability))),
    active_user_hours: hours.reduce((sum, h) => sum + Number(h.active_users), 0),
  };
}

const dailyKpiColumns: DataColumn[] = [
  col("cell_id", "STRING", "E-UTRAN / NR cell id"),
  col("site_id", "STRING", "Site hosting the cell"),
  col("region", "STRING", "Operating region"),
  col("technology", "STRING", "LTE or NR"),
  col("kpi_date", "DATE", "UTC day"),
  col("avg_prb_utilization", "DOUBLE", "Mean hourly PRB utilisation"),
  col("peak_prb_utilization", "DOUBLE", "Busiest hour's PRB utilisation"),
  col("avg_throughput_dl_mbps", "DOUBLE", "Mean user downlink throughput"),
  col("max_latency_ms", "DOUBLE", "Worst hourly mean latency"),
  col("avg_erab_drop_rate", "DOUBLE", "Mean drop rate"),
  col("min_availability", "DOUBLE", "Worst hourly availability"),
  col("active_user_hours", "LONG", "Sum of hourly active users"),
];

function pmCounters(index: number): DataRow {
  const kpi = networkKpiRow(index, cellCount);
  const r = createRandom(rowSeed(defaultSeed, 20, index));
  const rrcAttempts = Math.round(Number(kpi.active_users) * (40 + r.int(0, 20)));
  const erabReleases = Math.round(rrcAttempts * 0.9);
  return {
    cell_id: kpi.cell_id,
    collection_hour: kpi.kpi_hour,
    rrc_conn_estab_att: rrcAttempts,
    rrc_conn_estab_succ: Math.round(rrcAttempts * Number(kpi.rrc_success_rate)),
    erab_rel_abnormal: Math.round(erabReleases * Number(kpi.erab_drop_rate)),
    erab_rel_total: erabReleases,
    prb_dl_used_avg: round(Number(kpi.prb_utilization) * 100, 2),
    dl_volume_mb: round((Number(kpi.throughput_dl_mbps) * Number(kpi.active_users) * 3600 * 0.02) / 8, 1),
    cell_unavail_s: Math.round((1 - Number(kpi.availability)) * 3600),
  };
}

function cellInventory(index: number): DataRow {
  const cell = cellOf(index);
  const r = createRandom(rowSeed(defaultSeed, 21, Math.floor(index / cellsPerSite)));
  const latitude = round(47.3 + r.next() * 7.5, 5);
  const longitude = round(6.0 + r.next() * 8.9, 5);
  return {
    ...cell,
    band: cell.technology === "NR" ? "n78" : ["B3", "B7", "B20"][index % 3],
    azimuth_deg: (index % cellsPerSite) * 120 + r.int(0, 30),
    latitude,
    longitude,
    commissioned_date: isoDate(dataEpochMs - r.int(200, 4000) * dayMs),
  };
}

const cellInventoryColumns: DataColumn[] = [
  col("cell_id", "STRING", "Cell id"),
  col("site_id", "STRING", "Site id"),
  col("region", "STRING", "Operating region"),
  col("technology", "STRING", "LTE or NR"),
  col("band", "STRING", "Frequency band"),
  col("azimuth_deg", "INT", "Antenna azimuth"),
  col("latitude", "DOUBLE", "Site latitude (WGS84)"),
  col("longitude", "DOUBLE", "Site longitude (WGS84)"),
  col("commissioned_date", "DATE", "On-air date"),
];

function crmCustomer(index: number): DataRow {
  const c = customerFeatureRow(index);
  return {
    customer_id: c.customer_id,
    region: c.region,
    contract_type: c.contract_type,
    plan: c.plan,
    payment_method: c.payment_method,
    num_lines: c.num_lines,
    activation_date: isoDate(dataEpochMs - 30 * dayMs - c.tenure_months * 30.4 * dayMs),
    status: c.churned ? "disconnected" : "active",
  };
}

function invoice(index: number): DataRow {
  const month = Math.floor(index / customerCount);
  const c = customerFeatureRow(index % customerCount);
  const r = createRandom(rowSeed(defaultSeed, 22, index));
  const invoiceMonth = new Date(Date.UTC(2025, 9 + month, 1));
  return {
    invoice_id: `INV-${invoiceMonth.toISOString().slice(0, 7).replace("-", "")}-${c.customer_id}`,
    customer_id: c.customer_id,
    invoice_month: isoDate(invoiceMonth.getTime()),
    amount_eur: round(c.monthly_charges * (0.9 + 0.2 * r.next()), 2),
    is_paid_late: r.next() < c.late_payments / 12,
  };
}

function customerFeatures(index: number): DataRow {
  const { churned: _label, ...features } = customerFeatureRow(index);
  return features;
}

function monthlyUsage(index: number): DataRow {
  const month = Math.floor(index / customerCount);
  const c = customerFeatureRow(index % customerCount);
  const r = createRandom(rowSeed(defaultSeed, 23, index));
  const calls = Math.round((c.call_minutes / 3) * (0.8 + 0.4 * r.next()));
  return {
    customer_id: c.customer_id,
    usage_month: isoDate(Date.UTC(2026, 6 + month, 1)),
    data_usage_gb: round(c.data_usage_gb * (0.8 + 0.4 * r.next()), 2),
    call_minutes: round(c.call_minutes * (0.8 + 0.4 * r.next()), 1),
    calls,
    dropped_calls: Math.round(calls * c.dropped_call_rate * (0.5 + r.next())),
    sms_count: Math.round(c.sms_count * (0.8 + 0.4 * r.next())),
  };
}

function cellQualityFeatures(index: number): DataRow {
  const days = Array.from({ length: 7 }, (_, d) => dailyKpi((kpiDays - 7 + d) * cellCount + index));
  return {
    cell_id: days[0].cell_id,
    as_of_date: days[6].kpi_date,
    prb_utilization_7d: round(mean(days, "avg_prb_utilization"), 4),
    throughput_dl_mbps_7d: round(mean(days, "avg_throughput_dl_mbps"), 2),
    erab_drop_rate_7d: round(mean(days, "avg_erab_drop_rate"), 5),
    worst_availability_7d: Math.min(...days.map((d) => Number(d.min_availability))),
  };
}

function churnPrediction(index: number): DataRow {
  const { churned: _label, customer_id, ...features } = customerFeatureRow(index);
  const r = createRandom(rowSeed(defaultSeed, 24, index));
  const probability = round(1 / (1 + Math.exp(-(churnLogit(features) + r.normal(0, 0.6)))), 4);
  return {
    customer_id,
    model_name: "main.ml.churn_classifier",
    model_version: "3",
    churn_probability: probability,
    predicted_churn: probability >= 0.5 ? 1 : 0,
    scored_at: new Date(dataEpochMs + 3 * 3_600_000 + index * 40).toISOString(),
  };
}

const monitoredFeatures = [
  "tenure_months",
  "monthly_charges",
  "data_usage_gb",
  "call_minutes",
  "dropped_call_rate",
  "support_tickets",
  "late_payments",
  "num_lines",
];

function featureDrift(index: number): DataRow {
  const day = Math.floor(index / monitoredFeatures.length);
  const feature = monitoredFeatures[index % monitoredFeatures.length];
  const r = createRandom(rowSeed(defaultSeed, 25, index));
  // A network incident in the east region from day 20 shifts dropped-call and ticket features.
  const isDrifting = day >= 20 && (feature === "dropped_call_rate" || feature === "support_tickets");
  const psi = round(Math.abs(r.normal(isDrifting ? 0.18 + 0.01 * (day - 20) : 0.02, 0.01)), 4);
  return {
    window_date: isoDate(dataEpochMs + day * dayMs),
    feature_name: feature,
    psi,
    ks_statistic: round(Math.min(1, psi * 0.9 + Math.abs(r.normal(0, 0.01))), 4),
    is_drifting: psi > 0.1,
  };
}

function trainingFeatureView(index: number): DataRow {
  const c = customerFeatureRow(index);
  return {
    customer_id: c.customer_id,
    tenure_months: c.tenure_months,
    monthly_charges: c.monthly_charges,
    charges_per_line: round(c.monthly_charges / c.num_lines, 2),
    tickets_per_year: round(c.support_tickets * 4, 1),
    is_month_to_month: c.contract_type === "month-to-month",
    dropped_call_rate: c.dropped_call_rate,
  };
}

const customerFeatureColumnsWithoutLabel = customerFeatureColumns.filter((c) => c.name !== "churned");

export const tables: EstateTable[] = [
  {
    catalog: "raw",
    schema: "telco_raw",
    name: "cdr_events",
    tableType: "EXTERNAL",
    format: "DELTA",
    owner: "data-engineering",
    createdDaysAgo: 400,
    comment: "Call detail records from the mediation platform, one row per voice call, SMS or data session",
    columns: cdrColumns,
    partitionColumns: ["event_date"],
    rowCount: fixed(cdrDays * cdrRowsPerDay),
    rowAt: (i) => cdrEventRow(i, customerCount, cellCount),
    dayRange: (day) => [day * cdrRowsPerDay, (day + 1) * cdrRowsPerDay],
    upstreamPaths: ["abfss://landing@sttelcolanding.dfs.core.windows.net/mediation/cdr/"],
    producedBy: { kind: "job", id: "118240912" },
  },
  {
    catalog: "raw",
    schema: "telco_raw",
    name: "crm_customers",
    tableType: "EXTERNAL",
    format: "DELTA",
    owner: "data-engineering",
    createdDaysAgo: 380,
    comment: "Nightly CRM extract of subscriber accounts",
    columns: [
      col("customer_id", "STRING", "Subscriber id"),
      col("region", "STRING", "Billing region"),
      col("contract_type", "STRING", "Contract term"),
      col("plan", "STRING", "Tariff plan"),
      col("payment_method", "STRING", "Payment method"),
      col("num_lines", "INT", "Lines on the account"),
      col("activation_date", "DATE", "Account activation"),
      col("status", "STRING", "active or disconnected"),
    ],
    rowCount: fixed(customerCount),
    rowAt: crmCustomer,
    upstreamPaths: ["abfss://landing@sttelcolanding.dfs.core.windows.net/crm/accounts/"],
    producedBy: { kind: "job", id: "118240913" },
  },
  {
    catalog: "raw",
    schema: "telco_raw",
    name: "billing_invoices",
    tableType: "EXTERNAL",
    format: "PARQUET",
    owner: "data-engineering",
    createdDaysAgo: 380,
    comment: "Monthly invoices from the billing system",
    columns: [
      col("invoice_id", "STRING", "Invoice number"),
      col("customer_id", "STRING", "Subscriber id"),
      col("invoice_month", "DATE", "First day of the billed month"),
      col("amount_eur", "DOUBLE", "Invoice total, EUR"),
      col("is_paid_late", "BOOLEAN", "Paid after the due date"),
    ],
    partitionColumns: ["invoice_month"],
    rowCount: fixed(12 * customerCount),
    rowAt: invoice,
    upstreamPaths: ["abfss://landing@sttelcolanding.dfs.core.windows.net/billing/invoices/"],
    producedBy: { kind: "job", id: "118240914" },
  },
  {
    catalog: "raw",
    schema: "network_raw",
    name: "cell_inventory",
    tableType: "EXTERNAL",
    format: "DELTA",
    owner: "network-data",
    createdDaysAgo: 500,
    comment: "Cells and sites from the network inventory system",
    columns: cellInventoryColumns,
    rowCount: fixed(cellCount),
    rowAt: cellInventory,
    upstreamPaths: ["abfss://landing@sttelcolanding.dfs.core.windows.net/oss/inventory/"],
    producedBy: { kind: "job", id: "118240920" },
  },
  {
    catalog: "raw",
    schema: "network_raw",
    name: "pm_counters_hourly",
    tableType: "EXTERNAL",
    format: "DELTA",
    owner: "network-data",
    createdDaysAgo: 500,
    comment: "Hourly performance-management counters per cell, as exported by the OSS",
    columns: [
      col("cell_id", "STRING", "Cell id"),
      col("collection_hour", "TIMESTAMP", "Start of the counter period"),
      col("rrc_conn_estab_att", "LONG", "RRC connection attempts"),
      col("rrc_conn_estab_succ", "LONG", "Successful RRC connections"),
      col("erab_rel_abnormal", "LONG", "Abnormal E-RAB releases"),
      col("erab_rel_total", "LONG", "All E-RAB releases"),
      col("prb_dl_used_avg", "DOUBLE", "Mean downlink PRB usage, %"),
      col("dl_volume_mb", "DOUBLE", "Downlink volume, MB"),
      col("cell_unavail_s", "INT", "Seconds out of service"),
    ],
    rowCount: fixed(kpiDays * hoursPerDay * cellCount),
    rowAt: pmCounters,
    dayRange: (day) => [day * hoursPerDay * cellCount, (day + 1) * hoursPerDay * cellCount],
    upstreamPaths: ["abfss://landing@sttelcolanding.dfs.core.windows.net/oss/pm/"],
    producedBy: { kind: "job", id: "118240921" },
  },
  {
    catalog: "main",
    schema: "network",
    name: "cell_kpis_hourly",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "network-data",
    createdDaysAgo: 300,
    comment: "Hourly KPIs per cell computed from PM counters",
    columns: [...networkKpiColumns, col("kpi_date", "DATE", "Partition column: UTC date of kpi_hour")],
    partitionColumns: ["kpi_date"],
    rowCount: fixed(kpiDays * hoursPerDay * cellCount),
    rowAt: hourlyKpi,
    dayRange: (day) => [day * hoursPerDay * cellCount, (day + 1) * hoursPerDay * cellCount],
    upstreams: ["raw.network_raw.pm_counters_hourly", "raw.network_raw.cell_inventory"],
    producedBy: { kind: "pipeline", id: "a7c1e2d4-5b36-4f8e-9d10-3e2f4a5b6c7d" },
  },
  {
    catalog: "main",
    schema: "network",
    name: "cell_kpis_daily",
    tableType: "MATERIALIZED_VIEW",
    owner: "network-data",
    createdDaysAgo: 280,
    comment: "Daily KPI roll-up per cell",
    columns: dailyKpiColumns,
    rowCount: fixed(kpiDays * cellCount),
    rowAt: dailyKpi,
    upstreams: ["main.network.cell_kpis_hourly"],
    producedBy: { kind: "pipeline", id: "a7c1e2d4-5b36-4f8e-9d10-3e2f4a5b6c7d" },
    viewDefinition:
      "SELECT cell_id, site_id, region, technology, kpi_date, avg(prb_utilization) AS avg_prb_utilization, max(prb_utilization) AS peak_prb_utilization, avg(throughput_dl_mbps) AS avg_throughput_dl_mbps, max(latency_ms) AS max_latency_ms, avg(erab_drop_rate) AS avg_erab_drop_rate, min(availability) AS min_availability, sum(active_users) AS active_user_hours FROM main.network.cell_kpis_hourly GROUP BY ALL",
  },
  {
    catalog: "main",
    schema: "network",
    name: "v_cell_kpis_latest",
    tableType: "VIEW",
    owner: "network-data",
    createdDaysAgo: 200,
    comment: "The most recent hour of KPIs for every cell",
    columns: [...networkKpiColumns, col("kpi_date", "DATE", "UTC date of kpi_hour")],
    rowCount: fixed(cellCount),
    rowAt: (i) => hourlyKpi((kpiDays * hoursPerDay - 1) * cellCount + i),
    upstreams: ["main.network.cell_kpis_hourly"],
    viewDefinition:
      "SELECT * FROM main.network.cell_kpis_hourly WHERE kpi_hour = (SELECT max(kpi_hour) FROM main.network.cell_kpis_hourly)",
  },
  {
    catalog: "main",
    schema: "network",
    name: "cell_inventory",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "network-data",
    createdDaysAgo: 300,
    comment: "Curated cell inventory",
    columns: cellInventoryColumns,
    rowCount: fixed(cellCount),
    rowAt: cellInventory,
    upstreams: ["raw.network_raw.cell_inventory"],
    producedBy: { kind: "notebook", id: "3305127781920417" },
  },
  {
    catalog: "main",
    schema: "features",
    name: "customer_features",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 250,
    comment:
      "One row per subscriber: usage, billing, network-experience and support features (primary key customer_id)",
    columns: customerFeatureColumnsWithoutLabel,
    rowCount: fixed(customerCount),
    rowAt: customerFeatures,
    upstreams: ["raw.telco_raw.crm_customers", "raw.telco_raw.billing_invoices", "raw.telco_raw.cdr_events"],
    producedBy: { kind: "job", id: "220431877" },
  },
  {
    catalog: "main",
    schema: "features",
    name: "customer_usage_monthly",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 250,
    comment: "Monthly usage aggregates per subscriber",
    columns: [
      col("customer_id", "STRING", "Subscriber id"),
      col("usage_month", "DATE", "First day of the month"),
      col("data_usage_gb", "DOUBLE", "Mobile data, GB"),
      col("call_minutes", "DOUBLE", "Voice minutes"),
      col("calls", "INT", "Voice calls"),
      col("dropped_calls", "INT", "Calls that dropped"),
      col("sms_count", "INT", "SMS sent"),
    ],
    partitionColumns: ["usage_month"],
    rowCount: fixed(3 * customerCount),
    rowAt: monthlyUsage,
    upstreams: ["raw.telco_raw.cdr_events"],
    producedBy: { kind: "job", id: "220431877" },
  },
  {
    catalog: "main",
    schema: "features",
    name: "cell_quality_features",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 120,
    comment: "Seven-day network-quality features per cell",
    columns: [
      col("cell_id", "STRING", "Cell id"),
      col("as_of_date", "DATE", "Last day of the window"),
      col("prb_utilization_7d", "DOUBLE", "Mean PRB utilisation"),
      col("throughput_dl_mbps_7d", "DOUBLE", "Mean downlink throughput"),
      col("erab_drop_rate_7d", "DOUBLE", "Mean drop rate"),
      col("worst_availability_7d", "DOUBLE", "Worst hourly availability"),
    ],
    rowCount: fixed(cellCount),
    rowAt: cellQualityFeatures,
    upstreams: ["main.network.cell_kpis_daily"],
    producedBy: { kind: "job", id: "220431879" },
  },
  {
    catalog: "main",
    schema: "labels",
    name: "churn_labels",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 250,
    comment: "Churn within 30 days of the feature snapshot",
    columns: churnLabelColumns,
    rowCount: fixed(customerCount),
    rowAt: (i) => churnLabelRow(i),
    upstreams: ["raw.telco_raw.crm_customers"],
    producedBy: { kind: "job", id: "220431878" },
  },
  {
    catalog: "main",
    schema: "quality",
    name: "expectation_suites",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "platform-data",
    createdDaysAgo: 90,
    comment: "Expectations configured per table",
    columns: expectationSuiteColumns,
    rowCount: () => expectationSuiteRows().length,
    rowAt: (i) => expectationSuiteRows()[i],
  },
  {
    catalog: "main",
    schema: "quality",
    name: "expectation_results",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "platform-data",
    createdDaysAgo: 90,
    comment: "One row per expectation per validation run (Great Expectations checkpoint results)",
    columns: expectationResultColumns,
    rowCount: () => expectationResultRows().length,
    rowAt: (i) => expectationResultRows()[i],
    upstreams: ["main.quality.expectation_suites"],
    producedBy: { kind: "job", id: "220431890" },
  },
  {
    catalog: "ml",
    schema: "features",
    name: "churn_features_v2",
    tableType: "VIEW",
    owner: "ml-platform",
    createdDaysAgo: 60,
    comment: "Engineered churn features over main.features.customer_features",
    columns: [
      col("customer_id", "STRING", "Subscriber id"),
      col("tenure_months", "INT", "Months since activation"),
      col("monthly_charges", "DOUBLE", "Average monthly bill"),
      col("charges_per_line", "DOUBLE", "monthly_charges / num_lines"),
      col("tickets_per_year", "DOUBLE", "Support tickets, annualised"),
      col("is_month_to_month", "BOOLEAN", "No fixed term"),
      col("dropped_call_rate", "DOUBLE", "Share of calls dropped"),
    ],
    rowCount: fixed(customerCount),
    rowAt: trainingFeatureView,
    upstreams: ["main.features.customer_features"],
    viewDefinition:
      "SELECT customer_id, tenure_months, monthly_charges, round(monthly_charges / num_lines, 2) AS charges_per_line, support_tickets * 4 AS tickets_per_year, contract_type = 'month-to-month' AS is_month_to_month, dropped_call_rate FROM main.features.customer_features",
  },
  {
    catalog: "ml",
    schema: "training",
    name: "churn_training_set",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 30,
    comment: "Features joined with labels at the snapshot date",
    columns: customerFeatureColumns,
    rowCount: fixed(customerCount),
    rowAt: (i) => ({ ...customerFeatureRow(i) }),
    upstreams: ["main.features.customer_features", "main.labels.churn_labels"],
    producedBy: { kind: "notebook", id: "3305127781920533" },
  },
  {
    catalog: "main",
    schema: "retention",
    name: "churn_training_2026q3",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "retention",
    createdDaysAgo: 35,
    comment: "Q3 2026 churn training snapshot used by the retention team's MLflow runs",
    columns: customerFeatureColumns,
    rowCount: fixed(customerCount),
    rowAt: (i) => ({ ...customerFeatureRow(i) }),
    upstreams: ["main.features.customer_features", "main.labels.churn_labels"],
    producedBy: { kind: "job", id: "220431881" },
  },
  {
    catalog: "ml",
    schema: "training",
    name: "churn_holdout",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 30,
    comment: "Customers outside the training snapshot, kept for final evaluation",
    columns: customerFeatureColumns,
    rowCount: fixed(holdoutCount),
    rowAt: (i) => ({ ...customerFeatureRow(customerCount + i) }),
    upstreams: ["main.features.customer_features", "main.labels.churn_labels"],
    producedBy: { kind: "notebook", id: "3305127781920533" },
  },
  {
    catalog: "ml",
    schema: "inference",
    name: "churn_predictions",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 20,
    comment: "Nightly batch scores of the champion churn model",
    columns: [
      col("customer_id", "STRING", "Subscriber id"),
      col("model_name", "STRING", "Registered model"),
      col("model_version", "STRING", "Model version"),
      col("churn_probability", "DOUBLE", "Predicted probability of churn within 30 days"),
      col("predicted_churn", "INT", "churn_probability >= 0.5"),
      col("scored_at", "TIMESTAMP", "When the batch scored the row"),
    ],
    rowCount: fixed(customerCount),
    rowAt: churnPrediction,
    upstreams: ["ml.features.churn_features_v2", "main.features.customer_features"],
    producedBy: { kind: "job", id: "330918245" },
  },
  {
    catalog: "ml",
    schema: "monitoring",
    name: "churn_feature_drift",
    tableType: "MANAGED",
    format: "DELTA",
    owner: "ml-platform",
    createdDaysAgo: 20,
    comment: "Daily population-stability index per feature, inference vs. training",
    columns: [
      col("window_date", "DATE", "Scored day"),
      col("feature_name", "STRING", "Monitored feature"),
      col("psi", "DOUBLE", "Population stability index"),
      col("ks_statistic", "DOUBLE", "Kolmogorov-Smirnov statistic"),
      col("is_drifting", "BOOLEAN", "psi > 0.1"),
    ],
    rowCount: fixed(kpiDays * monitoredFeatures.length),
    rowAt: featureDrift,
    upstreams: ["ml.inference.churn_predictions", "ml.training.churn_training_set"],
    producedBy: { kind: "job", id: "330918246" },
  },
];

/**
 * Tables whose rows are customerFeatureRow(offset + i) for i < count (default seed), so other
 * emulators (e.g. training jobs) can load exactly the customers these tables hold.
 */
export const customerDatasets: Record<string, { offset: number; count: number }> = {
  "main.features.customer_features": { offset: 0, count: customerCount },
  "main.retention.churn_training_2026q3": { offset: 0, count: customerCount },
  "ml.training.churn_training_set": { offset: 0, count: customerCount },
  "ml.training.churn_holdout": { offset: customerCount, count: holdoutCount },
};

export const fullNameOf = (table: Pick<EstateTable, "catalog" | "schema" | "name">) =>
  `${table.catalog}.${table.schema}.${table.name}`;

const tablesByName = new Map(tables.map((t) => [fullNameOf(t), t]));

/** Unity Catalog names are case-insensitive and stored lower-case. */
export const findTable = (fullName: string) => tablesByName.get(fullName.toLowerCase());
export const findCatalog = (name: string) => catalogs.find((c) => c.name === name.toLowerCase());

/** Tables built from `fullName`. */
export const downstreamsOf = (fullName: string) => tables.filter((t) => t.upstreams?.includes(fullName));

/** Deterministic UUID-shaped id from a name, for table_id and storage paths. */
export function stableId(name: string): string {
  const hex = Array.from({ length: 4 }, (_, i) =>
    rowSeed(
      defaultSeed,
      30 + i,
      [...name].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619), 2166136261),
    )
      .toString(16)
      .padStart(8, "0"),
  ).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
