import { binIndex, slotCount, type FeatureDefinition } from "./bins";

/**
 * The pure half of drift ingest: decoded inference payloads become per-window, per-feature count
 * vectors in the stored layout of ./bins (comparable slots, then missing). The plan is compiled once
 * per monitor; adding a batch then allocates nothing per value (binary search on a Float64Array,
 * one Map lookup per categorical value, an Int32Array increment).
 *
 * Accepted payloads (KServe v1 and the Open Inference Protocol v2):
 * - `{ instances: [...] }`, rows as objects keyed by feature name, or arrays in `columns` order,
 *   or scalars when the monitor has a single column;
 * - `{ inputs: [...] }` with v2 tensors `{ name, shape, datatype, data }`: one tensor per feature
 *   (shape [N] or [N, 1]), or one [N, columns.length] tensor in `columns` order (data row-major,
 *   flat or nested one level); other tensors are ignored;
 * - `{ inputs: [...rows] }` (v1 row format under `inputs`) and `{ inputs: { name: [values] } }` (columnar).
 */

export class InferencePayloadError extends Error {
  override name = "InferencePayloadError";
}

export interface AggregationPlan {
  windowMs: number;
  features: readonly FeatureDefinition[];
  /** Column order of array rows and of a v2 matrix tensor. */
  columns: readonly string[];
  /** Where each feature's slots start in a window's vector; slotTotal is the vector length. */
  offsets: Int32Array;
  slotTotal: number;
  featureIndexByName: ReadonlyMap<string, number>;
  /** Feature index of each column, −1 for columns no feature watches. */
  featureIndexByColumn: Int32Array;
  /** Features missing from `columns`: every array row counts as missing for them. */
  featuresWithoutColumn: Int32Array;
  compiled: CompiledFeature[];
}

type CompiledFeature =
  | { kind: "numeric"; edges: Float64Array; missingSlot: number }
  | {
      kind: "categorical";
      slotByText: Map<string, number>;
      slotByNumber: Map<number, number>;
      otherSlot: number;
      missingSlot: number;
    };

export function compileAggregationPlan(
  features: readonly FeatureDefinition[],
  options: { windowMinutes: number; columns?: readonly string[] },
): AggregationPlan {
  if (!(options.windowMinutes > 0))
    throw new RangeError(`windowMinutes must be positive, got ${options.windowMinutes}`);
  const featureIndexByName = new Map(features.map((feature, index) => [feature.name, index]));
  if (featureIndexByName.size !== features.length) throw new RangeError("Feature names must be unique");
  const columns = options.columns ?? features.map((feature) => feature.name);
  const offsets = new Int32Array(features.length);
  let slotTotal = 0;
  features.forEach((feature, index) => {
    offsets[index] = slotTotal;
    slotTotal += slotCount(feature);
  });
  return {
    windowMs: options.windowMinutes * 60_000,
    features,
    columns,
    offsets,
    slotTotal,
    featureIndexByName,
    featureIndexByColumn: Int32Array.from(columns, (column) => featureIndexByName.get(column) ?? -1),
    featuresWithoutColumn: Int32Array.from(
      features.flatMap((feature, index) => (columns.includes(feature.name) ? [] : [index])),
    ),
    compiled: features.map(compileFeature),
  };
}

function compileFeature(feature: FeatureDefinition): CompiledFeature {
  if (feature.kind === "numeric") {
    return {
      kind: "numeric",
      edges: Float64Array.from(feature.edges),
      missingSlot: feature.edges.length - 1,
    };
  }
  const slotByText = new Map<string, number>();
  const slotByNumber = new Map<number, number>();
  feature.categories.forEach((category, slot) => {
    slotByText.set(category, slot);
    // Lets numeric payload values match "3" without building a string per value.
    const asNumber = Number(category);
    if (category.length > 0 && Number.isFinite(asNumber) && String(asNumber) === category)
      slotByNumber.set(asNumber, slot);
  });
  return {
    kind: "categorical",
    slotByText,
    slotByNumber,
    otherSlot: feature.categories.length,
    missingSlot: feature.categories.length + 1,
  };
}

export interface WindowCounts {
  windowStartMs: number;
  rows: number;
  /** All features' stored-layout vectors back to back, at the plan's offsets. */
  counts: Int32Array;
}

export type WindowAccumulator = Map<number, WindowCounts>;

export function createWindowAccumulator(): WindowAccumulator {
  return new Map();
}

