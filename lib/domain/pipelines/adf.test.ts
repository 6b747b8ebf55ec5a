import { describe, expect, it } from "vitest";
import type { ActivityRun } from "@/lib/clients/adf";
import { adfState, databricksRunIdOf, parameterProblems, toAdfTasks } from "./adf";

const attempt = (
  name: string,
  status: string,
  start: string,
  extra: Partial<ActivityRun> = {},
): ActivityRun => ({
  activityRunId: `${name}-${start}`,
  activityName: name,
  activityType: "Copy",
  status,
  activityRunStart: start,
  ...extra,
});

describe("Data Factory runs in the Pipelines area's words", () => {
  it("reads every documented status, and keeps an unknown one in its own words", () => {
    expect(["Queued", "InProgress", "Succeeded", "Failed", "Canceling", "Cancelled"].map(adfState)).toEqual([
      "queued",
      "running",
      "success",
      "failed",
      "canceling",
      "cancelled",
    ]);
    expect(adfState("Paused")).toBe("paused");
  });

  it("counts an activity's attempts from its runs, in the pipeline's order, and shows activities not run yet", () => {
    const tasks = toAdfTasks(
      [
        attempt("Ingest", "Succeeded", "2026-12-06T02:06:00Z"),
        attempt("Ingest", "Failed", "2026-12-06T02:00:00Z"),
        attempt("Validate", "InProgress", "2026-12-06T02:07:00Z", { activityType: "AzureFunctionActivity" }),
      ],
      [
        { name: "Ingest", type: "Copy", policy: { retry: 2 } },
        { name: "Validate", type: "AzureFunctionActivity", policy: { retry: "@pipeline().parameters.r" } },
        { name: "Build", type: "DatabricksNotebook" },
      ],
    );
    expect(tasks.map((t) => [t.taskId, t.state, t.tryNumber, t.maxAttempts])).toEqual([
      ["Ingest", "success", 2, 3],
      ["Validate", "running", 1, 1],
      ["Build", "none", 0, 1],
    ]);
  });

  it("finds the Databricks run in a Databricks activity's output: runId, else the run page's URL", () => {
    const notebook = (output: unknown) =>
      attempt("Build", "Succeeded", "x", { activityType: "DatabricksNotebook", output });
    expect(
      databricksRunIdOf(notebook({ runPageUrl: "https://adb-1.2.azuredatabricks.net/?o=1#job/77/run/4242" })),
    ).toBe("4242");
    expect(databricksRunIdOf(notebook({ runId: 99, runPageUrl: "https://x/#job/1/run/5" }))).toBe("99");
    expect(databricksRunIdOf(notebook({ runPageUrl: "https://x/#job/1/run/abc" }))).toBeNull();
    expect(databricksRunIdOf(notebook(null))).toBeNull();
    expect(
      databricksRunIdOf(
        attempt("Copy", "Succeeded", "x", { output: { runPageUrl: "https://x/#job/1/run/5" } }),
      ),
    ).toBeNull();
  });

  it("judges parameters against the declared ones: names, types, required ones, and the one Switchboard sets", () => {
    const declared = {
      windowStart: { type: "String" },
      retries: { type: "Int", defaultValue: 1 },
      ratio: { type: "Float", defaultValue: 0.5 },
      dryRun: { type: "Bool", defaultValue: false },
      tables: { type: "Array", defaultValue: [] },
      switchboardTriggerId: { type: "String", defaultValue: "" },
    };
    expect(
      parameterProblems(declared, {
        windowStart: "2026-12-06",
        retries: 2,
        ratio: 1,
        dryRun: true,
        tables: ["a"],
      }),
    ).toEqual([]);
    expect(
      parameterProblems(declared, {
        retries: 1.5,
        dryRun: "yes",
        colour: "red",
        switchboardTriggerId: "x",
      }).map((p) => p.message),
    ).toEqual([
      "retries must be of type Int",
      "dryRun must be of type Bool",
      "the pipeline has no parameter colour",
      "switchboardTriggerId is set by Switchboard",
      "windowStart is required (it has no default)",
    ]);
    // Names an object inherits are not declared parameters.
    expect(
      parameterProblems(declared, { windowStart: "x", constructor: "x", toString: 1 }).map((p) => p.message),
    ).toEqual(["the pipeline has no parameter constructor", "the pipeline has no parameter toString"]);
  });
});
