import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { armError } from "../lib/dialect";
import { findPipeline, pipelineSpecs, sandboxFactory, type PipelineSpec } from "./factory";
import { runParameters } from "./runner";
import {
  activityColumns,
  runColumns,
  type ActivityRunRow,
  type AdfStore,
  type PipelineRunRow,
  type RunQuery,
} from "./store";

/**
 * Azure Data Factory's REST API (ARM, api-version 2018-06-01) for the sandbox's one factory:
 * pipelines (list, get, createRun), pipeline runs (queryPipelineRuns, get, cancel) and activity runs
 * (queryActivityruns), with ARM's CloudError bodies. ADF does not document its page size; the sandbox
 * answers at most 20 runs per page so every caller's continuationToken path is exercised.
 */

export const adfPageSize = 20;
const apiVersion = "2018-06-01";

class ArmFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
const badRequest = (message: string) => new ArmFailure(400, "BadRequest", message);

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : undefined);

const resourceId = (name: string) =>
  `/subscriptions/${sandboxFactory.subscriptionId}/resourceGroups/${sandboxFactory.resourceGroup}/providers/Microsoft.DataFactory/factories/${sandboxFactory.factoryName}/pipelines/${name}`;

function renderPipeline(pipeline: PipelineSpec) {
  return {
    id: resourceId(pipeline.name),
    name: pipeline.name,
    type: "Microsoft.DataFactory/factories/pipelines",
    etag: `"${createHash("sha1").update(JSON.stringify(pipeline)).digest("hex").slice(0, 32)}"`,
    properties: {
      description: pipeline.description,
      activities: pipeline.activities.map((activity, i) => ({
        name: activity.name,
        type: activity.type,
        dependsOn: i
          ? [{ activity: pipeline.activities[i - 1].name, dependencyConditions: ["Succeeded"] }]
          : [],
        policy: {
          timeout: "0.12:00:00",
          retry: activity.retry,
          retryIntervalInSeconds: activity.retryIntervalInSeconds,
          secureOutput: false,
          secureInput: false,
        },
        userProperties: [],
        ...(activity.linkedServiceName
          ? {
              linkedServiceName: {
                referenceName: activity.linkedServiceName,
                type: "LinkedServiceReference",
              },
            }
          : {}),
        typeProperties: activity.typeProperties,
      })),
      parameters: pipeline.parameters,
      annotations: pipeline.annotations,
      folder: { name: pipeline.folder },
      lastPublishTime: "2026-11-02T09:14:27Z",
    },
  };
}

