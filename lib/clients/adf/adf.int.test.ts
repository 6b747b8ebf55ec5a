import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxFactory } from "@/sandbox/adf/factory";
import { startSandbox, type RunningSandbox } from "@/sandbox/testing";
import { createDatabricksClient } from "../databricks";
import { CloudApiError } from "../http";
import { rejectionOf } from "@/lib/testing/contract";
import { createAdfClient, type AdfClient, type PipelineRun } from ".";

/**
 * The Data Factory client's contract suite against the sandbox over real HTTP: the shapes of
 * pipelines, pipeline runs and activity runs, continuationToken paging, ARM CloudErrors, 429 with
 * Retry-After, and a run created with parameters that reaches the Databricks run it submitted.
 */

const pipelineName = "ChurnFeaturesHourly";
const window = () => ({
  lastUpdatedAfter: new Date(Date.now() - 3 * 86_400_000),
  lastUpdatedBefore: new Date(Date.now() + 60_000),
});

describe("Azure Data Factory client against the sandbox", () => {
  let sandbox: RunningSandbox;
  let client: AdfClient;
  const sleeps: number[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ speed: 100 });
    client = createAdfClient({
      baseUrl: sandbox.url,
      ...sandboxFactory,
      getToken: async () => sandbox.token,
      retryBudgetMs: 5_000,
      sleep: async (ms) => void sleeps.push(ms),
    });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("lists and reads pipelines with their parameters and activity policies", async () => {
    const pipelines = await client.listPipelines();
    const pipeline = pipelines.find((p) => p.name === pipelineName)!;
    expect(pipeline.type).toBe("Microsoft.DataFactory/factories/pipelines");
    expect(pipeline.id).toMatch(
      /\/providers\/Microsoft\.DataFactory\/factories\/adf-switchboard-sandbox\/pipelines\/ChurnFeaturesHourly$/,
    );
    const one = await client.getPipeline(pipelineName);
    expect(one.properties.parameters?.switchboardTriggerId).toEqual({ type: "String", defaultValue: "" });
    expect(one.properties.activities?.map((a) => [a.name, a.type, a.policy?.retry])).toEqual([
      ["IngestCdrExtract", "Copy", 2],
      ["ValidateCustomerFeatures", "AzureFunctionActivity", 0],
      ["BuildChurnFeatures", "DatabricksNotebook", 0],
    ]);
  });

  it("pages the factory's runs with continuationToken, newest first, filtered by pipeline", async () => {
    const seen: PipelineRun[] = [];
    let continuationToken: string | undefined;
    let pages = 0;
    // Up to the top of this hour: the seeded history only, which no longer changes while it is paged.
    const fixed = {
      ...window(),
      lastUpdatedBefore: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
    };
    do {
      const page = await client.queryPipelineRuns({
        ...fixed,
        filters: [{ operand: "PipelineName", operator: "Equals", values: [pipelineName] }],
        orderBy: [{ orderBy: "RunStart", order: "DESC" }],
        continuationToken,
      });
      seen.push(...page.runs);
      continuationToken = page.continuationToken;
      pages++;
    } while (continuationToken);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.map((r) => r.runId)).size).toBe(seen.length);
    expect(seen.length).toBe(36);
    const starts = seen.filter((r) => r.runStart).map((r) => Date.parse(r.runStart!));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    const scheduled = seen.find((r) => r.status === "Succeeded")!;
    expect(scheduled).toMatchObject({
      pipelineName,
      invokedBy: { name: "HourlyTrigger", invokedByType: "ScheduleTrigger" },
      isLatest: true,
    });
    expect(typeof scheduled.parameters?.injectQualityIssue).toBe("string");
    expect(scheduled.durationInMs).toBe(Date.parse(scheduled.runEnd!) - Date.parse(scheduled.runStart!));

    const failed = await client.queryPipelineRuns({
      ...window(),
      filters: [{ operand: "Status", operator: "In", values: ["Failed"] }],
    });
    expect(failed.runs.length).toBeGreaterThan(0);
    expect(failed.runs.every((r) => r.status === "Failed")).toBe(true);
  });

  it("reports each attempt of an activity as its own run, with the outputs the activity types produce", async () => {
    const { runs } = await client.queryPipelineRuns({
      ...window(),
      filters: [{ operand: "Status", operator: "Equals", values: ["Succeeded"] }],
      orderBy: [{ orderBy: "RunStart", order: "DESC" }],
    });
    let retried = false;
    for (const run of runs) {
      const activities = await client.queryActivityRuns(run.runId, window());
      const copies = activities.filter((a) => a.activityName === "IngestCdrExtract");
      if (copies.length > 1) {
        retried = true;
        expect(copies.map((a) => a.status).sort()).toEqual(["Failed", "Succeeded"]);
      }
      const notebook = activities.find((a) => a.activityType === "DatabricksNotebook")!;
      expect((notebook.output as { runPageUrl: string }).runPageUrl).toMatch(/#job\/\d+\/run\/\d+$/);
      const validation = activities.find((a) => a.activityName === "ValidateCustomerFeatures")!;
      expect(validation.output).toMatchObject({
        success: true,
        statistics: { evaluated_expectations: expect.any(Number) },
      });
    }
    expect(retried || runs.length < 9).toBe(true);
  });

  it("answers ARM CloudErrors: an unknown pipeline, run or factory, a bad filter, a foreign continuation token", async () => {
    const missing = (await rejectionOf(client.getPipeline("NoSuchPipeline"))) as CloudApiError;
    expect(missing).toBeInstanceOf(CloudApiError);
    expect([missing.status, missing.errorCode]).toEqual([404, "NotFound"]);
    expect(
      ((await rejectionOf(client.getPipelineRun("00000000-0000-4000-8000-000000000000"))) as CloudApiError)
        .status,
    ).toBe(404);
    const elsewhere = createAdfClient({
      baseUrl: sandbox.url,
      ...sandboxFactory,
      factoryName: "adf-other",
      getToken: async () => sandbox.token,
    });
    const notFactory = (await rejectionOf(elsewhere.listPipelines())) as CloudApiError;
    expect([notFactory.status, notFactory.errorCode]).toEqual([404, "ResourceNotFound"]);
    const badFilter = (await rejectionOf(
      client.queryPipelineRuns({
        ...window(),
        filters: [{ operand: "Colour", operator: "Equals", values: ["x"] }],
      }),
    )) as CloudApiError;
    expect([badFilter.status, badFilter.errorCode]).toEqual([400, "BadRequest"]);
    const badToken = (await rejectionOf(
      client.queryPipelineRuns({ ...window(), continuationToken: "not-a-token" }),
    )) as CloudApiError;
    expect(badToken.status).toBe(400);
    const badParameter = (await rejectionOf(
      client.createRun(pipelineName, { parameters: { injectQualityIssue: "yes" } }),
    )) as CloudApiError;
    expect([badParameter.status, badParameter.errorCode]).toEqual([400, "BadRequest"]);
    expect(badParameter.message).toMatch(/injectQualityIssue/);
    const unauthenticated = createAdfClient({
      baseUrl: sandbox.url,
      ...sandboxFactory,
      getToken: async () => "wrong",
    });
    expect(((await rejectionOf(unauthenticated.listPipelines())) as CloudApiError).errorCode).toBe(
      "AuthenticationFailed",
    );
  });

  it("waits out a 429 as long as Retry-After says, then answers", async () => {
    sleeps.length = 0;
    await sandbox.injectFaults([
      { path: "/queryPipelineRuns$", status: 429, retryAfterSeconds: 3, times: 1 },
    ]);
    const page = await client.queryPipelineRuns(window());
    expect(page.runs.length).toBeGreaterThan(0);
    expect(sleeps).toEqual([3_000]);
    await sandbox.injectFaults([{ path: "/createRun$", status: 429, retryAfterSeconds: 1, times: 1 }]);
    const throttled = (await rejectionOf(
      createAdfClient({
        baseUrl: sandbox.url,
        ...sandboxFactory,
        getToken: async () => sandbox.token,
        maxAttempts: 1,
      }).createRun(pipelineName),
    )) as CloudApiError;
    expect([throttled.status, throttled.errorCode, throttled.retryAfterMs]).toEqual([
      429,
      "TooManyRequests",
      1_000,
    ]);
    await sandbox.clearFaults();
  });

  it("creates a run with parameters that runs its activities and submits a Databricks run; cancel stops another", async () => {
    const { runId } = await client.createRun(pipelineName, {
      parameters: { switchboardTriggerId: "contract-test", windowStart: "2026-12-06T01:00:00Z" },
    });
    let run = await client.getPipelineRun(runId);
    expect(run.parameters).toMatchObject({
      switchboardTriggerId: "contract-test",
      injectQualityIssue: "false",
    });
    expect(run.invokedBy).toMatchObject({ invokedByType: "Manual" });
    for (let i = 0; i < 200 && !["Succeeded", "Failed"].includes(run.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      run = await client.getPipelineRun(runId);
    }
    expect(run.status).toBe("Succeeded");
    const activities = await client.queryActivityRuns(runId, window());
    const notebook = activities.find((a) => a.activityType === "DatabricksNotebook")!;
    const databricksRunId = Number(
      (notebook.output as { runPageUrl: string }).runPageUrl.match(/\/run\/(\d+)$/)![1],
    );
    const databricks = createDatabricksClient({ baseUrl: sandbox.url, getToken: async () => sandbox.token });
    const submitted = await databricks.getRun(databricksRunId);
    expect(submitted.state.result_state).toBe("SUCCESS");
    expect(submitted.run_name).toMatch(
      /^ADF_adf-switchboard-sandbox_ChurnFeaturesHourly_BuildChurnFeatures_/,
    );

    const another = await client.createRun(pipelineName);
    await client.cancelPipelineRun(another.runId);
    let cancelled = await client.getPipelineRun(another.runId);
    for (let i = 0; i < 40 && cancelled.status !== "Cancelled"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      cancelled = await client.getPipelineRun(another.runId);
    }
    expect(cancelled.status).toBe("Cancelled");
  });
});
