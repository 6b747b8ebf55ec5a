import { CloudApiError, createHttpClient, paginate, type TransportOptions } from "../http";
import { sampleSteps } from "./metric-sampling";
import {
  responses,
  type Experiment,
  type Metric,
  type MetricWithRunId,
  type ModelStage,
  type ModelVersion,
  type RegisteredModel,
  type Run,
  type RunInfo,
  type RunStatus,
  type UcModelAlias,
  type UcModelVersion,
  type UcRegisteredModel,
  type ViewType,
} from "./schemas";

export * from "./schemas";

/**
 * Typed client for MLflow tracking and model registry: Databricks-hosted MLflow, Azure ML's MLflow
 * endpoint, or a self-hosted open-source server (`baseUrl` is the tracking URI's HTTP base). The Unity
 * Catalog model endpoints exist on Databricks only; `probeUnityCatalog()` tells whether they are there.
 */

export interface MlflowClientOptions extends TransportOptions {
  baseUrl: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

export type KeyValues = Record<string, string>;

/** MLflow's limits for one runs/log-batch request (mlflow/utils/validation.py). */
export const logBatchLimits = { metrics: 1000, params: 100, tags: 100, total: 1000 };
/** The MLflow UI asks get-history-bulk-interval for this many points per chart. */
export const chartPoints = 320;
export const maxRunsPerBulkInterval = 100;

export interface SearchRunsParams {
  experimentIds: string[];
  filter?: string;
  runViewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface SearchParams {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

/** Reads MLflow's `{error_code, message}` and Azure ML's `{error: {code, message}}`. */
export function parseMlflowError(_status: number, body: unknown): { errorCode?: string; message?: string } {
  if (!body || typeof body !== "object") return {};
  const b = body as {
    error_code?: unknown;
    message?: unknown;
    error?: { code?: unknown; message?: unknown };
  };
  if (typeof b.error_code === "string")
    return { errorCode: b.error_code, message: typeof b.message === "string" ? b.message : undefined };
  if (b.error && typeof b.error === "object") {
    return {
      errorCode: typeof b.error.code === "string" ? b.error.code : undefined,
      message: typeof b.error.message === "string" ? b.error.message : undefined,
    };
  }
  return { message: typeof b.message === "string" ? b.message : undefined };
}

/**
 * An alias that points nowhere: Databricks and Unity Catalog answer 404, open-source MLflow 2.x 400
 * INVALID_PARAMETER_VALUE "Registered model alias X not found." (model_registry/sqlalchemy_store.py).
 */
export function isAliasMissing(error: unknown): boolean {
  if (!(error instanceof CloudApiError)) return false;
  return (
    error.isNotFound ||
    (error.errorCode === "INVALID_PARAMETER_VALUE" && /alias .* not found/i.test(error.message))
  );
}

/** 404 codes that mean "no such resource" rather than "no such endpoint". */
const resourceMissingCodes = new Set(["RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"]);

/**
 * The server lacks the endpoint or feature: open-source MLflow answers a bare 404, Databricks
 * ENDPOINT_NOT_FOUND or FEATURE_DISABLED, other hosts 404 with their own code, 405 or 501.
 */
export function isEndpointMissing(error: unknown): boolean {
  if (!(error instanceof CloudApiError)) return false;
  if (error.status === 404) return !resourceMissingCodes.has(error.errorCode);
  return error.status === 405 || error.status === 501 || error.errorCode === "FEATURE_DISABLED";
}

const toWireTags = (tags: KeyValues | undefined) =>
  tags ? Object.entries(tags).map(([key, value]) => ({ key, value })) : undefined;

/** Splits a batch into requests within MLflow's limits. */
/** Proto JSON spells non-finite doubles as strings; JSON.stringify would send NaN as null, which MLflow refuses as missing. */
const wireDouble = (value: number) => (Number.isFinite(value) ? value : String(value));

export function splitLogBatch(
  batch: { metrics?: MetricInput[]; params?: KeyValues; tags?: KeyValues },
  at = Date.now(),
) {
  const metrics = (batch.metrics ?? []).map((m) => ({
    key: m.key,
    value: wireDouble(m.value),
    timestamp: m.timestamp ?? at,
    step: m.step ?? 0,
  }));
  const params = toWireTags(batch.params) ?? [];
  const tags = toWireTags(batch.tags) ?? [];
  const requests: Array<{ metrics: typeof metrics; params: typeof params; tags: typeof tags }> = [];
  while (metrics.length || params.length || tags.length) {
    const request = {
      params: params.splice(0, logBatchLimits.params),
      tags: tags.splice(0, logBatchLimits.tags),
      metrics: [] as typeof metrics,
    };
    request.metrics = metrics.splice(0, logBatchLimits.total - request.params.length - request.tags.length);
    requests.push(request);
  }
  return requests;
}

export function createMlflowClient(options: MlflowClientOptions) {
  const http = createHttpClient({
    service: "MLflow",
    baseUrl: options.baseUrl,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    fetch: options.fetch,
    sleep: options.sleep,
    parseError: parseMlflowError,
  });
  const api = "/api/2.0/mlflow";
  const uc = "/api/2.1/unity-catalog/models";
  const ucPath = (fullName: string) => `${uc}/${encodeURIComponent(fullName)}`;

  const client = {
    // ---- experiments ----
    async searchExperiments(params: SearchParams & { viewType?: ViewType } = {}): Promise<Page<Experiment>> {
      // Open-source MLflow refuses a search without max_results (the proto default 0); 1000 is its documented default.
      const body = {
        filter: params.filter,
        max_results: params.maxResults ?? 1000,
        order_by: params.orderBy,
        view_type: params.viewType,
        page_token: params.pageToken,
      };
      const page = await http.request("POST", `${api}/experiments/search`, {
        body,
        schema: responses.experiments,
        idempotent: true,
      });
      return { items: page.experiments, nextPageToken: page.next_page_token || undefined };
    },
    iterateExperiments(
      params: Omit<SearchParams, "pageToken"> & { viewType?: ViewType } = {},
    ): AsyncGenerator<Experiment> {
      return paginate((pageToken) => client.searchExperiments({ ...params, pageToken }));
    },
    async getExperiment(experimentId: string): Promise<Experiment> {
      return (
        await http.request("GET", `${api}/experiments/get`, {
          query: { experiment_id: experimentId },
          schema: responses.experiment,
        })
      ).experiment;
    },
    async getExperimentByName(name: string): Promise<Experiment> {
      return (
        await http.request("GET", `${api}/experiments/get-by-name`, {
          query: { experiment_name: name },
          schema: responses.experiment,
        })
      ).experiment;
    },
    async createExperiment(
      name: string,
      extra: { artifactLocation?: string; tags?: KeyValues } = {},
    ): Promise<string> {
      const body = { name, artifact_location: extra.artifactLocation, tags: toWireTags(extra.tags) };
      return (
        await http.request("POST", `${api}/experiments/create`, { body, schema: responses.createExperiment })
      ).experiment_id;
    },
    /** Creates the experiment or returns the existing one's id (RESOURCE_ALREADY_EXISTS is 400 in OSS, 409 on Databricks). */
    async ensureExperiment(
      name: string,
      extra: { artifactLocation?: string; tags?: KeyValues } = {},
    ): Promise<{ experimentId: string; created: boolean }> {
      try {
        return { experimentId: await client.createExperiment(name, extra), created: true };
      } catch (error) {
        if (!(error instanceof CloudApiError) || !error.isAlreadyExists) throw error;
        return { experimentId: (await client.getExperimentByName(name)).experimentId, created: false };
      }
    },

    // ---- runs ----
    async searchRuns(params: SearchRunsParams): Promise<Page<Run>> {
      const body = {
        experiment_ids: params.experimentIds,
        filter: params.filter,
        run_view_type: params.runViewType,
        max_results: params.maxResults,
        order_by: params.orderBy,
        page_token: params.pageToken,
      };
      const page = await http.request("POST", `${api}/runs/search`, {
        body,
        schema: responses.runs,
        idempotent: true,
      });
      return { items: page.runs, nextPageToken: page.next_page_token || undefined };
    },
    /**
     * One page for a person to page through: MLflow's SQL store hands out a token whenever a page is
     * full, so when one is, a one-run look ahead decides whether "next" leads anywhere.
     */
    async searchRunsPage(params: SearchRunsParams & { maxResults: number }): Promise<Page<Run>> {
      const page = await client.searchRuns(params);
      if (!page.nextPageToken || page.items.length < params.maxResults) return page;
      const ahead = await client.searchRuns({ ...params, maxResults: 1, pageToken: page.nextPageToken });
      return ahead.items.length ? page : { items: page.items };
    },
    iterateRuns(params: Omit<SearchRunsParams, "pageToken">): AsyncGenerator<Run> {
      return paginate((pageToken) => client.searchRuns({ ...params, pageToken }));
    },
    async getRun(runId: string): Promise<Run> {
      return (
        await http.request("GET", `${api}/runs/get`, { query: { run_id: runId }, schema: responses.run })
      ).run;
    },
    async createRun(params: {
      experimentId: string;
      runName?: string;
      startTime?: number;
      tags?: KeyValues;
      userId?: string;
    }): Promise<Run> {
      const body = {
        experiment_id: params.experimentId,
        run_name: params.runName,
        start_time: params.startTime ?? Date.now(),
        tags: toWireTags(params.tags),
        user_id: params.userId,
      };
      return (await http.request("POST", `${api}/runs/create`, { body, schema: responses.run })).run;
    },
    async updateRun(
      runId: string,
      update: { status?: RunStatus; endTime?: number; runName?: string },
    ): Promise<RunInfo> {
      const body = {
        run_id: runId,
        status: update.status,
        end_time: update.endTime,
        run_name: update.runName,
      };
      return (
        await http.request("POST", `${api}/runs/update`, {
          body,
          schema: responses.runInfo,
          idempotent: true,
        })
      ).run_info;
    },
    async deleteRun(runId: string): Promise<void> {
      await http.request("POST", `${api}/runs/delete`, {
        body: { run_id: runId },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async restoreRun(runId: string): Promise<void> {
      await http.request("POST", `${api}/runs/restore`, {
        body: { run_id: runId },
        schema: responses.empty,
        idempotent: true,
      });
    },
    /** Logs any number of metrics, params and tags, split into requests within MLflow's batch limits. */
    async logBatch(
      runId: string,
      batch: { metrics?: MetricInput[]; params?: KeyValues; tags?: KeyValues },
    ): Promise<void> {
      for (const request of splitLogBatch(batch)) {
        await http.request("POST", `${api}/runs/log-batch`, {
          body: { run_id: runId, ...request },
          schema: responses.empty,
        });
      }
    },
    async logMetric(runId: string, metric: MetricInput): Promise<void> {
      const body = {
        run_id: runId,
        key: metric.key,
        value: wireDouble(metric.value),
        timestamp: metric.timestamp ?? Date.now(),
        step: metric.step ?? 0,
      };
      await http.request("POST", `${api}/runs/log-metric`, { body, schema: responses.empty });
    },
    async logParam(runId: string, key: string, value: string): Promise<void> {
      await http.request("POST", `${api}/runs/log-parameter`, {
        body: { run_id: runId, key, value },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async setRunTag(runId: string, key: string, value: string): Promise<void> {
      await http.request("POST", `${api}/runs/set-tag`, {
        body: { run_id: runId, key, value },
        schema: responses.empty,
        idempotent: true,
      });
    },

    // ---- metric history ----
    async getMetricHistory(
      runId: string,
      metricKey: string,
      page: { maxResults?: number; pageToken?: string } = {},
    ): Promise<Page<Metric>> {
      const query = {
        run_id: runId,
        metric_key: metricKey,
        max_results: page.maxResults,
        page_token: page.pageToken,
      };
      const result = await http.request("GET", `${api}/metrics/get-history`, {
        query,
        schema: responses.metrics,
      });
      return { items: result.metrics, nextPageToken: result.next_page_token || undefined };
    },
    iterateMetricHistory(runId: string, metricKey: string, pageSize = 25_000): AsyncGenerator<Metric> {
      return paginate((pageToken) =>
        client.getMetricHistory(runId, metricKey, { maxResults: pageSize, pageToken }),
      );
    },
    /**
     * Up to `maxResults` evenly sampled steps per run (each run's first and last step always kept),
     * for charts. Servers without the endpoint (MLflow < 2.10, some hosted ones) get the same sampling
     * computed here from full histories.
     */
    async getMetricHistoryBulkInterval(params: {
      runIds: string[];
      metricKey: string;
      maxResults?: number;
      startStep?: number;
      endStep?: number;
    }): Promise<MetricWithRunId[]> {
      const query = {
        run_ids: params.runIds,
        metric_key: params.metricKey,
        max_results: params.maxResults,
        start_step: params.startStep,
        end_step: params.endStep,
      };
      try {
        return (
          await http.request("GET", `${api}/metrics/get-history-bulk-interval`, {
            query,
            schema: responses.metricsWithRunId,
          })
        ).metrics;
      } catch (error) {
        if (!isEndpointMissing(error)) throw error;
        return sampleLocally(params);
      }
    },

    // ---- workspace model registry ----
    async searchRegisteredModels(params: SearchParams = {}): Promise<Page<RegisteredModel>> {
      const query = {
        filter: params.filter,
        max_results: params.maxResults,
        order_by: params.orderBy,
        page_token: params.pageToken,
      };
      const page = await http.request("GET", `${api}/registered-models/search`, {
        query,
        schema: responses.registeredModels,
      });
      return { items: page.registered_models, nextPageToken: page.next_page_token || undefined };
    },
    iterateRegisteredModels(params: Omit<SearchParams, "pageToken"> = {}): AsyncGenerator<RegisteredModel> {
      return paginate((pageToken) => client.searchRegisteredModels({ ...params, pageToken }));
    },
    async getRegisteredModel(name: string): Promise<RegisteredModel> {
      return (
        await http.request("GET", `${api}/registered-models/get`, {
          query: { name },
          schema: responses.registeredModel,
        })
      ).registered_model;
    },
    async createRegisteredModel(
      name: string,
      extra: { description?: string; tags?: KeyValues } = {},
    ): Promise<RegisteredModel> {
      const body = { name, description: extra.description, tags: toWireTags(extra.tags) };
      return (
        await http.request("POST", `${api}/registered-models/create`, {
          body,
          schema: responses.registeredModel,
        })
      ).registered_model;
    },
    /** Creates the model or returns the existing one (RESOURCE_ALREADY_EXISTS is 400 in OSS, 409 on Databricks). */
    async ensureRegisteredModel(
      name: string,
      extra: { description?: string; tags?: KeyValues } = {},
    ): Promise<{ model: RegisteredModel; created: boolean }> {
      try {
        return { model: await client.createRegisteredModel(name, extra), created: true };
      } catch (error) {
        if (!(error instanceof CloudApiError) || !error.isAlreadyExists) throw error;
        return { model: await client.getRegisteredModel(name), created: false };
      }
    },
    async updateRegisteredModel(name: string, update: { description: string }): Promise<RegisteredModel> {
      return (
        await http.request("PATCH", `${api}/registered-models/update`, {
          body: { name, description: update.description },
          schema: responses.registeredModel,
          idempotent: true,
        })
      ).registered_model;
    },
    async deleteRegisteredModel(name: string): Promise<void> {
      await http.request("DELETE", `${api}/registered-models/delete`, {
        body: { name },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
      await http.request("POST", `${api}/registered-models/set-tag`, {
        body: { name, key, value },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
      await http.request("DELETE", `${api}/registered-models/delete-tag`, {
        body: { name, key },
        schema: responses.empty,
        idempotent: true,
      });
    },
    /** Points the alias at this version, moving it from any other. */
    async setAlias(name: string, alias: string, version: string | number): Promise<void> {
      await http.request("POST", `${api}/registered-models/alias`, {
        body: { name, alias, version: String(version) },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async deleteAlias(name: string, alias: string): Promise<void> {
      await http.request("DELETE", `${api}/registered-models/alias`, {
        body: { name, alias },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
      return (
        await http.request("GET", `${api}/registered-models/alias`, {
          query: { name, alias },
          schema: responses.modelVersion,
        })
      ).model_version;
    },
    /** The version the alias points at, or null when it points nowhere (yet, or any more). */
    async findModelVersionByAlias(name: string, alias: string): Promise<ModelVersion | null> {
      return orNullWhenAliasMissing(() => client.getModelVersionByAlias(name, alias));
    },
    /** The newest version in each of `stages` (all stages when empty). */
    async getLatestVersions(name: string, stages: ModelStage[] = []): Promise<ModelVersion[]> {
      return (
        await http.request("POST", `${api}/registered-models/get-latest-versions`, {
          body: { name, stages },
          schema: responses.modelVersions,
          idempotent: true,
        })
      ).model_versions;
    },
    async createModelVersion(params: {
      name: string;
      source: string;
      runId?: string;
      runLink?: string;
      description?: string;
      tags?: KeyValues;
    }): Promise<ModelVersion> {
      const body = {
        name: params.name,
        source: params.source,
        run_id: params.runId,
        run_link: params.runLink,
        description: params.description,
        tags: toWireTags(params.tags),
      };
      return (
        await http.request("POST", `${api}/model-versions/create`, { body, schema: responses.modelVersion })
      ).model_version;
    },
    async getModelVersion(name: string, version: string | number): Promise<ModelVersion> {
      return (
        await http.request("GET", `${api}/model-versions/get`, {
          query: { name, version: String(version) },
          schema: responses.modelVersion,
        })
      ).model_version;
    },
    async searchModelVersions(params: SearchParams = {}): Promise<Page<ModelVersion>> {
      const query = {
        filter: params.filter,
        max_results: params.maxResults,
        order_by: params.orderBy,
        page_token: params.pageToken,
      };
      const page = await http.request("GET", `${api}/model-versions/search`, {
        query,
        schema: responses.modelVersions,
      });
      return { items: page.model_versions, nextPageToken: page.next_page_token || undefined };
    },
    iterateModelVersions(params: Omit<SearchParams, "pageToken"> = {}): AsyncGenerator<ModelVersion> {
      return paginate((pageToken) => client.searchModelVersions({ ...params, pageToken }));
    },
    async updateModelVersion(
      name: string,
      version: string | number,
      update: { description: string },
    ): Promise<ModelVersion> {
      const body = { name, version: String(version), description: update.description };
      return (
        await http.request("PATCH", `${api}/model-versions/update`, {
          body,
          schema: responses.modelVersion,
          idempotent: true,
        })
      ).model_version;
    },
    /** Workspace registry only (Unity Catalog has no stages). archiveExistingVersions moves the others in that stage to Archived atomically. */
    async transitionStage(
      name: string,
      version: string | number,
      stage: ModelStage,
      extra: { archiveExistingVersions?: boolean } = {},
    ): Promise<ModelVersion> {
      const body = {
        name,
        version: String(version),
        stage,
        archive_existing_versions: extra.archiveExistingVersions ?? false,
      };
      return (
        await http.request("POST", `${api}/model-versions/transition-stage`, {
          body,
          schema: responses.modelVersion,
          idempotent: true,
        })
      ).model_version;
    },
    async setModelVersionTag(
      name: string,
      version: string | number,
      key: string,
      value: string,
    ): Promise<void> {
      await http.request("POST", `${api}/model-versions/set-tag`, {
        body: { name, version: String(version), key, value },
        schema: responses.empty,
        idempotent: true,
      });
    },
    async deleteModelVersionTag(name: string, version: string | number, key: string): Promise<void> {
      await http.request("DELETE", `${api}/model-versions/delete-tag`, {
        body: { name, version: String(version), key },
        schema: responses.empty,
        idempotent: true,
      });
    },

    // ---- Unity Catalog models (Databricks only) ----
    /** False when the server has no Unity Catalog model endpoints (open-source MLflow, Azure ML). */
    async probeUnityCatalog(): Promise<boolean> {
      try {
        await http.request("GET", uc, { query: { max_results: 1 }, schema: responses.ucModels });
        return true;
      } catch (error) {
        if (isEndpointMissing(error)) return false;
        throw error;
      }
    },
    async listUcModels(
      params: {
        catalogName?: string;
        schemaName?: string;
        maxResults?: number;
        pageToken?: string;
        includeAliases?: boolean;
      } = {},
    ): Promise<Page<UcRegisteredModel>> {
      const query = {
        catalog_name: params.catalogName,
        schema_name: params.schemaName,
        max_results: params.maxResults,
        page_token: params.pageToken,
        include_aliases: params.includeAliases,
      };
      const page = await http.request("GET", uc, { query, schema: responses.ucModels });
      return { items: page.registered_models, nextPageToken: page.next_page_token || undefined };
    },
    iterateUcModels(
      params: {
        catalogName?: string;
        schemaName?: string;
        maxResults?: number;
        includeAliases?: boolean;
      } = {},
    ): AsyncGenerator<UcRegisteredModel> {
      return paginate((pageToken) => client.listUcModels({ ...params, pageToken }));
    },
    async getUcModel(fullName: string): Promise<UcRegisteredModel> {
      return http.request("GET", ucPath(fullName), {
        query: { include_aliases: true },
        schema: responses.ucModel,
      });
    },
    async listUcModelVersions(
      fullName: string,
      params: { maxResults?: number; pageToken?: string } = {},
    ): Promise<Page<UcModelVersion>> {
      const query = { max_results: params.maxResults, page_token: params.pageToken, include_aliases: true };
      const page = await http.request("GET", `${ucPath(fullName)}/versions`, {
        query,
        schema: responses.ucVersions,
      });
      return { items: page.model_versions, nextPageToken: page.next_page_token || undefined };
    },
    iterateUcModelVersions(
      fullName: string,
      params: { maxResults?: number } = {},
    ): AsyncGenerator<UcModelVersion> {
      return paginate((pageToken) => client.listUcModelVersions(fullName, { ...params, pageToken }));
    },
    async getUcModelVersion(fullName: string, version: number): Promise<UcModelVersion> {
      return http.request("GET", `${ucPath(fullName)}/versions/${version}`, {
        query: { include_aliases: true },
        schema: responses.ucVersion,
      });
    },
    /** Points the alias at this version, moving it from any other. */
    async setUcAlias(fullName: string, alias: string, versionNum: number): Promise<UcModelAlias> {
      const body = { full_name: fullName, alias, version_num: versionNum };
      return http.request("PUT", `${ucPath(fullName)}/aliases/${encodeURIComponent(alias)}`, {
        body,
        schema: responses.ucAlias,
        idempotent: true,
      });
    },
    async deleteUcAlias(fullName: string, alias: string): Promise<void> {
      await http.request("DELETE", `${ucPath(fullName)}/aliases/${encodeURIComponent(alias)}`, {
        schema: responses.empty,
        idempotent: true,
      });
    },
    async getUcModelVersionByAlias(fullName: string, alias: string): Promise<UcModelVersion> {
      return http.request("GET", `${ucPath(fullName)}/aliases/${encodeURIComponent(alias)}`, {
        query: { include_aliases: true },
        schema: responses.ucVersion,
      });
    },
    async findUcModelVersionByAlias(fullName: string, alias: string): Promise<UcModelVersion | null> {
      return orNullWhenAliasMissing(() => client.getUcModelVersionByAlias(fullName, alias));
    },
  };

  async function orNullWhenAliasMissing<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      if (isAliasMissing(error)) return null;
      throw error;
    }
  }

  async function sampleLocally(params: {
    runIds: string[];
    metricKey: string;
    maxResults?: number;
    startStep?: number;
    endStep?: number;
  }): Promise<MetricWithRunId[]> {
    const histories: Metric[][] = [];
    for (const runId of params.runIds) {
      const history: Metric[] = [];
      for await (const metric of client.iterateMetricHistory(runId, params.metricKey)) history.push(metric);
      histories.push(history);
    }
    const range =
      params.startStep !== undefined && params.endStep !== undefined
        ? { startStep: params.startStep, endStep: params.endStep }
        : undefined;
    const steps = new Set(
      sampleSteps(
        histories.map((h) => h.map((m) => m.step)),
        params.maxResults ?? 2500,
        range,
      ),
    );
    return params.runIds.flatMap((runId, index) =>
      histories[index]
        .filter((m) => steps.has(m.step))
        .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp)
        .map((m) => ({ runId, ...m })),
    );
  }

  return client;
}

export type MlflowClient = ReturnType<typeof createMlflowClient>;
