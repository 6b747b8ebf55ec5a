import { describe, expect, it } from "vitest";
import { classifyRun, isTerminal, mlflowRunIdOf } from ".";

const runIn = (life_cycle_state: string, result_state?: string, termination?: string) => ({
  state: { life_cycle_state, result_state, state_message: "state message" },
  status: termination
    ? { state: "TERMINATED", termination_details: { code: "X", type: "CLIENT_ERROR", message: termination } }
    : undefined,
});

describe("isTerminal", () => {
  it("knows the three terminal life cycle states and nothing else", () => {
    expect(["TERMINATED", "SKIPPED", "INTERNAL_ERROR"].map(isTerminal)).toEqual([true, true, true]);
    expect(
      ["QUEUED", "PENDING", "RUNNING", "TERMINATING", "BLOCKED", "WAITING_FOR_RETRY", "SOMETHING_NEW"].some(
        isTerminal,
      ),
    ).toBe(false);
  });
});

describe("classifyRun", () => {
  it("maps active states to phases, unknown future states to pending", () => {
    expect(classifyRun(runIn("QUEUED")).phase).toBe("queued");
    expect(classifyRun(runIn("BLOCKED")).phase).toBe("pending");
    expect(classifyRun(runIn("RUNNING"))).toMatchObject({
      phase: "running",
      isTerminal: false,
      isSuccess: false,
    });
    expect(classifyRun(runIn("TERMINATING", undefined, "cancelling"))).toMatchObject({
      phase: "terminating",
      message: "cancelling",
    });
    expect(classifyRun(runIn("SOMETHING_NEW")).phase).toBe("pending");
  });

  it("maps terminal states and result states to outcomes", () => {
    expect(classifyRun(runIn("TERMINATED", "SUCCESS"))).toEqual({
      phase: "succeeded",
      isTerminal: true,
      isSuccess: true,
      message: "state message",
    });
    expect(classifyRun(runIn("TERMINATED", "FAILED", "Task train failed with message: boom."))).toMatchObject(
      { phase: "failed", isSuccess: false, message: "Task train failed with message: boom." },
    );
    expect(classifyRun(runIn("TERMINATED", "TIMEDOUT")).phase).toBe("timed_out");
    expect(classifyRun(runIn("TERMINATED", "CANCELED")).phase).toBe("canceled");
    expect(classifyRun(runIn("TERMINATED", "UPSTREAM_FAILED")).phase).toBe("failed");
    expect(classifyRun(runIn("INTERNAL_ERROR", "FAILED")).phase).toBe("internal_error");
    expect(classifyRun(runIn("SKIPPED")).phase).toBe("skipped");
    expect(classifyRun(runIn("TERMINATED", "A_NEW_RESULT")).phase).toBe("failed");
  });
});

describe("mlflowRunIdOf", () => {
  it("reads a notebook's exit value, else the MLFLOW_RUN_ID line of the logs", () => {
    expect(mlflowRunIdOf({ notebook_output: { result: JSON.stringify({ mlflow_run_id: "abc123" }) } })).toBe(
      "abc123",
    );
    expect(mlflowRunIdOf({ logs: "Epoch 1\nMLFLOW_RUN_ID=0f9e8d\nbye" })).toBe("0f9e8d");
    expect(mlflowRunIdOf({ notebook_output: { result: "not json" }, logs: "nothing here" })).toBeUndefined();
  });
});
