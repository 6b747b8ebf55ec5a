/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013) over a subset of points: keeps the first and
 * last candidate and, from each of threshold − 2 equal buckets in between, the point forming the
 * largest triangle with the previously kept point and the next bucket's average.
 * Returns indices into x/y (a subset of `candidates`, in order). Candidates must have finite x and y.
 */
export function lttbIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  candidates: ArrayLike<number>,
  threshold: number,
): number[] {
  const n = candidates.length;
  if (threshold >= n) return Array.from(candidates);
  if (threshold <= 0) return [];
  if (threshold === 1) return [candidates[0]];
  if (threshold === 2) return [candidates[0], candidates[n - 1]];

  const selected = [candidates[0]];
  const bucketSize = (n - 2) / (threshold - 2);
  let previous = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let averageX = 0;
    let averageY = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      averageX += x[candidates[i]];
      averageY += y[candidates[i]];
    }
    const nextCount = Math.max(nextEnd - nextStart, 1);
    averageX /= nextCount;
    averageY /= nextCount;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const previousX = x[candidates[previous]];
    const previousY = y[candidates[previous]];
    let largestArea = -1;
    let chosen = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs(
        (previousX - averageX) * (y[candidates[i]] - previousY) -
          (previousX - x[candidates[i]]) * (averageY - previousY),
      );
      if (area > largestArea) {
        largestArea = area;
        chosen = i;
      }
    }
    selected.push(candidates[chosen]);
    previous = chosen;
  }
  selected.push(candidates[n - 1]);
  return selected;
}
