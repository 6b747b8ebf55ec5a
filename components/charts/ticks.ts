// Axis ticks at round values (steps 0, 500, 1,000; times 14:00, 15:00), so readers can interpolate.

const NICE_FRACTIONS = [1, 2, 2.5, 5] as const;

/** The smallest 1/2/2.5/5 × 10^k step that fits [min, max] in at most `maxTicks` ticks. */
function niceStep(min: number, max: number, maxTicks: number): number {
  const exponent = Math.floor(Math.log10((max - min) / Math.max(1, maxTicks - 1)));
  for (let e = exponent - 1; e <= exponent + 1; e += 1) {
    for (const fraction of NICE_FRACTIONS) {
      const step = fraction * 10 ** e;
      const count = Math.floor(max / step + 1e-9) - Math.ceil(min / step - 1e-9) + 1;
      if (count <= maxTicks) return step;
    }
  }
  return 10 ** (exponent + 2);
}

/** Round ticks within [min, max]: at most `maxTicks`, spaced 1, 2, 2.5 or 5 × 10^k apart. */
export function niceLinearTicks(min: number, max: number, maxTicks = 6): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const step = niceStep(min, max, maxTicks);
  const ticks: number[] = [];
  for (let index = Math.ceil(min / step - 1e-9); index * step <= max + step * 1e-9; index += 1) {
    ticks.push(Number((index * step).toPrecision(12)));
  }
  return ticks;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_INTERVALS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * Time ticks within [min, max], at most `maxTicks`, on whole minutes, hours or days of the person's wall
 * clock: `zoneOffsetMs` (lib/domain/time-zone.ts, at `minMs`) shifts the grid, so Sydney sees 00:00 and
 * India 14:00, not 05:30. Zero keeps them on UTC.
 */
export function niceTimeTicks(minMs: number, maxMs: number, maxTicks = 7, zoneOffsetMs = 0): number[] {
  if (!Number.isFinite(minMs) || !Number.isFinite(maxMs) || maxMs <= minMs) return [];
  const interval =
    TIME_INTERVALS.find((candidate) => (maxMs - minMs) / candidate <= maxTicks - 1) ??
    TIME_INTERVALS[TIME_INTERVALS.length - 1];
  const ticks: number[] = [];
  for (
    let tick = Math.ceil((minMs + zoneOffsetMs) / interval) * interval - zoneOffsetMs;
    tick <= maxMs;
    tick += interval
  )
    ticks.push(tick);
  return ticks;
}

/** Log-axis ticks: powers of ten, plus 2× and 5× when the data spans less than three decades. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || max < min) return [];
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const multipliers = high - low < 3 ? [1, 2, 5] : [1];
  const ticks: number[] = [];
  for (let exponent = low; exponent <= high; exponent += 1) {
    for (const multiplier of multipliers) {
      const tick = Number((multiplier * 10 ** exponent).toPrecision(12));
      if (tick >= min && tick <= max) ticks.push(tick);
    }
  }
  return ticks;
}

/** A log-axis domain padded by a few percent so the extreme samples do not sit on the frame. */
export function logDomain(min: number, max: number): [number, number] {
  return [min / 1.08, max * 1.08];
}

/** Ticks from 0 up to the first round value at or above `max`, for bar charts that start at zero. */
export function zeroBasedTicks(max: number, maxTicks = 5): number[] {
  if (!(max > 0)) return [0];
  const ticks = niceLinearTicks(0, max, maxTicks);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : max;
  let last = ticks[ticks.length - 1];
  while (last < max - step * 1e-9) {
    last = Number((last + step).toPrecision(12));
    ticks.push(last);
  }
  return ticks;
}
