import { describe, expect, it } from "vitest";
import { rankSearchEntries } from "./datasets";

describe("rankSearchEntries", () => {
  const entry = (
    fullName: string,
    comment: string | null = null,
    kind: "catalog" | "schema" | "table" = "table",
  ) => ({ kind, fullName, name: fullName.split(".").at(-1)!, comment, tableType: null });
  const entries = [
    entry("main.features.customer_features", "One row per customer"),
    entry("ml.features", "Model-specific feature views", "schema"),
    entry("raw.telco_raw.customer_cdr", "Call records with churn flags"),
  ];

  it("needs every word somewhere, ranks name matches above comment matches", () => {
    expect(rankSearchEntries(entries, "customer").map((e) => e.fullName)).toEqual([
      "main.features.customer_features",
      "raw.telco_raw.customer_cdr",
    ]);
    expect(rankSearchEntries(entries, "churn").map((e) => e.fullName)).toEqual([
      "raw.telco_raw.customer_cdr",
    ]);
    expect(rankSearchEntries(entries, "features").map((e) => e.fullName)).toEqual([
      "ml.features",
      "main.features.customer_features",
    ]);
    expect(rankSearchEntries(entries, "customer churn").map((e) => e.fullName)).toEqual([
      "raw.telco_raw.customer_cdr",
    ]);
    expect(rankSearchEntries(entries, "main.features.customer_features")[0].fullName).toBe(
      "main.features.customer_features",
    );
    expect(rankSearchEntries(entries, "   ")).toEqual([]);
  });
});
