import {
  evaluateExpectation,
  expectationColumn,
  expectationKwargs,
  type Expectation,
} from "../data/expectations";
import {
  createRandom,
  dataEpochMs,
  defaultSeed,
  regions,
  rowSeed,
  type DataColumn,
  type DataRow,
} from "../data/telco";
import type { EstateTable } from "./estate";

/**
 * Great-Expectations-style validation runs over the estate: one run per table per day, each
 * evaluating its suite for real on a sample of that day's rows. A few dated incidents perturb the
 * sample first, so the results table holds failures worth showing.
 */

export const qualityRunDays = 30;
const sampleSize = 400;
const dayMs = 86_400_000;

export const suites: Record<string, Expectation[]> = {
  "raw.telco_raw.cdr_events": [
    { type: "expect_table_row_count_to_be_between", min_value: 160_000, max_value: 190_000 },
    { type: "expect_column_values_to_be_unique", column: "event_id" },
    { type: "expect_column_values_to_not_be_null", column: "customer_id" },
    { type: "expect_column_values_to_not_be_null", column: "cell_id", mostly: 0.99 },
    { type: "expect_column_values_to_be_in_set", column: "record_type", value_set: ["VOICE", "SMS", "DATA"] },
    { type: "expect_column_values_to_be_between", column: "duration_s", min_value: 0, max_value: 14_400 },
  ],
  "raw.telco_raw.crm_customers": [
    { type: "expect_column_values_to_be_unique", column: "customer_id" },
    { type: "expect_column_values_to_be_in_set", column: "region", value_set: [...regions] },
    { type: "expect_column_values_to_be_between", column: "num_lines", min_value: 1, max_value: 10 },
  ],
  "raw.network_raw.pm_counters_hourly": [
    { type: "expect_table_row_count_to_be_between", min_value: 7_000, max_value: 7_400 },
    { type: "expect_column_values_to_not_be_null", column: "cell_id" },
    { type: "expect_column_values_to_be_between", column: "prb_dl_used_avg", min_value: 0, max_value: 100 },
  ],
  "main.network.cell_kpis_hourly": [
    {
      type: "expect_column_values_to_be_between",
      column: "availability",
      min_value: 0.95,
      max_value: 1,
      mostly: 0.98,
    },
    { type: "expect_column_values_to_be_between", column: "rrc_success_rate", min_value: 0.9, max_value: 1 },
    { type: "expect_column_mean_to_be_between", column: "latency_ms", min_value: 10, max_value: 40 },
  ],
  "main.features.customer_features": [
    { type: "expect_column_values_to_not_be_null", column: "customer_id" },
    { type: "expect_column_values_to_be_between", column: "tenure_months", min_value: 0, max_value: 120 },
    {
      type: "expect_column_values_to_be_between",
      column: "dropped_call_rate",
      min_value: 0,
      max_value: 0.08,
      mostly: 0.98,
    },
    { type: "expect_column_mean_to_be_between", column: "monthly_charges", min_value: 40, max_value: 75 },
    {
      type: "expect_column_values_to_be_in_set",
      column: "contract_type",
      value_set: ["month-to-month", "one-year", "two-year"],
    },
  ],
  "main.labels.churn_labels": [
    { type: "expect_column_values_to_be_unique", column: "customer_id" },
    { type: "expect_column_values_to_be_in_set", column: "churned", value_set: [0, 1] },
    { type: "expect_column_mean_to_be_between", column: "churned", min_value: 0.1, max_value: 0.35 },
  ],
  "ml.inference.churn_predictions": [
    { type: "expect_column_values_to_not_be_null", column: "churn_probability" },
    { type: "expect_column_values_to_be_between", column: "churn_probability", min_value: 0, max_value: 1 },
    { type: "expect_column_mean_to_be_between", column: "churn_probability", min_value: 0.1, max_value: 0.4 },
  ],
};

interface Incident {
  table: string;
  days: number[];
  /** Changes the sample (and possibly the batch size) the way the real defect would have. */
  apply(sample: DataRow[], rowCount: number, random: () => number): { sample: DataRow[]; rowCount: number };
}

const nullOut =
  (column: string, fraction: number): Incident["apply"] =>
  (sample, rowCount, random) => ({
    sample: sample.map((row) => (random() < fraction ? { ...row, [column]: null } : row)),
    rowCount,
  });

const incidents: Incident[] = [
  { table: "raw.telco_raw.cdr_events", days: [12], apply: nullOut("cell_id", 0.3) },
  {
    table: "raw.telco_raw.cdr_events",
    days: [21],
    apply: (sample, rowCount) => ({ sample, rowCount: Math.round(rowCount * 0.55) }),
  },
  {
    table: "raw.network_raw.pm_counters_hourly",
    days: [17],
    apply: (sample, rowCount) => ({ sample, rowCount: rowCount * 2 }),
  },
  {
    table: "main.network.cell_kpis_hourly",
    days: [20, 21, 22, 23, 24],
    apply: (sample, rowCount, random) => ({
      sample: sample.map((row) =>
        row.region === "east" && random() < 0.4 ? { ...row, availability: 0.6 } : row,
      ),
      rowCount,
    }),
  },
  {
    table: "main.features.customer_features",
    days: [25, 26],
    apply: (sample, rowCount, random) => ({
      sample: sample.map((row) => (random() < 0.06 ? { ...row, dropped_call_rate: 0.12 } : row)),
      rowCount,
    }),
  },
  { table: "ml.inference.churn_predictions", days: [27], apply: nullOut("churn_probability", 0.02) },
];