/** Adds one decoded payload, all of whose rows happened at `timeMs`. Returns the number of rows. */
export function aggregatePayload(
  plan: AggregationPlan,
  accumulator: WindowAccumulator,
  payload: unknown,
  timeMs: number,
): number {
  if (!Number.isFinite(timeMs)) throw new RangeError(`timeMs must be finite, got ${timeMs}`);
  if (!isRecord(payload)) throw new InferencePayloadError("The payload must be a JSON object");
  const { instances, inputs } = payload;
  if (Array.isArray(instances)) return addRows(plan, accumulator, instances, timeMs);
  if (Array.isArray(inputs)) {
    if (inputs.length > 0 && inputs.every(isTensor))
      return addTensors(plan, accumulator, inputs as Tensor[], timeMs);
    return addRows(plan, accumulator, inputs, timeMs);
  }
  if (isRecord(inputs)) return addColumns(plan, accumulator, inputs, timeMs);
  throw new InferencePayloadError("Expected `instances` or `inputs` in the payload");
}

function windowFor(plan: AggregationPlan, accumulator: WindowAccumulator, timeMs: number): WindowCounts {
  const windowStartMs = Math.floor(timeMs / plan.windowMs) * plan.windowMs;
  let window = accumulator.get(windowStartMs);
  if (!window) {
    window = { windowStartMs, rows: 0, counts: new Int32Array(plan.slotTotal) };
    accumulator.set(windowStartMs, window);
  }
  return window;
}

function addRows(
  plan: AggregationPlan,
  accumulator: WindowAccumulator,
  rows: unknown[],
  timeMs: number,
): number {
  const { features, compiled, offsets, featureIndexByColumn, featuresWithoutColumn } = plan;
  const acceptsScalars = featureIndexByColumn.length === 1 && featureIndexByColumn[0] >= 0;
  // Validate the whole batch first, so a rejected payload leaves no partial counts behind.
  for (const row of rows) {
    if (Array.isArray(row)) {
      if (row.length !== featureIndexByColumn.length) {
        throw new InferencePayloadError(
          `A row has ${row.length} values; the monitor expects ${featureIndexByColumn.length} columns`,
        );
      }
    } else if (!isRecord(row) && !acceptsScalars) {
      throw new InferencePayloadError("Each instance must be an object or an array");
    }
  }
  const window = windowFor(plan, accumulator, timeMs);
  const { counts } = window;
  for (const row of rows) {
    if (isRecord(row)) {
      for (let feature = 0; feature < features.length; feature++) {
        counts[offsets[feature] + slotOf(compiled[feature], row[features[feature].name])]++;
      }
      continue;
    }
    if (Array.isArray(row)) {
      for (let column = 0; column < row.length; column++) {
        const feature = featureIndexByColumn[column];
        if (feature >= 0) counts[offsets[feature] + slotOf(compiled[feature], row[column])]++;
      }
    } else {
      counts[offsets[featureIndexByColumn[0]] + slotOf(compiled[featureIndexByColumn[0]], row)]++;
    }
    for (const feature of featuresWithoutColumn) counts[offsets[feature] + compiled[feature].missingSlot]++;
  }
  window.rows += rows.length;
  return rows.length;
}

interface Tensor {
  name: string;
  shape?: unknown;
  datatype?: unknown;
  data: unknown[];
}

function isTensor(value: unknown): boolean {
  return isRecord(value) && typeof value.name === "string" && Array.isArray(value.data);
}

function addTensors(
  plan: AggregationPlan,
  accumulator: WindowAccumulator,
  tensors: Tensor[],
  timeMs: number,
): number {
  let rowCount: number | undefined;
  const columnsByFeature = new Array<ArrayLike<unknown> | undefined>(plan.features.length);
  let matrix: { data: unknown[]; width: number } | undefined;
  const agreeOnRows = (rows: number) => {
    if (rowCount !== undefined && rowCount !== rows) {
      throw new InferencePayloadError(
        `Input tensors disagree on the number of rows (${rowCount} and ${rows})`,
      );
    }
    rowCount = rows;
  };
  for (const tensor of tensors) {
    const data = flattenOneLevel(tensor.data);
    const shape = Array.isArray(tensor.shape) ? (tensor.shape as unknown[]) : [data.length];
    const rows = typeof shape[0] === "number" ? shape[0] : data.length;
    const width = shape.length > 1 && typeof shape[1] === "number" ? shape[1] : 1;
    if (rows * width !== data.length) {
      throw new InferencePayloadError(
        `Tensor ${tensor.name} has shape [${shape.join(", ")}] but ${data.length} values`,
      );
    }
    const feature = plan.featureIndexByName.get(tensor.name);
    if (feature !== undefined && width === 1) {
      agreeOnRows(rows);
      columnsByFeature[feature] = data;
    } else if (width > 1 && width === plan.columns.length && !matrix) {
      agreeOnRows(rows);
      matrix = { data, width };
    }
  }
  if (rowCount === undefined)
    throw new InferencePayloadError("No input tensor matches the monitor's features");
  const window = windowFor(plan, accumulator, timeMs);
  const { counts } = window;
  for (let feature = 0; feature < plan.features.length; feature++) {
    const base = plan.offsets[feature];
    const compiled = plan.compiled[feature];
    const column = columnsByFeature[feature];
    const matrixColumn = matrix ? plan.columns.indexOf(plan.features[feature].name) : -1;
    if (column) {
      for (let row = 0; row < rowCount; row++) counts[base + slotOf(compiled, column[row])]++;
    } else if (matrix && matrixColumn >= 0) {
      for (let row = 0; row < rowCount; row++)
        counts[base + slotOf(compiled, matrix.data[row * matrix.width + matrixColumn])]++;
    } else {
      counts[base + compiled.missingSlot] += rowCount;
    }
  }
  window.rows += rowCount;
  return rowCount;
}