/** PipelineRun: parameter values read back as strings. */
function renderRun(run: PipelineRunRow) {
  return {
    runId: run.runId,
    debugRunId: null,
    runGroupId: run.runGroupId,
    pipelineName: run.pipelineName,
    parameters: Object.fromEntries(
      Object.entries(run.parameters).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    runDimensions: {},
    invokedBy: run.invokedBy,
    runStart: iso(run.runStart),
    runEnd: iso(run.runEnd),
    durationInMs: run.runStart && run.runEnd ? run.runEnd.getTime() - run.runStart.getTime() : undefined,
    status: run.status,
    message: run.message,
    lastUpdated: iso(run.lastUpdated),
    annotations: [],
    isLatest: true,
  };
}

function renderActivity(run: PipelineRunRow, a: ActivityRunRow, pipeline: PipelineSpec | undefined) {
  const spec = pipeline?.activities[a.position];
  return {
    activityRunEnd: iso(a.runEnd),
    activityName: a.activityName,
    activityRunStart: iso(a.runStart),
    activityType: spec?.type,
    durationInMs: a.runEnd ? a.runEnd.getTime() - a.runStart.getTime() : undefined,
    retryAttempt: a.attempt > 1 ? a.attempt - 1 : null,
    error: a.error ?? { errorCode: "", message: "", failureType: "", target: a.activityName, details: "" },
    activityRunId: a.activityRunId,
    iterationHash: "",
    input: a.input,
    linkedServiceName: spec?.linkedServiceName ?? "",
    output: a.output,
    userProperties: {},
    pipelineName: run.pipelineName,
    pipelineRunId: run.runId,
    status: a.status,
    recoveryStatus: "None",
    integrationRuntimeNames: ["autoresolveintegrationruntime"],
    executionDetails: {
      integrationRuntime: [
        { name: "AutoResolveIntegrationRuntime", type: "Managed", location: "West Europe" },
      ],
    },
  };
}

const runFilter = z.object({
  lastUpdatedAfter: z.iso.datetime({ offset: true }),
  lastUpdatedBefore: z.iso.datetime({ offset: true }),
  continuationToken: z.string().nullable().optional(),
  filters: z
    .array(
      z.object({
        operand: z.string(),
        operator: z.enum(["Equals", "NotEquals", "In", "NotIn"]),
        values: z.array(z.string()).min(1),
      }),
    )
    .optional(),
  orderBy: z.array(z.object({ orderBy: z.string(), order: z.enum(["ASC", "DESC"]) })).optional(),
});

/** The filter as a query, and its continuation token (offset bound to the query it continues). */
function parseFilter(
  body: unknown,
  columns: Record<string, string>,
  defaultOrder: string,
): { query: RunQuery; token: (offset: number) => string } {
  const parsed = runFilter.safeParse(body);
  if (!parsed.success)
    throw badRequest(
      parsed.error.issues
        .map((i) => `The '${i.path.join(".") || "body"}' field is invalid: ${i.message}.`)
        .join(" "),
    );
  const filter = parsed.data;
  const where = (filter.filters ?? []).map((f) => {
    const column = Object.hasOwn(columns, f.operand) ? columns[f.operand] : undefined;
    if (!column) throw badRequest(`The filter operand '${f.operand}' is not supported here.`);
    if (f.operator.startsWith("Not") || f.operator === "NotEquals")
      return { column, negate: true, values: f.values };
    return { column, negate: false, values: f.values };
  });
  const orderBy = (filter.orderBy ?? [{ orderBy: defaultOrder, order: "DESC" as const }]).map((o) => {
    const column = Object.hasOwn(columns, o.orderBy) ? columns[o.orderBy] : undefined;
    if (!column) throw badRequest(`The orderBy field '${o.orderBy}' is not supported here.`);
    return { column, descending: o.order === "DESC" };
  });
  // Bound to the filters and order it continues, not the window: callers move "now" between pages.
  const { continuationToken, filters, orderBy: order } = filter;
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([filters ?? [], order ?? []]))
    .digest("hex")
    .slice(0, 16);
  let offset = 0;
  if (continuationToken) {
    let decoded: { o?: unknown; f?: unknown } = {};
    try {
      decoded = JSON.parse(Buffer.from(continuationToken, "base64url").toString("utf8")) as typeof decoded;
    } catch {
      decoded = {};
    }
    if (
      decoded.f !== fingerprint ||
      typeof decoded.o !== "number" ||
      !Number.isInteger(decoded.o) ||
      decoded.o < 0
    )
      throw badRequest("The continuation token is invalid or does not belong to this query.");
    offset = decoded.o;
  }
  return {
    query: {
      after: new Date(filter.lastUpdatedAfter),
      before: new Date(filter.lastUpdatedBefore),
      where,
      orderBy,
      offset,
      limit: adfPageSize + 1,
    },
    token: (next) => Buffer.from(JSON.stringify({ o: next, f: fingerprint })).toString("base64url"),
  };
}

function checkParameters(pipeline: PipelineSpec, given: unknown): Record<string, unknown> {
  if (given === null || typeof given !== "object" || Array.isArray(given))
    throw badRequest("The request body must be a JSON object of parameter values.");
  for (const [name, value] of Object.entries(given)) {
    const spec = Object.hasOwn(pipeline.parameters, name) ? pipeline.parameters[name] : undefined;
    if (!spec) throw badRequest(`The parameter '${name}' is not defined in pipeline '${pipeline.name}'.`);
    const ok =
      spec.type === "Bool"
        ? typeof value === "boolean"
        : spec.type === "Int"
          ? Number.isInteger(value)
          : spec.type === "Float"
            ? typeof value === "number"
            : spec.type === "Array"
              ? Array.isArray(value)
              : spec.type === "Object"
                ? value !== null && typeof value === "object" && !Array.isArray(value)
                : typeof value === "string";
    if (!ok) throw badRequest(`The value of parameter '${name}' is not of type '${spec.type}'.`);
  }
  return given as Record<string, unknown>;
}