export const expectationSuiteColumns: DataColumn[] = [
  { name: "suite_name", type: "STRING", comment: "Expectation suite" },
  { name: "table_name", type: "STRING", comment: "Full name of the validated table" },
  { name: "expectation_type", type: "STRING", comment: "Great Expectations expectation type" },
  {
    name: "column_name",
    type: "STRING",
    comment: "Checked column; null for table-level expectations",
    nullable: true,
  },
  { name: "kwargs", type: "STRING", comment: "Expectation arguments as JSON" },
];

export const expectationResultColumns: DataColumn[] = [
  { name: "run_id", type: "STRING", comment: "Checkpoint run id" },
  { name: "suite_name", type: "STRING", comment: "Expectation suite" },
  { name: "table_name", type: "STRING", comment: "Full name of the validated table" },
  { name: "expectation_type", type: "STRING", comment: "Great Expectations expectation type" },
  {
    name: "column_name",
    type: "STRING",
    comment: "Checked column; null for table-level expectations",
    nullable: true,
  },
  { name: "kwargs", type: "STRING", comment: "Expectation arguments as JSON" },
  { name: "success", type: "BOOLEAN", comment: "Whether the expectation held" },
  {
    name: "observed_value",
    type: "DOUBLE",
    comment: "Aggregate (mean, row count) or, for per-value expectations, the unexpected percent",
    nullable: true,
  },
  { name: "element_count", type: "LONG", comment: "Rows evaluated" },
  {
    name: "unexpected_count",
    type: "LONG",
    comment: "Rows that failed a per-value expectation",
    nullable: true,
  },
  {
    name: "unexpected_percent",
    type: "DOUBLE",
    comment: "Share of non-null rows that failed, %",
    nullable: true,
  },
  { name: "checked_at", type: "TIMESTAMP", comment: "When the checkpoint ran" },
];

const suiteName = (fullName: string) => `${fullName.replaceAll(".", "_")}_suite`;

export function buildExpectationSuiteRows(): DataRow[] {
  return Object.entries(suites).flatMap(([table, expectations]) =>
    expectations.map((e) => ({
      suite_name: suiteName(table),
      table_name: table,
      expectation_type: e.type,
      column_name: expectationColumn(e),
      kwargs: JSON.stringify(expectationKwargs(e)),
    })),
  );
}

/** The rows a day's run sees: that day's partition for daily feeds, a random sample otherwise. */
function sampleFor(table: EstateTable, day: number, stream: number): { sample: DataRow[]; rowCount: number } {
  const random = createRandom(rowSeed(defaultSeed, 50 + stream, day));
  const [start, end] = table.dayRange?.(day) ?? [0, table.rowCount()];
  // Stratified without replacement, so uniqueness checks see the data's duplicates, not the sampler's.
  const size = Math.min(sampleSize, end - start);
  const stride = (end - start) / size;
  const indices = Array.from(
    { length: size },
    (_, k) => start + Math.floor(k * stride + random.next() * stride),
  );
  return { sample: indices.map((i) => table.rowAt(i)), rowCount: end - start };
}

export function buildExpectationResultRows(
  findTable: (fullName: string) => EstateTable | undefined,
): DataRow[] {
  const rows: DataRow[] = [];
  const entries = Object.entries(suites);
  for (let day = 0; day < qualityRunDays; day++) {
    entries.forEach(([tableName, expectations], stream) => {
      const table = findTable(tableName);
      if (!table) throw new Error(`quality suite for unknown table ${tableName}`);
      let batch = sampleFor(table, day, stream);
      const random = createRandom(rowSeed(defaultSeed, 70 + stream, day));
      for (const incident of incidents)
        if (incident.table === tableName && incident.days.includes(day))
          batch = incident.apply(batch.sample, batch.rowCount, random.next);
      const checkedAt = new Date(
        dataEpochMs + day * dayMs + 2 * 3_600_000 + stream * 7 * 60_000 + random.int(0, 59_000),
      ).toISOString();
      const runId = `${checkedAt.slice(0, 10).replaceAll("-", "")}T${checkedAt.slice(11, 19).replaceAll(":", "")}Z-${suiteName(tableName)}`;
      for (const expectation of expectations) {
        const outcome = evaluateExpectation(expectation, batch.sample, batch.rowCount);
        rows.push({
          run_id: runId,
          suite_name: suiteName(tableName),
          table_name: tableName,
          expectation_type: expectation.type,
          column_name: expectationColumn(expectation),
          kwargs: JSON.stringify(expectationKwargs(expectation)),
          success: outcome.success,
          observed_value: Number.isFinite(outcome.observedValue) ? outcome.observedValue : null,
          element_count: outcome.elementCount,
          unexpected_count: outcome.unexpectedCount,
          unexpected_percent: outcome.unexpectedPercent,
          checked_at: checkedAt,
        });
      }
    });
  }
  return rows;
}
