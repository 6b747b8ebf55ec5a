import { slotCount, type FeatureDefinition } from "./bins";

/**
 * Reference-vs-current overlays from stored count vectors: shares of the non-missing rows per
 * bin (numeric, labelled by the fixed reference edges) or category (plus "other" when either side
 * has some), with the missing counts reported apart.
 */

export interface OverlayBin {
  label: string;
  reference: number;
  current: number;
}

export interface DistributionOverlay {
  bins: OverlayBin[];
  referenceCount: number;
  currentCount: number;
  referenceMissing: number;
  currentMissing: number;
}

export function distributionOverlay(
  definition: FeatureDefinition,
  current: readonly number[],
): DistributionOverlay {
  const slots = slotCount(definition);
  if (current.length !== slots || definition.reference.length !== slots)
    throw new RangeError(`Feature ${definition.name}: expected ${slots} slots`);
  const comparable = slots - 1;
  const labels =
    definition.kind === "numeric" ? numericBinLabels(definition.edges) : [...definition.categories, "other"];
  const referenceCount = sumTo(definition.reference, comparable);
  const currentCount = sumTo(current, comparable);
  const bins: OverlayBin[] = [];
  for (let slot = 0; slot < comparable; slot++) {
    const isEmptyOther =
      definition.kind === "categorical" &&
      slot === comparable - 1 &&
      definition.reference[slot] === 0 &&
      current[slot] === 0;
    if (isEmptyOther) continue;
    bins.push({
      label: labels[slot],
      reference: referenceCount === 0 ? 0 : definition.reference[slot] / referenceCount,
      current: currentCount === 0 ? 0 : current[slot] / currentCount,
    });
  }
  return {
    bins,
    referenceCount,
    currentCount,
    referenceMissing: definition.reference[comparable],
    currentMissing: current[comparable],
  };
}

/** "< e1", "[e_i, e_i+1)", "≥ e_n-1": the outer bins are open-ended (see ./bins). */
export function numericBinLabels(edges: readonly number[]): string[] {
  const bins = edges.length - 1;
  if (bins === 1) return ["all values"];
  return Array.from({ length: bins }, (_, i) => {
    if (i === 0) return `< ${formatEdge(edges[1])}`;
    if (i === bins - 1) return `≥ ${formatEdge(edges[i])}`;
    return `${formatEdge(edges[i])} – ${formatEdge(edges[i + 1])}`;
  });
}

function formatEdge(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

function sumTo(values: readonly number[], end: number): number {
  let total = 0;
  for (let i = 0; i < end; i++) total += values[i];
  return total;
}
