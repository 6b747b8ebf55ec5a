import type { ChartSeries } from "@/lib/domain/charts/series";
import type { HistogramBin } from "@/components/charts/bar-histogram";

// Deterministic sample data for the component preview (no randomness, so screenshots are comparable).

function wobble(i: number, seed: number): number {
  return Math.sin(i * 0.9 + seed) * 0.5 + Math.sin(i * 2.3 + seed * 1.7) * 0.3;
}

export function lossSeries(): ChartSeries[] {
  const steps = Array.from({ length: 120 }, (_, i) => i * 25);
  const curve = (start: number, floor: number, rate: number, seed: number) =>
    steps.map((x, i) => ({ x, y: floor + (start - floor) * Math.exp(-rate * i) + 0.02 * wobble(i, seed) }));
  return [
    { id: "train", label: "train_loss", points: curve(2.4, 0.31, 0.045, 1) },
    { id: "val", label: "val_loss", points: curve(2.5, 0.42, 0.038, 2) },
    { id: "baseline", label: "val_loss (champion v12)", points: curve(2.6, 0.47, 0.035, 3) },
  ];
}

export const SAMPLE_NOW = Date.UTC(2026, 10, 26, 19, 30);

export function latencySeries(): ChartSeries[] {
  const start = SAMPLE_NOW - 6 * 3_600_000;
  const times = Array.from({ length: 73 }, (_, i) => start + i * 5 * 60_000);
  const line = (base: number, spikeAt: number, seed: number) =>
    times.map((x, i) => ({ x, y: base + 12 * wobble(i, seed) + (i > spikeAt ? (i - spikeAt) * 6 : 0) }));
  return [
    { id: "p50", label: "p50", points: line(48, 60, 1) },
    { id: "p95", label: "p95", points: line(140, 58, 2) },
    { id: "p99", label: "p99", points: line(210, 55, 4) },
  ];
}

export function driftBins(): HistogramBin[] {
  const reference = [0.04, 0.09, 0.16, 0.22, 0.19, 0.13, 0.09, 0.05, 0.03];
  const current = [0.02, 0.05, 0.1, 0.16, 0.2, 0.19, 0.14, 0.09, 0.05];
  return reference.map((share, i) => ({
    label: `${i * 10}–${i * 10 + 10}`,
    reference: share,
    current: current[i],
  }));
}

export interface SampleRun {
  id: string;
  name: string;
  status: string;
  kind: string;
  owner: string;
  durationMs: number | null;
  auc: number | null;
  startedAt: number;
  trend: number[];
}

export const sampleRuns: SampleRun[] = [
  {
    id: "run-8f21c0",
    name: "churn-xgb-2026-11-26",
    status: "RUNNING",
    kind: "Tabular",
    owner: "Priya Raman",
    durationMs: 1_384_000,
    auc: null,
    startedAt: SAMPLE_NOW - 23 * 60_000,
    trend: [0.61, 0.66, 0.7, 0.73, 0.75, 0.77],
  },
  {
    id: "run-7ac9e4",
    name: "churn-xgb-2026-11-25",
    status: "SUCCEEDED",
    kind: "Tabular",
    owner: "Priya Raman",
    durationMs: 2_912_000,
    auc: 0.8412,
    startedAt: SAMPLE_NOW - 26 * 3_600_000,
    trend: [0.6, 0.68, 0.74, 0.79, 0.82, 0.84],
  },
  {
    id: "run-5d10aa",
    name: "support-llm-lora-r16",
    status: "FAILED",
    kind: "GenAI fine-tune",
    owner: "Tom Okafor",
    durationMs: 640_000,
    auc: null,
    startedAt: SAMPLE_NOW - 3 * 3_600_000,
    trend: [2.1, 1.8, 1.9, 2.4],
  },
  {
    id: "run-41bb02",
    name: "arpu-forecast-lgbm",
    status: "QUEUED",
    kind: "Tabular",
    owner: "Ana Silva",
    durationMs: null,
    auc: null,
    startedAt: SAMPLE_NOW - 40_000,
    trend: [],
  },
  {
    id: "run-3e77f9",
    name: "churn-xgb-feature-ablation",
    status: "TIMED_OUT",
    kind: "Tabular",
    owner: "Ana Silva",
    durationMs: 14_400_000,
    auc: 0.8011,
    startedAt: SAMPLE_NOW - 2 * 86_400_000,
    trend: [0.55, 0.63, 0.7, 0.76, 0.79, 0.8],
  },
  {
    id: "run-2c0f51",
    name: "support-llm-lora-r8",
    status: "CANCELLED",
    kind: "GenAI fine-tune",
    owner: "Tom Okafor",
    durationMs: 95_000,
    auc: null,
    startedAt: SAMPLE_NOW - 5 * 86_400_000,
    trend: [2.3, 2.2],
  },
];
