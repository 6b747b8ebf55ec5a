import { describe, expect, it } from "vitest";
import { parseTaskArguments } from "./programs/program";
import {
  activeParentState,
  outcomes,
  parentOutcome,
  statusStateOf,
  type LifeCycleState,
  type Outcome,
} from "./run-states";

const task = (taskKey: string, lifeCycleState: LifeCycleState, outcome: Outcome | null = null) => ({
  taskKey,
  lifeCycleState,
  outcome,
});

describe("parent run state", () => {
  it("follows the most advanced task while active", () => {
    expect(activeParentState([task("a", "QUEUED"), task("b", "BLOCKED")])).toBe("QUEUED");
    expect(activeParentState([task("a", "PENDING"), task("b", "BLOCKED")])).toBe("PENDING");
    expect(activeParentState([task("a", "RUNNING"), task("b", "TERMINATED", outcomes.success())])).toBe(
      "RUNNING",
    );
    expect(activeParentState([task("a", "TERMINATED", outcomes.success()), task("b", "BLOCKED")])).toBe(
      "PENDING",
    );
    expect(
      activeParentState([
        task("a", "TERMINATING", outcomes.success()),
        task("b", "TERMINATED", outcomes.success()),
      ]),
    ).toBe("TERMINATING");
  });

  it("ends with the worst task outcome", () => {
    expect(parentOutcome([task("a", "TERMINATED", outcomes.success())]).resultState).toBe("SUCCESS");
    const failed = parentOutcome([
      task("prep", "TERMINATED", outcomes.failed("prep", "ValueError: bad input")),
      task("train", "SKIPPED", outcomes.upstreamFailed("prep", false)),
    ]);
    expect(failed).toMatchObject({ lifeCycleState: "TERMINATED", resultState: "FAILED" });
    expect(failed.termination.message).toBe(
      "Task prep failed with message: ValueError: bad input. This caused all downstream tasks to get skipped.",
    );
    expect(
      parentOutcome([
        task("a", "TERMINATED", outcomes.canceled()),
        task("b", "TERMINATED", outcomes.failed("b", "x")),
      ]).resultState,
    ).toBe("CANCELED");
    expect(parentOutcome([task("a", "TERMINATED", outcomes.timedOut(60))])).toMatchObject({
      resultState: "TIMEDOUT",
      userCancelledOrTimedout: true,
    });
    expect(
      parentOutcome([
        task("a", "INTERNAL_ERROR", outcomes.clusterFailure("c-1")),
        task("b", "TERMINATED", outcomes.timedOut(5)),
      ]).lifeCycleState,
    ).toBe("INTERNAL_ERROR");
  });

  it("reports terminal life cycle states as TERMINATED in status", () => {
    expect(
      ["TERMINATED", "SKIPPED", "INTERNAL_ERROR"].map((s) => statusStateOf(s as LifeCycleState)),
    ).toEqual(["TERMINATED", "TERMINATED", "TERMINATED"]);
    expect(statusStateOf("WAITING_FOR_RETRY")).toBe("WAITING");
    expect(statusStateOf("RUNNING")).toBe("RUNNING");
  });
});

describe("parseTaskArguments", () => {
  it("reads --key value, --key=value, flags and kebab-case keys from Python parameters", () => {
    const args = parseTaskArguments({
      task_key: "t",
      spark_python_task: {
        python_file: "train.py",
        parameters: [
          "--experiment",
          "/Shared/churn",
          "--learning-rate=0.05",
          "--verbose",
          "--epochs",
          "-3",
          "positional",
        ],
      },
    });
    expect(args).toEqual({
      experiment: "/Shared/churn",
      learning_rate: "0.05",
      verbose: "true",
      epochs: "-3",
    });
  });

  it("reads notebook base parameters", () => {
    expect(
      parseTaskArguments({
        task_key: "t",
        notebook_task: { notebook_path: "/n", base_parameters: { epochs: "4" } },
      }),
    ).toEqual({ epochs: "4" });
  });
});