function addColumns(
  plan: AggregationPlan,
  accumulator: WindowAccumulator,
  columns: Record<string, unknown>,
  timeMs: number,
): number {
  let rowCount: number | undefined;
  for (const feature of plan.features) {
    const column = columns[feature.name];
    if (column === undefined) continue;
    if (!Array.isArray(column)) throw new InferencePayloadError(`Column ${feature.name} must be an array`);
    if (rowCount !== undefined && rowCount !== column.length) {
      throw new InferencePayloadError(
        `Columns disagree on the number of rows (${rowCount} and ${column.length})`,
      );
    }
    rowCount = column.length;
  }
  if (rowCount === undefined)
    throw new InferencePayloadError("No input column matches the monitor's features");
  const window = windowFor(plan, accumulator, timeMs);
  for (let feature = 0; feature < plan.features.length; feature++) {
    const column = columns[plan.features[feature].name] as unknown[] | undefined;
    const base = plan.offsets[feature];
    const compiled = plan.compiled[feature];
    if (column)
      for (let row = 0; row < rowCount; row++) window.counts[base + slotOf(compiled, column[row])]++;
    else window.counts[base + compiled.missingSlot] += rowCount;
  }
  window.rows += rowCount;
  return rowCount;
}

/**
 * The slot a raw value falls in. Numeric: finite numbers, numeric strings and booleans (1/0);
 * anything else, NaN and ±Infinity are missing. Categorical: exact text match, numbers and
 * booleans by their text; unknown values go to "other"; null, NaN and non-scalars are missing.
 */
function slotOf(feature: CompiledFeature, value: unknown): number {
  if (feature.kind === "numeric") {
    let number: number;
    if (typeof value === "number") number = value;
    else if (typeof value === "string") number = value.length === 0 ? Number.NaN : Number(value);
    else if (typeof value === "boolean") number = value ? 1 : 0;
    else return feature.missingSlot;
    return Number.isFinite(number) ? binIndex(feature.edges, number) : feature.missingSlot;
  }
  if (typeof value === "string") return feature.slotByText.get(value) ?? feature.otherSlot;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return feature.missingSlot;
    return feature.slotByNumber.get(value) ?? feature.otherSlot;
  }
  if (typeof value === "boolean")
    return feature.slotByText.get(value ? "true" : "false") ?? feature.otherSlot;
  return feature.missingSlot;
}

function flattenOneLevel(data: unknown[]): unknown[] {
  return data.length > 0 && Array.isArray(data[0]) ? (data as unknown[][]).flat() : data;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface FeatureWindowDelta {
  windowStart: Date;
  feature: string;
  /** Stored layout; add element-wise to the row already stored for (monitor, windowStart, feature). */
  counts: number[];
  /** Rows seen, missing included (= sum of counts). */
  total: number;
}

/** The accumulated counts as FeatureWindow increments, oldest window first; empties the accumulator. */
export function drainFeatureWindows(
  plan: AggregationPlan,
  accumulator: WindowAccumulator,
): FeatureWindowDelta[] {
  const deltas: FeatureWindowDelta[] = [];
  const windows = [...accumulator.values()].sort((a, b) => a.windowStartMs - b.windowStartMs);
  for (const window of windows) {
    if (window.rows === 0) continue;
    const windowStart = new Date(window.windowStartMs);
    plan.features.forEach((feature, index) => {
      const start = plan.offsets[index];
      deltas.push({
        windowStart,
        feature: feature.name,
        counts: Array.from(window.counts.subarray(start, start + slotCount(feature))),
        total: window.rows,
      });
    });
  }
  accumulator.clear();
  return deltas;
}