export function registerAdfRoutes(
  app: FastifyInstance,
  { store, isSeeded }: { store: AdfStore; isSeeded: Promise<void> },
) {
  app.register(
    async (scope) => {
      scope.addHook("onRequest", async (request) => {
        const { sub, rg, factory } = request.params as { sub: string; rg: string; factory: string };
        const version = (request.query as Record<string, unknown>)["api-version"];
        if (version === undefined)
          throw new ArmFailure(
            400,
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
          );
        if (version !== apiVersion)
          throw new ArmFailure(
            400,
            "InvalidApiVersionParameter",
            `The api-version '${String(version)}' is invalid. The supported versions are '${apiVersion}'.`,
          );
        if (
          sub !== sandboxFactory.subscriptionId ||
          rg.toLowerCase() !== sandboxFactory.resourceGroup ||
          factory.toLowerCase() !== sandboxFactory.factoryName
        )
          throw new ArmFailure(
            404,
            "ResourceNotFound",
            `The Resource 'Microsoft.DataFactory/factories/${factory}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
          );
        await isSeeded;
      });
      scope.setErrorHandler((error: Error, _request, reply) => {
        if (error instanceof ArmFailure)
          return reply.code(error.status).send(armError(error.code, error.message));
        throw error;
      });

      const pipelineOf = (name: string) => {
        const pipeline = findPipeline(name);
        if (!pipeline) throw new ArmFailure(404, "NotFound", `Entity ${name} not found`);
        return pipeline;
      };
      const runOf = async (runId: string) => {
        const run = await store.getRun(runId);
        if (!run) throw new ArmFailure(404, "NotFound", `Pipeline run '${runId}' not found`);
        return run;
      };

      scope.get("/pipelines", async () => ({ value: pipelineSpecs.map(renderPipeline) }));

      scope.get("/pipelines/:name", async (request) =>
        renderPipeline(pipelineOf((request.params as { name: string }).name)),
      );

      // POST .../pipelines/{name}/createRun: the body is the parameter values; referencePipelineRunId reruns one.
      scope.post("/pipelines/:name/createRun", async (request) => {
        const pipeline = pipelineOf((request.params as { name: string }).name);
        const query = request.query as Record<string, string | undefined>;
        let parameters = checkParameters(pipeline, request.body ?? {});
        let runGroupId: string | undefined;
        if (query.referencePipelineRunId) {
          const reference = await runOf(query.referencePipelineRunId);
          if (!Object.keys(parameters).length) parameters = reference.parameters;
          if (query.isRecovery === "true") runGroupId = reference.runGroupId;
        }
        const runId = randomUUID();
        await store.insertRun({
          runId,
          runGroupId: runGroupId ?? runId,
          pipelineName: pipeline.name,
          parameters: runParameters(pipeline, parameters),
          invokedBy: { name: "Manual", id: randomUUID().replaceAll("-", ""), invokedByType: "Manual" },
          status: "Queued",
          runStart: null,
          lastUpdated: new Date(),
          scheduledFor: null,
        });
        return { runId };
      });

      scope.post("/queryPipelineRuns", async (request) => {
        const { query, token } = parseFilter(request.body, runColumns, "RunStart");
        const rows = await store.queryRuns(query);
        const more = rows.length > adfPageSize;
        return {
          value: rows.slice(0, adfPageSize).map(renderRun),
          ...(more ? { continuationToken: token(query.offset + adfPageSize) } : {}),
        };
      });

      scope.get("/pipelineruns/:runId", async (request) =>
        renderRun(await runOf((request.params as { runId: string }).runId)),
      );

      scope.post("/pipelineruns/:runId/queryActivityruns", async (request) => {
        const run = await runOf((request.params as { runId: string }).runId);
        const { query, token } = parseFilter(request.body, activityColumns, "ActivityRunStart");
        const rows = await store.queryActivities(run.runId, query);
        const more = rows.length > adfPageSize;
        const pipeline = findPipeline(run.pipelineName);
        return {
          value: rows.slice(0, adfPageSize).map((a) => renderActivity(run, a, pipeline)),
          ...(more ? { continuationToken: token(query.offset + adfPageSize) } : {}),
        };
      });

      // Cancelling a finished run changes nothing; an active one is Canceling until the runner stops it.
      scope.post("/pipelineruns/:runId/cancel", async (request, reply) => {
        const run = await runOf((request.params as { runId: string }).runId);
        if (["Queued", "InProgress"].includes(run.status))
          await store.updateRun(run.runId, { status: "Canceling" });
        return reply.code(200).send();
      });
    },
    { prefix: "/subscriptions/:sub/resourceGroups/:rg/providers/Microsoft.DataFactory/factories/:factory" },
  );
}
