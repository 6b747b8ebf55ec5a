import {
  buildReferenceBins,
  buildReferenceCategories,
  type FeatureDefinition,
} from "@/lib/domain/drift/bins";

/**
 * A monitor's reference distribution from rows of the model version's training data: fixed bins
 * per numeric column, a category list per text or boolean column. Identifier-like columns (all
 * values distinct text) and columns the served model is never sent are left out.
 */

export interface ReferenceColumn {
  name: string;
  /** Databricks SQL type name (INT, DOUBLE, STRING, BOOLEAN, ...). */
  typeName: string;
}

const NUMERIC_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INT",
  "INTEGER",
  "BIGINT",
  "LONG",
  "SHORT",
  "BYTE",
  "FLOAT",
  "DOUBLE",
  "DECIMAL",
  "REAL",
]);
const CATEGORICAL_TYPES = new Set(["STRING", "VARCHAR", "CHAR", "BOOLEAN"]);

/**
 * Reference sample bound: the first rows of the training table through the SQL warehouse. Over a
 * whole large table this belongs in a Databricks job (quantile edges with approx_percentile per
 * column, then a GROUP BY per bin or category) writing the same FeatureDefinition JSON.
 */
export const REFERENCE_SAMPLE_ROWS = 5000;
export const REFERENCE_BINS = 20;

export function buildFeatureDefinitions(
  columns: readonly ReferenceColumn[],
  rows: readonly Record<string, unknown>[],
  options: { servedFeatures?: ReadonlySet<string> } = {},
): FeatureDefinition[] {
  const definitions: FeatureDefinition[] = [];
  for (const column of columns) {
    if (options.servedFeatures && !options.servedFeatures.has(column.name)) continue;
    const type = column.typeName.toUpperCase().split("(")[0];
    const values = rows.map((row) => row[column.name]);
    if (NUMERIC_TYPES.has(type)) {
      const numbers = values.map((value) =>
        typeof value === "number"
          ? value
          : typeof value === "bigint"
            ? Number(value)
            : typeof value === "string" && value !== ""
              ? Number(value)
              : null,
      );
      if (!numbers.some((value) => Number.isFinite(value))) continue;
      const bins = buildReferenceBins(numbers, { bins: REFERENCE_BINS });
      definitions.push({
        name: column.name,
        kind: "numeric",
        edges: bins.edges,
        reference: bins.counts,
        referenceStd: bins.std,
      });
    } else if (CATEGORICAL_TYPES.has(type)) {
      const present = values.filter((value) => value !== null && value !== undefined);
      if (
        present.length === 0 ||
        (type !== "BOOLEAN" && new Set(present).size === present.length && present.length > 50)
      )
        continue;
      const categories = buildReferenceCategories(values);
      definitions.push({
        name: column.name,
        kind: "categorical",
        categories: categories.categories,
        reference: categories.counts,
      });
    }
  }
  return definitions;
}

/** The feature names of a v1 or v2 request payload, to keep only the columns the model is sent. */
export function payloadFeatureNames(payload: unknown): Set<string> | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const { instances, inputs } = payload as { instances?: unknown; inputs?: unknown };
  const rows = Array.isArray(instances) ? instances : Array.isArray(inputs) ? inputs : undefined;
  if (rows && rows.length > 0) {
    const first = rows[0] as unknown;
    if (typeof first === "object" && first !== null && !Array.isArray(first)) {
      const record = first as Record<string, unknown>;
      // A v2 tensor names one feature; a v1 row names them all.
      if (typeof record.name === "string" && Array.isArray(record.data))
        return new Set(rows.map((tensor) => String((tensor as { name: unknown }).name)));
      return new Set(Object.keys(record));
    }
  }
  if (inputs && typeof inputs === "object" && !Array.isArray(inputs)) return new Set(Object.keys(inputs));
  return undefined;
}
