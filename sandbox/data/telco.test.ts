import { describe, expect, it } from "vitest";
import {
  cdrEventRow,
  churnLabelRow,
  customerFeatureRow,
  customerFeatureRows,
  networkKpiRow,
  type CustomerFeatureRow,
} from "./telco";

/** Rank-based AUC (Mann-Whitney U), ties counted half. */
function auc(scores: number[], labels: number[]): number {
  const order = scores.map((score, i) => ({ score, label: labels[i] })).sort((a, b) => a.score - b.score);
  let rankSumPositive = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j].score === order[i].score) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (order[k].label === 1) rankSumPositive += averageRank;
    i = j;
  }
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** One-hot + standardised features, the way a plain tabular model would see them. */
function featureVector(row: CustomerFeatureRow): number[] {
  return [
    row.tenure_months / 48,
    row.monthly_charges / 100,
    row.data_usage_gb / 30,
    row.call_minutes / 300,
    row.dropped_call_rate * 20,
    row.support_tickets / 3,
    row.late_payments / 3,
    row.num_lines / 2,
    row.device_age_months / 48,
    row.is_roaming_user,
    row.contract_type === "month-to-month" ? 1 : 0,
    row.contract_type === "two-year" ? 1 : 0,
    row.plan === "basic" ? 1 : 0,
    row.plan === "unlimited" ? 1 : 0,
    row.payment_method === "cash" ? 1 : 0,
    1,
  ];
}

function trainLogisticRegression(x: number[][], y: number[], epochs = 300, rate = 0.5): number[] {
  const weights = new Array(x[0].length).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const gradient = new Array(weights.length).fill(0);
    x.forEach((features, i) => {
      const p = 1 / (1 + Math.exp(-features.reduce((s, v, k) => s + v * weights[k], 0)));
      features.forEach((v, k) => (gradient[k] += (p - y[i]) * v));
    });
    gradient.forEach((g, k) => (weights[k] -= (rate * g) / x.length));
  }
  return weights;
}

describe("customerFeatureRows", () => {
  it("is deterministic per seed and prefix-stable", () => {
    expect(customerFeatureRows(200, 7)).toEqual(customerFeatureRows(200, 7));
    expect(customerFeatureRows(50, 7)).toEqual(customerFeatureRows(200, 7).slice(0, 50));
    expect(customerFeatureRows(1)[0]).toEqual(customerFeatureRow(0));
    expect(customerFeatureRows(50, 8)).not.toEqual(customerFeatureRows(50, 7));
  });

  it("produces plausible, typed values", () => {
    const rows = customerFeatureRows(2000);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(2000);
    for (const row of rows) {
      expect(row.tenure_months).toBeGreaterThanOrEqual(1);
      expect(row.monthly_charges).toBeGreaterThan(0);
      expect(row.dropped_call_rate).toBeGreaterThanOrEqual(0);
      expect(row.dropped_call_rate).toBeLessThanOrEqual(0.2);
      expect([0, 1]).toContain(row.churned);
    }
    const churnRate = rows.filter((r) => r.churned).length / rows.length;
    expect(churnRate).toBeGreaterThan(0.1);
    expect(churnRate).toBeLessThan(0.45);
  });

  it("has labels a model can learn from the features (held-out AUC well above 0.5)", () => {
    const train = customerFeatureRows(3000, 1);
    const test = customerFeatureRows(2000, 2);
    const weights = trainLogisticRegression(
      train.map(featureVector),
      train.map((r) => r.churned),
    );
    const scores = test.map((row) => featureVector(row).reduce((s, v, k) => s + v * weights[k], 0));
    expect(
      auc(
        scores,
        test.map((r) => r.churned),
      ),
    ).toBeGreaterThan(0.75);
  });

  it("has labels that are not a deterministic function of the features", () => {
    const rows = customerFeatureRows(3000);
    const tenure = auc(
      rows.map((r) => -r.tenure_months),
      rows.map((r) => r.churned),
    );
    expect(tenure).toBeGreaterThan(0.6);
    const monthToMonth = rows.filter((r) => r.contract_type === "month-to-month");
    const twoYear = rows.filter((r) => r.contract_type === "two-year");
    const rate = (rs: CustomerFeatureRow[]) => rs.filter((r) => r.churned).length / rs.length;
    expect(rate(monthToMonth)).toBeGreaterThan(2 * rate(twoYear));
    expect(rate(twoYear)).toBeGreaterThan(0);
  });
});

describe("other telco tables", () => {
  it("labels agree with the features table", () => {
    for (let i = 0; i < 100; i++) expect(churnLabelRow(i).churned).toBe(customerFeatureRow(i).churned);
  });

  it("KPI rows are hour-major and deterministic", () => {
    expect(networkKpiRow(0, 30)).toEqual(networkKpiRow(0, 30));
    expect(networkKpiRow(0, 30).kpi_hour).toBe(networkKpiRow(29, 30).kpi_hour);
    expect(networkKpiRow(30, 30).cell_id).toBe(networkKpiRow(0, 30).cell_id);
    expect(
      Date.parse(String(networkKpiRow(30, 30).kpi_hour)) - Date.parse(String(networkKpiRow(0, 30).kpi_hour)),
    ).toBe(3_600_000);
  });

  it("CDRs reference existing customers and drop more calls in worse regions", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => cdrEventRow(i, 1000, 60));
    expect(rows.every((r) => Number(String(r.customer_id).slice(1)) - 1_000_000 < 1000)).toBe(true);
    expect(cdrEventRow(17, 1000, 60)).toEqual(rows[17]);
    const dropped = rows.filter((r) => r.termination_cause === "DROPPED").length;
    expect(dropped).toBeGreaterThan(0);
    expect(rows.filter((r) => r.record_type === "DATA").every((r) => r.callee_prefix === null)).toBe(true);
  });
});
