import { z } from "zod";
import { CloudApiError, createHttpClient, type TransportOptions } from "../http";
import {
  activityRunsQueryResponse,
  cloudError,
  createRunResponse,
  pipelineListResponse,
  pipelineResource,
  pipelineRun,
  pipelineRunsQueryResponse,
  type ActivityRun,
  type PipelineResource,
  type PipelineRun,
} from "./schemas";

export type {
  ActivityDefinition,
  ActivityRun,
  ParameterSpecification,
  PipelineResource,
  PipelineRun,
  PipelineRunStatus,
} from "./schemas";

/**
 * Azure Data Factory's REST API on Azure Resource Manager (api-version 2018-06-01), for one factory,
 * on the shared transport. Pipelines list with `nextLink`; pipeline and activity runs are queried by a
 * POSTed RunFilterParameters (a lastUpdated window is required) and page with `continuationToken`.
 * Errors are ARM CloudErrors `{error: {code, message}}`; throttling is 429 with Retry-After, which the
 * transport honours. Tokens are the service principal's for https://management.azure.com/.default.
 */

export const adfApiVersion = "2018-06-01";
/** The ARM resource (public cloud): the client-credentials scope for a token ADF accepts. */
export const azureManagementScope = "https://management.azure.com/.default";
export const azureManagementUrl = "https://management.azure.com";

export interface AdfFactory {
  subscriptionId: string;
  resourceGroup: string;
  factoryName: string;
}

export interface AdfClientOptions extends AdfFactory, TransportOptions {
  /** https://management.azure.com, or the sandbox's URL. */
  baseUrl: string;
}

/** RunQueryFilter: operand PipelineName, Status, RunStart, RunEnd, RunGroupId, LatestOnly, TriggerName, ActivityName, ActivityType …; operator Equals, NotEquals, In, NotIn. */
export interface RunQueryFilter {
  operand: string;
  operator: "Equals" | "NotEquals" | "In" | "NotIn";
  values: string[];
}

/** RunQueryOrderBy: orderBy RunStart, RunEnd, PipelineName, Status, ActivityName, ActivityRunStart …; order ASC or DESC. */
export interface RunQueryOrderBy {
  orderBy: string;
  order: "ASC" | "DESC";
}

export interface RunFilter {
  lastUpdatedAfter: Date | string;
  lastUpdatedBefore: Date | string;
  filters?: RunQueryFilter[];
  orderBy?: RunQueryOrderBy[];
  continuationToken?: string;
}

export interface CreateRunOptions {
  /** Pipeline parameter values by name (ParameterValueSpecification). */
  parameters?: Record<string, unknown>;
  /** Rerun: copies that run's parameters unless `parameters` are given. */
  referencePipelineRunId?: string;
  /** With referencePipelineRunId: the new run joins the reference run's group (runGroupId). */
  isRecovery?: boolean;
  startActivityName?: string;
  startFromFailure?: boolean;
}

const iso = (value: Date | string) => (typeof value === "string" ? value : value.toISOString());

/** ARM's CloudError body: the code (PipelineNotFound, BadRequest, TooManyRequests …) and its message. */
export function parseArmError(_status: number, body: unknown): { errorCode?: string; message?: string } {
  const parsed = cloudError.safeParse(body);
  if (!parsed.success) return {};
  return { errorCode: parsed.data.error.code, message: parsed.data.error.message };
}

const segment = encodeURIComponent;

