import { describe, expect, it } from "vitest";
import { customerFeatureRows } from "@/sandbox/data/telco";
import { classificationMetrics, createChurnTrainer, logLoss, rocAuc } from "./churn-model";

describe("classification metrics", () => {
  it("computes ROC AUC from ranks, sharing ranks between ties", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(rocAuc([0.9, 0.8, 0.2], [1, 1, 0])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
    expect(rocAuc([0.3, 0.6], [1, 1])).toBeNaN();
  });

  it("computes accuracy, F1 and log loss", () => {
    // predictions at 0.5: 1, 0, 1, 0 against labels 1, 1, 0, 0 → tp 1, fn 1, fp 1, tn 1
    expect(classificationMetrics([0.9, 0.2, 0.7, 0.1], [1, 1, 0, 0])).toEqual({ accuracy: 0.5, f1: 0.5 });
    expect(logLoss([0.5, 0.5], [1, 0])).toBeCloseTo(Math.log(2), 10);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-9);
  });
});

describe("churn trainer", () => {
  const rows = customerFeatureRows(3000, 7);

  it("learns the churn signal: loss falls and validation AUC is well above chance", () => {
    const trainer = createChurnTrainer(rows, { learningRate: 0.1, seed: 1 });
    const history = Array.from({ length: 10 }, () => trainer.epoch());
    expect(history[9].loss).toBeLessThan(history[0].loss);
    expect(history[9].auc).toBeGreaterThan(0.75);
    expect(history[9].accuracy).toBeGreaterThan(0.6);
    expect(trainer.trainSize + trainer.validationSize).toBe(3000);
  });

  it("learns more slowly with a tiny learning rate", () => {
    const slow = createChurnTrainer(rows, { learningRate: 0.0005, seed: 1 });
    const fast = createChurnTrainer(rows, { learningRate: 0.1, seed: 1 });
    expect(fast.epoch().loss).toBeLessThan(slow.epoch().loss);
  });

  it("replays epochs to the same weights, so a resumed run continues where it stopped", () => {
    const straight = createChurnTrainer(rows, { learningRate: 0.05, seed: 3 });
    for (let i = 0; i < 4; i++) straight.epoch();
    const resumed = createChurnTrainer(rows, { learningRate: 0.05, seed: 3 });
    resumed.fastForward(3);
    resumed.epoch();
    expect(resumed.model()).toEqual(straight.model());
  });

  it("refuses a non-positive learning rate", () => {
    expect(() => createChurnTrainer(rows, { learningRate: 0, seed: 1 })).toThrow(/learning_rate/);
  });
});
