import { z } from "zod";
import { CloudApiError, createHttpClient, type HttpClient } from "@/lib/clients/http";
import { TaskInterrupted } from "./program";

/**
 * What a Databricks training job does with MLflow, over HTTP like the real `mlflow` package does
 * from a cluster: find or create the experiment, create a run, log params/metrics/tags in batches,
 * end the run, register a model version.
 */

export interface Metric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export type RunStatus = "FINISHED" | "FAILED" | "KILLED";

const ignored = z.unknown();

/** `signal` aborts in-flight calls when the sandbox stops; they then throw TaskInterrupted("shutdown"). */
export function createMlflowTracking(options: {
  baseUrl: string;
  token: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}) {
  // Short budget: a job whose tracking server is gone should fail within seconds, not minutes.
  const http: HttpClient = createHttpClient({
    service: "MLflow",
    baseUrl: options.baseUrl,
    getToken: async () => options.token,
    timeoutMs: options.timeoutMs ?? 15_000,
    retryBudgetMs: 20_000,
    maxAttempts: 4,
  });
  const call = async <T>(
    method: string,
    path: string,
    body: unknown,
    schema: z.ZodType<T>,
    idempotent = true,
  ) => {
    try {
      const request = method === "GET" ? { query: body as Record<string, string> } : { body, idempotent };
      return await http.request(method, `/api/2.0/mlflow/${path}`, {
        ...request,
        schema,
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw new TaskInterrupted("shutdown");
      throw error;
    }
  };

  return {
    async ensureExperiment(name: string): Promise<string> {
      try {
        const found = await call(
          "GET",
          "experiments/get-by-name",
          { experiment_name: name },
          z.object({ experiment: z.object({ experiment_id: z.string() }) }),
        );
        return found.experiment.experiment_id;
      } catch (error) {
        if (!(error instanceof CloudApiError && error.isNotFound)) throw error;
      }
      try {
        const created = await call(
          "POST",
          "experiments/create",
          { name },
          z.object({ experiment_id: z.string() }),
          false,
        );
        return created.experiment_id;
      } catch (error) {
        // Another job created it in between.
        if (!(error instanceof CloudApiError && error.isAlreadyExists)) throw error;
        const found = await call(
          "GET",
          "experiments/get-by-name",
          { experiment_name: name },
          z.object({ experiment: z.object({ experiment_id: z.string() }) }),
        );
        return found.experiment.experiment_id;
      }
    },

    async createRun(input: {
      experimentId: string;
      runName: string;
      startTime: number;
      tags: Record<string, string>;
    }) {
      const response = await call(
        "POST",
        "runs/create",
        {
          experiment_id: input.experimentId,
          run_name: input.runName,
          start_time: input.startTime,
          tags: Object.entries(input.tags).map(([key, value]) => ({ key, value })),
        },
        z.object({
          run: z.object({ info: z.object({ run_id: z.string(), artifact_uri: z.string().optional() }) }),
        }),
        false,
      );
      return { runId: response.run.info.run_id, artifactUri: response.run.info.artifact_uri ?? "" };
    },

    async logBatch(
      runId: string,
      batch: { metrics?: Metric[]; params?: Record<string, string>; tags?: Record<string, string> },
    ) {
      const params = Object.entries(batch.params ?? {}).map(([key, value]) => ({ key, value }));
      const tags = Object.entries(batch.tags ?? {}).map(([key, value]) => ({ key, value }));
      // MLflow's log-batch limits: 1000 metrics, 100 params, 100 tags per request.
      for (let i = 0; i < Math.max(params.length, tags.length, 1); i += 100) {
        await call(
          "POST",
          "runs/log-batch",
          {
            run_id: runId,
            metrics: i === 0 ? (batch.metrics ?? []) : [],
            params: params.slice(i, i + 100),
            tags: tags.slice(i, i + 100),
          },
          ignored,
        );
      }
    },

    /** The highest step logged for a metric (0 if none): what a resumed job continues after. */
    async lastLoggedStep(runId: string, metricKey: string): Promise<number> {
      const history = await call(
        "GET",
        "metrics/get-history",
        { run_id: runId, metric_key: metricKey },
        z.object({ metrics: z.array(z.object({ step: z.number() })).optional() }),
      );
      return Math.max(0, ...(history.metrics ?? []).map((m) => m.step));
    },

    async setTag(runId: string, key: string, value: string) {
      await call("POST", "runs/set-tag", { run_id: runId, key, value }, ignored);
    },

    async endRun(runId: string, status: RunStatus, endTime = Date.now()) {
      await call("POST", "runs/update", { run_id: runId, status, end_time: endTime }, ignored);
    },

    async registerModelVersion(input: {
      name: string;
      source: string;
      runId: string;
      tags?: Record<string, string>;
    }): Promise<string> {
      try {
        await call("POST", "registered-models/create", { name: input.name }, ignored, false);
      } catch (error) {
        if (!(error instanceof CloudApiError && error.isAlreadyExists)) throw error;
      }
      const response = await call(
        "POST",
        "model-versions/create",
        {
          name: input.name,
          source: input.source,
          run_id: input.runId,
          tags: Object.entries(input.tags ?? {}).map(([key, value]) => ({ key, value })),
        },
        z.object({
          model_version: z.object({ version: z.union([z.string(), z.number()]).transform(String) }),
        }),
        false,
      );
      return response.model_version.version;
    },

    async modelVersionStatus(name: string, version: string): Promise<{ status: string; message?: string }> {
      const response = await call(
        "GET",
        "model-versions/get",
        { name, version },
        z.object({ model_version: z.object({ status: z.string(), status_message: z.string().optional() }) }),
      );
      return { status: response.model_version.status, message: response.model_version.status_message };
    },
  };
}

export type MlflowTracking = ReturnType<typeof createMlflowTracking>;
