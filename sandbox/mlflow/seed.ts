import type pg from "pg";
import { createRandom } from "../data/telco";
import { featureServiceOfFeatureSet } from "../feast/registry";
import { inTransaction, type Queryable } from "./schema";
import { createModelVersion, createRegisteredModel, setAlias, transitionStage } from "./registry";
import { createExperiment } from "./experiments";
import { createRun, logBatch, updateRun, type LoadedRun, type MetricInput } from "./runs";

/**
 * A believable demo estate so the UI has something to show: three experiments with finished runs and
 * per-epoch metric histories, a workspace-registry model with stages and a Unity Catalog model with
 * aliases. Deterministic (seeded random numbers), timestamps relative to now. Idempotent: an
 * experiment that already exists is left alone, and so is a model that already exists.
 */

const day = 86_400_000;
const users = [
  "ana.silva@contoso.com",
  "james.okafor@contoso.com",
  "mei.tanaka@contoso.com",
  "svc-training@contoso.com",
];

interface RunPlan {
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Metric values per step. */
  history: Record<string, number[]>;
  status: "FINISHED" | "FAILED" | "KILLED";
  durationMs: number;
}

interface ExperimentPlan {
  name: string;
  tags: Record<string, string>;
  runs: (random: () => number, index: number) => RunPlan;
  count: number;
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** A learning curve: starts at `from`, approaches `to` at `rate`, with a little noise. */
function curve(random: () => number, steps: number, from: number, to: number, rate: number, noise: number) {
  return Array.from({ length: steps }, (_, step) =>
    round(to + (from - to) * Math.exp(-rate * step) + (random() - 0.5) * noise),
  );
}

const churnPlan: ExperimentPlan = {
  name: "/Shared/churn-model",
  tags: {
    team: "retention",
    "mlflow.note.content": "Monthly churn propensity model for consumer subscriptions.",
  },
  count: 24,
  // Training reads its features from Feast through a feature service, recorded on the run like the team's job does.
  runs(random, index) {
    const plan = churnRun(random, index);
    plan.tags["feast.feature_service"] = featureServiceOfFeatureSet[plan.params.feature_set];
    return plan;
  },
};

function churnRun(random: () => number, index: number): RunPlan {
  const modelType = ["xgboost", "lightgbm", "logistic_regression"][index % 3];
  const epochs = 20 + Math.floor(random() * 21);
  const learningRate = [0.01, 0.03, 0.05, 0.1][Math.floor(random() * 4)];
  const ceiling = modelType === "logistic_regression" ? 0.81 : 0.86 + random() * 0.05;
  const auc = curve(random, epochs, 0.62, ceiling, 0.08 + learningRate, 0.006).map((v) => clamp(v, 0, 1));
  const status = index === 5 ? "FAILED" : index === 11 ? "KILLED" : "FINISHED";
  const truncated = status === "FINISHED" ? epochs : Math.floor(epochs / 3);
  const slice = (values: number[]) => values.slice(0, truncated);
  return {
    params: {
      model_type: modelType,
      learning_rate: String(learningRate),
      max_depth: String(4 + Math.floor(random() * 6)),
      n_estimators: String(100 * (2 + Math.floor(random() * 8))),
      epochs: String(epochs),
      feature_set: ["v3", "v4", "v4-usage"][Math.floor(random() * 3)],
      train_table: "main.retention.churn_training_2026q3",
    },
    tags: {
      "mlflow.source.type": "JOB",
      "mlflow.source.name": "jobs/churn-training",
      team: "retention",
      dataset_version: "2026-10-01",
    },
    history: {
      train_loss: slice(curve(random, epochs, 0.69, 0.24 + random() * 0.05, 0.12, 0.01)),
      val_loss: slice(curve(random, epochs, 0.7, 0.29 + random() * 0.06, 0.1, 0.015)),
      auc: slice(auc),
      accuracy: slice(auc.map((v) => round(clamp(v - 0.04 + (random() - 0.5) * 0.01, 0, 1)))),
      f1: slice(auc.map((v) => round(clamp(v - 0.2 + (random() - 0.5) * 0.02, 0, 1)))),
    },
    status,
    durationMs: (8 + epochs) * 60_000,
  };
}

const anomalyPlan: ExperimentPlan = {
  name: "/Shared/network-anomaly",
  tags: { team: "network-ops" },
  count: 16,
  runs(random, index) {
    const algorithm = index % 2 ? "autoencoder" : "isolation_forest";
    const epochs = algorithm === "autoencoder" ? 30 + Math.floor(random() * 30) : 10;
    const precision = curve(random, epochs, 0.55, 0.88 + random() * 0.06, 0.09, 0.01).map((v) =>
      clamp(v, 0, 1),
    );
    const recall = curve(random, epochs, 0.5, 0.8 + random() * 0.1, 0.07, 0.012).map((v) => clamp(v, 0, 1));
    return {
      params: {
        algorithm,
        contamination: String([0.005, 0.01, 0.02][index % 3]),
        window_minutes: String([5, 15, 30][Math.floor(random() * 3)]),
        latent_dim: algorithm === "autoencoder" ? String(8 * (1 + Math.floor(random() * 4))) : "n/a",
        epochs: String(epochs),
      },
      tags: {
        "mlflow.source.type": "JOB",
        "mlflow.source.name": "jobs/anomaly-training",
        team: "network-ops",
        "feast.feature_service": "network_anomaly_v1",
      },
      history: {
        reconstruction_loss: curve(random, epochs, 1.2, 0.08 + random() * 0.05, 0.1, 0.02),
        precision,
        recall,
        f1: precision.map((p, i) => round((2 * p * recall[i]) / (p + recall[i]))),
      },
      status: index === 7 ? "FAILED" : "FINISHED",
      durationMs: (5 + epochs) * 45_000,
    };
  },
};

const assistantPlan: ExperimentPlan = {
  name: "/Shared/genai-support-assistant",
  tags: { team: "customer-care", "mlflow.experimentKind": "genai_development" },
  count: 10,
  runs(random, index) {
    const rounds = 5;
    const temperature = [0, 0.2, 0.5][index % 3];
    return {
      params: {
        llm: ["gpt-4o-mini", "gpt-4.1", "llama-3.1-70b-instruct"][index % 3],
        temperature: String(temperature),
        prompt_version: `v${1 + Math.floor(index / 3)}`,
        retriever_k: String([4, 8, 12][Math.floor(random() * 3)]),
        eval_set: "support-golden-set-v2",
      },
      tags: {
        "mlflow.source.type": "NOTEBOOK",
        "mlflow.source.name": "/Repos/care/assistant-eval",
        team: "customer-care",
      },
      history: {
        answer_relevance: curve(random, rounds, 0.7, 0.86 + random() * 0.08, 0.6, 0.02).map((v) =>
          clamp(v, 0, 1),
        ),
        faithfulness: curve(random, rounds, 0.75, 0.9 + random() * 0.06 - temperature * 0.1, 0.5, 0.02).map(
          (v) => clamp(v, 0, 1),
        ),
        toxicity: curve(random, rounds, 0.02, 0.004, 0.5, 0.002).map((v) => clamp(v, 0, 1)),
        latency_p95_ms: curve(random, rounds, 2400, 1300 + random() * 600, 0.4, 80).map((v) => Math.round(v)),
      },
      status: "FINISHED",
      durationMs: 12 * 60_000,
    };
  },
};

async function seedExperiment(
  pool: Queryable,
  plan: ExperimentPlan,
  seed: number,
  startedAt: number,
): Promise<LoadedRun[]> {
  const { rowCount } = await pool.query("SELECT 1 FROM mlflow_experiments WHERE name = $1", [plan.name]);
  if (rowCount) return [];
  const experimentId = await createExperiment(pool, plan.name, {
    tags: Object.entries(plan.tags).map(([key, value]) => ({ key, value })),
    at: startedAt - day,
  });
  const random = createRandom(seed).next;
  const runs: LoadedRun[] = [];
  for (let index = 0; index < plan.count; index++) {
    const run = plan.runs(random, index);
    const startTime = startedAt + Math.floor((index / plan.count) * 20 * day + random() * 3 * 3_600_000);
    const created = await createRun(pool, {
      experimentId,
      userId: users[index % users.length],
      startTime,
      tags: Object.entries({ ...run.tags, "mlflow.user": users[index % users.length] }).map(
        ([key, value]) => ({ key, value }),
      ),
    });
    const steps = Math.max(...Object.values(run.history).map((h) => h.length));
    const metrics: MetricInput[] = Object.entries(run.history).flatMap(([key, values]) =>
      values.map((value, step) => ({
        key,
        value,
        step,
        timestamp: startTime + Math.floor(((step + 1) / steps) * run.durationMs),
      })),
    );
    await logBatch(pool, created.info.run_id, {
      params: Object.entries(run.params).map(([key, value]) => ({ key, value })),
    });
    for (let i = 0; i < metrics.length; i += 1000)
      await logBatch(pool, created.info.run_id, { metrics: metrics.slice(i, i + 1000) });
    await updateRun(pool, created.info.run_id, { status: run.status, endTime: startTime + run.durationMs });
    runs.push(created);
  }
  return runs;
}

async function seedModel(
  pool: Queryable,
  { name, description, team }: { name: string; description: string; team: string },
  runs: LoadedRun[],
  apply: (versions: number[], at: number) => Promise<void>,
) {
  const { rowCount } = await pool.query("SELECT 1 FROM mlflow_registered_models WHERE name = $1", [name]);
  if (rowCount || !runs.length) return;
  const first = Number(runs[0].info.start_time);
  await createRegisteredModel(pool, name, {
    description,
    owner: users[0],
    tags: [{ key: "team", value: team }],
    at: first,
  });
  const versions: number[] = [];
  for (const [index, run] of runs.entries()) {
    const at = Number(run.info.start_time) + 3_600_000;
    versions.push(
      await createModelVersion(pool, {
        name,
        source: `${run.info.artifact_uri}/model`,
        runId: run.info.run_id,
        userId: run.info.user_id,
        description: `Trained by ${run.info.run_name}`,
        tags: [{ key: "validation_status", value: index < runs.length - 1 ? "passed" : "pending" }],
        readyAfterMs: 0,
        at,
      }),
    );
  }
  await apply(versions, Number(runs.at(-1)!.info.start_time) + 7_200_000);
}

export async function seedMlflow(pool: pg.Pool): Promise<void> {
  // One transaction: a fresh sandbox seeds in a fraction of the time, and never half-seeds.
  await inTransaction(pool, (client) => seedEstate(client));
}

async function seedEstate(pool: pg.PoolClient): Promise<void> {
  const startedAt = Date.now() - 22 * day;
  const churnRuns = await seedExperiment(pool, churnPlan, 11, startedAt);
  const anomalyRuns = await seedExperiment(pool, anomalyPlan, 23, startedAt);
  await seedExperiment(pool, assistantPlan, 37, startedAt + 10 * day);

  const finishedChurn = churnRuns.filter((_, index) => index !== 5 && index !== 11);
  const churn = {
    name: "churn-classifier",
    description: "Gradient-boosted churn propensity model (workspace registry).",
    team: "retention",
  };
  await seedModel(
    pool,
    churn,
    finishedChurn.filter((_, i) => i % 5 === 4).slice(0, 4),
    async (versions, at) => {
      await transitionStage(pool, "churn-classifier", versions[0], "Production", false, at - 3 * day);
      await transitionStage(pool, "churn-classifier", versions[1], "Production", true, at - 2 * day);
      await transitionStage(pool, "churn-classifier", versions[2], "Production", true, at - day);
      await transitionStage(pool, "churn-classifier", versions[3], "Staging", false, at);
      await setAlias(pool, "churn-classifier", "champion", versions[2]);
    },
  );
  const ucChurn = {
    name: "main.ml.churn_classifier",
    description: "Churn propensity model governed in Unity Catalog.",
    team: "retention",
  };
  await seedModel(
    pool,
    ucChurn,
    finishedChurn.filter((_, i) => i % 6 === 5).slice(0, 3),
    async (versions) => {
      await setAlias(pool, "main.ml.churn_classifier", "champion", versions[1]);
      await setAlias(pool, "main.ml.churn_classifier", "challenger", versions[2]);
    },
  );
  const anomaly = {
    name: "network-anomaly-detector",
    description: "Flags anomalous traffic windows per cell site.",
    team: "network-ops",
  };
  await seedModel(
    pool,
    anomaly,
    anomalyRuns.filter((_, i) => i % 4 === 1).slice(0, 2),
    async (versions, at) => {
      await transitionStage(pool, "network-anomaly-detector", versions[0], "Production", false, at);
      await transitionStage(pool, "network-anomaly-detector", versions[1], "Staging", false, at);
    },
  );
}

/** True when no experiment besides MLflow's built-in Default exists. */
export async function isEstateEmpty(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query("SELECT 1 FROM mlflow_experiments WHERE experiment_id <> 0 LIMIT 1");
  return !rowCount;
}
