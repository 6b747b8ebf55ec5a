import { createHash } from "node:crypto";
import { evaluateExpectation, expectationColumn, expectationKwargs } from "../data/expectations";
import { createRandom, customerFeatureRow, type DataRow } from "../data/telco";
import { suites } from "../unity-catalog/quality";

/**
 * The team's DAGs as the sandbox's Airflow knows them. `telco_churn_hourly` is the playbook's
 * hourly orchestration: ingest the hour's extracts, validate customer features (Great Expectations),
 * then submit the churn feature build to Databricks (DatabricksSubmitRunOperator, which pushes the
 * XComs `run_id` and `run_page_url` and waits for the run to finish).
 */

export type TaskKind = "python" | "validate" | "databricks";

export interface TaskDefinition {
  taskId: string;
  operator: string;
  kind: TaskKind;
  /** Airflow's `retries`: max_tries = retries, a task may run retries + 1 times. */
  retries: number;
  /** Typical duration at SANDBOX_SPEED 1 (the Databricks task lasts as long as its run). */
  seconds: number;
}

export interface DagDefinition {
  dagId: string;
  description: string;
  owners: string[];
  tags: string[];
  fileloc: string;
  /** The schedule as Airflow reports it (CronExpression) and the period it stands for. */
  cron: string;
  timetableDescription: string;
  periodMs: number;
  isPausedUponCreation: boolean;
  /** How many past intervals a fresh sandbox shows as already run. */
  historyRuns: number;
  tasks: TaskDefinition[];
}

const hourMs = 3_600_000;

export const validatedTable = "main.features.customer_features";
export const databricksTaskId = "submit_churn_feature_build";

export const dagDefinitions: DagDefinition[] = [
  {
    dagId: "telco_churn_hourly",
    description:
      "Ingests the hour's CDR and CRM extracts, validates customer features and submits the churn feature build to Databricks.",
    owners: ["data-platform"],
    tags: ["churn", "databricks", "hourly"],
    fileloc: "/opt/airflow/dags/telco/churn_hourly.py",
    cron: "0 * * * *",
    timetableDescription: "At 0 minutes past the hour, every hour",
    periodMs: hourMs,
    isPausedUponCreation: false,
    historyRuns: 36,
    tasks: [
      { taskId: "ingest_cdr_extract", operator: "PythonOperator", kind: "python", retries: 2, seconds: 45 },
      {
        taskId: "validate_customer_features",
        operator: "GreatExpectationsOperator",
        kind: "validate",
        retries: 0,
        seconds: 20,
      },
      {
        taskId: databricksTaskId,
        operator: "DatabricksSubmitRunOperator",
        kind: "databricks",
        retries: 0,
        seconds: 30,
      },
    ],
  },
  {
    dagId: "network_kpi_daily",
    description:
      "Aggregates hourly PM counters into daily cell KPIs. Paused while the network team migrates the source.",
    owners: ["network-analytics"],
    tags: ["network", "daily"],
    fileloc: "/opt/airflow/dags/network/kpi_daily.py",
    cron: "0 2 * * *",
    timetableDescription: "At 02:00",
    periodMs: 24 * hourMs,
    isPausedUponCreation: true,
    historyRuns: 5,
    tasks: [
      { taskId: "extract_pm_counters", operator: "PythonOperator", kind: "python", retries: 1, seconds: 60 },
      { taskId: "aggregate_cell_kpis", operator: "PythonOperator", kind: "python", retries: 1, seconds: 90 },
    ],
  },
];

export const findDag = (dagId: string) => dagDefinitions.find((d) => d.dagId === dagId);

/**
 * Conf keys a run understands, so tests and demos can make a run go wrong on purpose:
 * `simulate_ingest_failure` fails the first try of the ingest task (it retries),
 * `inject_quality_issue` nulls some customer ids so validation fails.
 */
export interface RunConf {
  simulate_ingest_failure?: boolean;
  inject_quality_issue?: boolean;
  [key: string]: unknown;
}

/** A Great Expectations validation result (ExpectationSuiteValidationResult), as the operator returns it. */
export function validateCustomerFeatures(seed: number, injectQualityIssue: boolean) {
  const random = createRandom(seed);
  const offset = random.int(0, 15_000);
  const rows: DataRow[] = Array.from({ length: 400 }, (_, i) => ({ ...customerFeatureRow(offset + i) }));
  if (injectQualityIssue) for (const row of rows) if (random.next() < 0.06) row.customer_id = null;
  const results = suites[validatedTable].map((expectation) => {
    const outcome = evaluateExpectation(expectation, rows, rows.length);
    return {
      success: outcome.success,
      expectation_config: {
        expectation_type: expectation.type,
        kwargs: { ...expectationKwargs(expectation), column: expectationColumn(expectation) ?? undefined },
      },
      result: {
        observed_value: outcome.observedValue,
        element_count: outcome.elementCount,
        unexpected_count: outcome.unexpectedCount,
        unexpected_percent: outcome.unexpectedPercent,
      },
    };
  });
  const successful = results.filter((r) => r.success).length;
  return {
    success: successful === results.length,
    meta: {
      expectation_suite_name: "customer_features.hourly",
      batch_spec: { table: validatedTable, sample_rows: rows.length },
    },
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: successful,
      unsuccessful_expectations: results.length - successful,
      success_percent: (100 * successful) / results.length,
    },
    results,
  };
}

/** What the Databricks task submits (the operator's `json`): a short feature build, not a training run. */
export function featureBuildSubmission(
  dagId: string,
  dagRunId: string,
  tryNumber: number,
  intervalStart: Date,
) {
  return {
    run_name: `${dagId}.${databricksTaskId}`,
    idempotency_token: idempotencyToken(`${dagId}/${dagRunId}/${tryNumber}`),
    tasks: [
      {
        task_key: "build_churn_features",
        spark_python_task: {
          python_file: "dbfs:/pipelines/telco/build_churn_features.py",
          parameters: ["--duration_seconds", "30", "--hour", intervalStart.toISOString()],
        },
        new_cluster: { spark_version: "15.4.x-scala2.12", node_type_id: "Standard_DS3_v2", num_workers: 2 },
      },
    ],
    tags: { airflow_dag_id: dagId, airflow_dag_run_id: dagRunId },
  };
}

/** ≤ 64 characters, stable for a (dag, run, try), as Databricks requires of idempotency tokens. */
const idempotencyToken = (key: string) =>
  `airflow-${createHash("sha256").update(key).digest("hex").slice(0, 48)}`;