export function createAdfClient(options: AdfClientOptions) {
  const baseUrl = options.baseUrl.replace(/\/$/, "");
  const factoryPath =
    `/subscriptions/${segment(options.subscriptionId)}/resourceGroups/${segment(options.resourceGroup)}` +
    `/providers/Microsoft.DataFactory/factories/${segment(options.factoryName)}`;
  const http = createHttpClient({
    service: "Azure Data Factory",
    baseUrl,
    getToken: options.getToken,
    timeoutMs: options.timeoutMs ?? 30_000,
    retryBudgetMs: options.retryBudgetMs,
    maxAttempts: options.maxAttempts,
    parseError: parseArmError,
    fetch: options.fetch,
    sleep: options.sleep,
    userAgent: "switchboard/0.1 adf",
  });
  const query = { "api-version": adfApiVersion };
  // The token goes only to the host it was asked for: a nextLink elsewhere is refused, not followed.
  const samePath = (link: string) => {
    const url = new URL(link);
    if (url.origin !== new URL(baseUrl).origin)
      throw new CloudApiError(
        "Azure Data Factory",
        0,
        "UNEXPECTED_NEXT_LINK",
        `nextLink points elsewhere: ${url.origin}`,
        false,
      );
    return url.pathname.slice(new URL(baseUrl).pathname.replace(/\/$/, "").length) + url.search;
  };
  const filterBody = (filter: RunFilter) => ({
    lastUpdatedAfter: iso(filter.lastUpdatedAfter),
    lastUpdatedBefore: iso(filter.lastUpdatedBefore),
    filters: filter.filters,
    orderBy: filter.orderBy,
    continuationToken: filter.continuationToken,
  });

  return {
    factory: {
      subscriptionId: options.subscriptionId,
      resourceGroup: options.resourceGroup,
      factoryName: options.factoryName,
    },

    /** Every pipeline of the factory, following `nextLink` (an absolute URL on the same host). */
    async listPipelines(): Promise<PipelineResource[]> {
      const out: PipelineResource[] = [];
      let path: string | undefined = `${factoryPath}/pipelines?api-version=${adfApiVersion}`;
      while (path) {
        const page: z.infer<typeof pipelineListResponse> = await http.request("GET", path, {
          schema: pipelineListResponse,
        });
        out.push(...page.value);
        path = page.nextLink ? samePath(page.nextLink) : undefined;
      }
      return out;
    },

    getPipeline(pipelineName: string): Promise<PipelineResource> {
      return http.request("GET", `${factoryPath}/pipelines/${segment(pipelineName)}`, {
        query,
        schema: pipelineResource,
      });
    },

    /**
     * Starts a run; the answer is its runId. Not idempotent: the API takes no client-chosen id, so a
     * retry after an ambiguous failure could start a second run. Callers that must not (the trigger
     * worker) pass a parameter of their own and look for it with queryPipelineRuns first.
     */
    async createRun(pipelineName: string, run: CreateRunOptions = {}): Promise<{ runId: string }> {
      const body = await http.request("POST", `${factoryPath}/pipelines/${segment(pipelineName)}/createRun`, {
        query: {
          ...query,
          referencePipelineRunId: run.referencePipelineRunId,
          isRecovery: run.isRecovery,
          startActivityName: run.startActivityName,
          startFromFailure: run.startFromFailure,
        },
        body: run.parameters ?? {},
        schema: createRunResponse,
        idempotent: false,
      });
      return { runId: body.runId };
    },

    /** One page of the factory's pipeline runs updated within the window. */
    async queryPipelineRuns(filter: RunFilter): Promise<{ runs: PipelineRun[]; continuationToken?: string }> {
      const body = await http.request("POST", `${factoryPath}/queryPipelineRuns`, {
        query,
        body: filterBody(filter),
        schema: pipelineRunsQueryResponse,
        idempotent: true,
      });
      return { runs: body.value, continuationToken: body.continuationToken ?? undefined };
    },

    getPipelineRun(runId: string): Promise<PipelineRun> {
      return http.request("GET", `${factoryPath}/pipelineruns/${segment(runId)}`, {
        query,
        schema: pipelineRun,
      });
    },

    /** Every activity run of a pipeline run updated within the window (retries are runs of their own), following continuationToken. */
    async queryActivityRuns(
      runId: string,
      filter: Omit<RunFilter, "continuationToken">,
    ): Promise<ActivityRun[]> {
      const out: ActivityRun[] = [];
      let continuationToken: string | undefined;
      do {
        const body = await http.request(
          "POST",
          `${factoryPath}/pipelineruns/${segment(runId)}/queryActivityruns`,
          {
            query,
            body: filterBody({ ...filter, continuationToken }),
            schema: activityRunsQueryResponse,
            idempotent: true,
          },
        );
        out.push(...body.value);
        continuationToken = body.continuationToken ?? undefined;
      } while (continuationToken);
      return out;
    },

    /** Cancels a run (and, with isRecursive, the runs its Execute Pipeline activities started). */
    async cancelPipelineRun(
      runId: string,
      { isRecursive = false }: { isRecursive?: boolean } = {},
    ): Promise<void> {
      await http.request("POST", `${factoryPath}/pipelineruns/${segment(runId)}/cancel`, {
        query: { ...query, isRecursive },
        schema: z.unknown(),
        idempotent: true,
      });
    },
  };
}

export type AdfClient = ReturnType<typeof createAdfClient>;
