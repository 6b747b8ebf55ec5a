import { describe, expect, it } from "vitest";
import { ApiError } from "../lib/errors";
import {
  compareValues,
  decodePageToken,
  encodePageToken,
  experimentSearchSpec,
  modelVersionSearchSpec,
  parseOrderBy,
  parseSearchFilter,
  registeredModelSearchSpec,
} from "./search-filter";

function errorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("parseSearchFilter (runs)", () => {
  it("parses AND-ed clauses over every entity type and their aliases", () => {
    expect(
      parseSearchFilter(
        "metrics.auc > 0.8 and params.model_type = 'xgboost' AND tags.team != \"care\" AND attributes.status = 'FINISHED'",
      ),
    ).toEqual([
      { type: "metric", key: "auc", comparator: ">", value: 0.8 },
      { type: "parameter", key: "model_type", comparator: "=", value: "xgboost" },
      { type: "tag", key: "team", comparator: "!=", value: "care" },
      { type: "attribute", key: "status", comparator: "=", value: "FINISHED" },
    ]);
    expect(
      parseSearchFilter(
        "metric.loss <= -1.5e-3 AND param.lr = '0.1' AND tag.x LIKE 'a%' AND run_name ILIKE '%Owl%'",
      ),
    ).toEqual([
      { type: "metric", key: "loss", comparator: "<=", value: -0.0015 },
      { type: "parameter", key: "lr", comparator: "=", value: "0.1" },
      { type: "tag", key: "x", comparator: "LIKE", value: "a%" },
      { type: "attribute", key: "run_name", comparator: "ILIKE", value: "%Owl%" },
    ]);
  });

  it("accepts keys quoted with backticks or double quotes, including spaces and dots", () => {
    expect(
      parseSearchFilter(
        "metrics.`val loss` < 1 AND tags.\"mlflow.source.name\" = 'jobs/x' AND params.model.depth = '3'",
      ),
    ).toEqual([
      { type: "metric", key: "val loss", comparator: "<", value: 1 },
      { type: "tag", key: "mlflow.source.name", comparator: "=", value: "jobs/x" },
      { type: "parameter", key: "model.depth", comparator: "=", value: "3" },
    ]);
  });

  it("accepts IN and NOT IN for run_id only", () => {
    expect(parseSearchFilter("attributes.run_id IN ('a', 'b') AND run_id NOT IN ('c')")).toEqual([
      { type: "attribute", key: "run_id", comparator: "IN", value: ["a", "b"] },
      { type: "attribute", key: "run_id", comparator: "NOT IN", value: ["c"] },
    ]);
    expect(errorOf(() => parseSearchFilter("attributes.status IN ('FINISHED')")).message).toMatch(
      /Only the 'run_id' attribute supports comparison with a list/,
    );
  });

  it("translates MLflow's attribute aliases", () => {
    expect(parseSearchFilter("created > 5")[0]).toMatchObject({ key: "start_time", value: 5 });
    expect(parseSearchFilter("`Run name` = 'x'")[0]).toMatchObject({ key: "run_name" });
  });

  it.each([
    ["metrics.auc > 0.8 OR metrics.auc < 0.1", /Only AND is supported/],
    ["metrics.auc > 'high'", /Expected numeric value type for metric\. Found high/],
    ["params.lr = 0.1", /Expected a quoted string value for parameter/],
    ["metrics.auc LIKE 0.5", /Invalid comparator 'LIKE'/],
    ["tags.team > 'a'", /Invalid comparator '>'/],
    ["colour.x = 'red'", /Invalid entity type 'colour'/],
    ["attributes.colour = 'red'", /Invalid attribute key 'colour'/],
    ["metrics.auc >", /Expected value token/],
    ["metrics.auc 0.8", /Expected comparison/],
    ["params.x = 'unterminated", /unterminated/],
    ["start_time > 'yesterday'", /Expected numeric value type for numeric attribute: start_time/],
    ["metrics.auc > 0.8 metrics.loss < 1", /Invalid clause/],
  ])("rejects %s with INVALID_PARAMETER_VALUE naming the problem", (filter, message) => {
    const error = errorOf(() => parseSearchFilter(filter));
    expect(error.errorCode).toBe("INVALID_PARAMETER_VALUE");
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });

  it("treats an empty filter as no clauses", () => {
    expect(parseSearchFilter("")).toEqual([]);
    expect(parseSearchFilter("   ")).toEqual([]);
    expect(parseSearchFilter(undefined)).toEqual([]);
  });
});

describe("parseSearchFilter (other searches)", () => {
  it("limits experiments to name, times and tags", () => {
    expect(
      parseSearchFilter(
        "name LIKE '/Shared/%' AND tags.team = 'ops' AND creation_time > 10",
        experimentSearchSpec,
      ),
    ).toHaveLength(3);
    expect(errorOf(() => parseSearchFilter("metrics.auc > 1", experimentSearchSpec)).message).toMatch(
      /Invalid entity type 'metric'/,
    );
  });

  it("supports name='m' and run_id IN (...) for model versions", () => {
    expect(parseSearchFilter("name='churn' AND run_id IN ('r1','r2')", modelVersionSearchSpec)).toEqual([
      { type: "attribute", key: "name", comparator: "=", value: "churn" },
      { type: "attribute", key: "run_id", comparator: "IN", value: ["r1", "r2"] },
    ]);
    expect(errorOf(() => parseSearchFilter("name IN ('a')", registeredModelSearchSpec)).message).toMatch(
      /Invalid comparator 'IN'/,
    );
  });
});

describe("parseOrderBy", () => {
  it("reads the key and direction, ascending by default", () => {
    expect(parseOrderBy("metrics.auc DESC")).toEqual({ type: "metric", key: "auc", ascending: false });
    expect(parseOrderBy("params.`learning rate` asc")).toEqual({
      type: "parameter",
      key: "learning rate",
      ascending: true,
    });
    expect(parseOrderBy("start_time")).toEqual({ type: "attribute", key: "start_time", ascending: true });
  });

  it("rejects an unknown direction or attribute", () => {
    expect(errorOf(() => parseOrderBy("metrics.auc sideways")).message).toMatch(
      /Invalid ordering key in order_by clause/,
    );
    expect(errorOf(() => parseOrderBy("attributes.colour")).message).toMatch(
      /Invalid attribute key 'colour'/,
    );
  });
});

describe("compareValues", () => {
  it("implements LIKE and ILIKE wildcards without treating other characters as patterns", () => {
    expect(compareValues("LIKE", "churn-v2.1", "churn-v_._")).toBe(true);
    expect(compareValues("LIKE", "churnXv2", "churn.v2")).toBe(false);
    expect(compareValues("LIKE", "Churn", "churn%")).toBe(false);
    expect(compareValues("ILIKE", "Churn model", "churn%")).toBe(true);
  });

  it("never matches a missing value, even with !=", () => {
    expect(compareValues("!=", undefined, "x")).toBe(false);
    expect(compareValues(">", 0.9, 0.8)).toBe(true);
    expect(compareValues("NOT IN", "a", ["b"])).toBe(true);
  });
});

describe("page tokens", () => {
  it("round-trips offsets and rejects garbage", () => {
    expect(decodePageToken(encodePageToken(2000))).toBe(2000);
    expect(decodePageToken(undefined)).toBe(0);
    expect(errorOf(() => decodePageToken("not-a-token")).errorCode).toBe("INVALID_PARAMETER_VALUE");
  });
});
