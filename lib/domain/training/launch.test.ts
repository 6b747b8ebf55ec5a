import { describe, expect, it } from "vitest";
import {
  buildSubmitRunRequest,
  estimateDbuPerHour,
  idempotencyTokenFor,
  launchPresets,
  newRunRecord,
  type SubmittableRun,
} from "./launch";
import { isExtraArguments, launchRunInput } from "@/lib/validation/runs";

const base = launchPresets[0].values;
const churn = { ...base, runName: "churn-lr" };
const llama = { ...launchPresets[2].values, runName: "llama-lora" };

describe("launchRunInput", () => {
  it("accepts every preset once named", () => {
    for (const preset of launchPresets)
      expect(launchRunInput.safeParse({ ...preset.values, runName: preset.id }).success).toBe(true);
  });

  it("keeps fine-tuning hyperparameters (a union of object schemas would strip them)", () => {
    const parsed = launchRunInput.parse(llama);
    expect(parsed.params).toMatchObject({
      baseModel: "meta-llama/Meta-Llama-3-8B",
      batchSize: 8,
      loraRank: 16,
    });
  });

  it("coerces form strings and places errors at the field's path", () => {
    const parsed = launchRunInput.parse({
      ...churn,
      params: { learningRate: "0.2", epochs: "7" },
      timeoutMinutes: "45",
    });
    expect(parsed.params).toEqual({ learningRate: 0.2, epochs: 7, regularisation: 0.01, maxDepth: 4 });
    const bad = launchRunInput.safeParse({ ...churn, params: { learningRate: 0.1, epochs: 0 } });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["params.epochs"]);
  });

  it("refuses fine-tuning on a CPU node, an inverted autoscale range and smuggled commands", () => {
    const cpu = launchRunInput.safeParse({
      ...llama,
      cluster: { ...llama.cluster, nodeTypeId: "Standard_DS3_v2" },
    });
    expect(cpu.error?.issues[0]).toMatchObject({
      path: ["cluster", "nodeTypeId"],
      message: "Fine-tuning needs a GPU node type",
    });
    const range = launchRunInput.safeParse({
      ...churn,
      cluster: { ...churn.cluster, workers: { mode: "autoscale", min: 5, max: 2 } },
    });
    expect(range.error?.issues[0].path).toEqual(["cluster", "workers", "max"]);
    expect(launchRunInput.safeParse({ ...churn, extraArguments: "--seed 7; rm -rf /" }).success).toBe(false);
    expect(
      launchRunInput.parse({ ...churn, extraArguments: "--seed 7 --fail_at_epoch=3" }).extraArguments,
    ).toBe("--seed 7 --fail_at_epoch=3");
  });

  it("checks extra arguments in linear time, and not at all past the length limit (issue 11: 2.2 s for 79 characters)", () => {
    const started = performance.now();
    for (const attack of [`${"--a".repeat(26)}!`, `${"--a".repeat(160)}!`, `${"--a ".repeat(2000)}!`]) {
      expect(launchRunInput.safeParse({ ...churn, runName: "", extraArguments: attack }).success).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(200);
    expect(isExtraArguments("--a --b=c --d e --f")).toBe(true);
    for (const bad of ["-a", "--a b c", "--a=b c", "--seed 7 && echo", "--a=b--c=d"])
      expect(isExtraArguments(bad)).toBe(false);
  });
});

describe("newRunRecord", () => {
  it("is the QUEUED row a launch writes, with what the submit needs kept in the cluster spec", () => {
    const id = "0d6c1c6e-8d3a-4b61-9a57-3f5f6f1b2a10";
    const input = launchRunInput.parse({
      ...churn,
      registeredModelName: "churn-classifier",
      extraArguments: "--seed 7",
      timeoutMinutes: 45,
    });
    const record = newRunRecord(id, input, { id: "u-dana", name: "Dana Nguyen" });
    expect(record).toMatchObject({
      id,
      runName: "churn-lr",
      kind: "TABULAR",
      timeoutSeconds: 2700,
      epochsDone: 0,
      epochsTotal: input.params.epochs,
      idempotencyToken: idempotencyTokenFor(id),
      launchedById: "u-dana",
    });
    expect(record.clusterSpec).toEqual({
      ...input.cluster,
      registeredModelName: "churn-classifier",
      extraArguments: "--seed 7",
    });
    expect(record.events.create).toEqual({ status: "QUEUED", message: "Launched by Dana Nguyen" });
    expect(newRunRecord(id, launchRunInput.parse(churn), { id: "u", name: "n" }).clusterSpec).toEqual(
      launchRunInput.parse(churn).cluster,
    );
  });
});

describe("estimateDbuPerHour", () => {
  it("prices the driver plus workers, at the autoscale maximum", () => {
    expect(
      estimateDbuPerHour({
        nodeTypeId: "Standard_DS3_v2",
        runtime: "15.4.x-scala2.12",
        workers: { mode: "fixed", count: 2 },
      }),
    ).toBe(2.25);
    expect(
      estimateDbuPerHour({
        nodeTypeId: "Standard_E8ds_v4",
        runtime: "15.4.x-scala2.12",
        workers: { mode: "autoscale", min: 2, max: 6 },
      }),
    ).toBe(14);
  });
});

describe("buildSubmitRunRequest", () => {
  const id = "6f1c7a39-8d0f-4c53-a3a4-5b8c2b1f9e10";
  const submittable = (
    input: typeof churn | typeof llama,
    extra: Partial<SubmittableRun> = {},
  ): SubmittableRun => {
    const parsed = launchRunInput.parse(input);
    return {
      id,
      runName: parsed.runName,
      experimentName: parsed.experimentName,
      datasetFullName: parsed.datasetFullName,
      modelFamily: parsed.modelFamily,
      params: parsed.params,
      clusterSpec: parsed.cluster,
      featureService: parsed.featureService ?? null,
      timeoutSeconds: 3600,
      launchedBy: "dana@example.com",
      ...extra,
    };
  };

  it("derives the idempotency token from the record, within Databricks' 64 characters", () => {
    expect(idempotencyTokenFor(id)).toBe(`switchboard-run-${id}`);
    expect(idempotencyTokenFor(id).length).toBeLessThanOrEqual(64);
    expect(buildSubmitRunRequest(submittable(churn)).idempotency_token).toBe(idempotencyTokenFor(id));
  });

  it("runs tabular training as a spark_python_task with --name value parameters", () => {
    const request = buildSubmitRunRequest(
      submittable(churn, {
        clusterSpec: { ...launchRunInput.parse(churn).cluster, extraArguments: "--seed 7" },
      }),
    );
    const [task] = request.tasks;
    expect(task.new_cluster).toMatchObject({
      spark_version: "15.4.x-cpu-ml-scala2.12",
      node_type_id: "Standard_DS3_v2",
      num_workers: 2,
    });
    const parameters = (task as { spark_python_task: { parameters: string[] } }).spark_python_task.parameters;
    const valueOf = (name: string) => parameters[parameters.indexOf(`--${name}`) + 1];
    expect(valueOf("experiment")).toBe("/Shared/churn-model");
    expect(valueOf("learning_rate")).toBe("0.1");
    expect(valueOf("switchboard_run_id")).toBe(id);
    expect(parameters).not.toContain("--feature_service");
    expect(parameters.slice(-2)).toEqual(["--seed", "7"]);
  });

  it("passes the feature service the run trains on, so the training code can tag its MLflow run", () => {
    const parsed = launchRunInput.parse({ ...churn, featureService: " churn_model_v4 " });
    expect(parsed.featureService).toBe("churn_model_v4");
    expect(launchRunInput.parse({ ...churn, featureService: "" }).featureService).toBeUndefined();
    expect(launchRunInput.safeParse({ ...churn, featureService: "a' OR '1" }).success).toBe(false);
    const [task] = buildSubmitRunRequest(
      submittable({ ...churn, featureService: "churn_model_v4" } as typeof churn),
    ).tasks;
    const parameters = (task as { spark_python_task: { parameters: string[] } }).spark_python_task.parameters;
    expect(parameters[parameters.indexOf("--feature_service") + 1]).toBe("churn_model_v4");
  });

  it("runs fine-tuning as a notebook task with widgets on an autoscaling or fixed GPU cluster", () => {
    const [task] = buildSubmitRunRequest(
      submittable(llama, {
        clusterSpec: { ...launchRunInput.parse(llama).cluster, extraArguments: "--fail_at_epoch 2" },
      }),
    ).tasks;
    const widgets = (task as { notebook_task: { base_parameters: Record<string, string> } }).notebook_task
      .base_parameters;
    expect(widgets).toMatchObject({
      base_model: "meta-llama/Meta-Llama-3-8B",
      batch_size: "8",
      epochs: "3",
      switchboard_run_id: id,
      fail_at_epoch: "2",
    });
    expect(task.new_cluster).toMatchObject({ node_type_id: "Standard_NC24ads_A100_v4", num_workers: 0 });
  });
});
