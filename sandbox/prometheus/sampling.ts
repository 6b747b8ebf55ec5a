/** Cheap random draws for the traffic generator: counts per slot, never one draw per request. */

export type Random = () => number;

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function standardNormal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

export function poisson(lambda: number, random: Random): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * standardNormal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

export function binomial(n: number, p: number, random: Random): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n < 30) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const mean = n * p;
  if (mean < 20) return Math.min(n, poisson(mean, random));
  if (n - mean < 20) return n - Math.min(n, poisson(n - mean, random));
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * standardNormal(random))));
}

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-ax * ax);
  return sign * y;
}

export const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));

/** Latency as `shift + LogNormal(ln(median), sigma)`: slow requests have a long right tail. */
export interface LatencyDistribution {
  median: number;
  sigma: number;
  shift: number;
}

export function latencyCdf(d: LatencyDistribution, x: number): number {
  if (x === Infinity) return 1;
  const y = x - d.shift;
  if (y <= 0) return 0;
  return normalCdf((Math.log(y) - Math.log(d.median)) / d.sigma);
}

/** E[X; X <= x] for the distribution above, used for the histogram's _sum. */
function partialExpectation(d: LatencyDistribution, x: number): number {
  const mu = Math.log(d.median);
  const mean = Math.exp(mu + (d.sigma * d.sigma) / 2);
  const y = x - d.shift;
  if (y <= 0) return 0;
  const tail = x === Infinity ? 1 : normalCdf((Math.log(y) - mu - d.sigma * d.sigma) / d.sigma);
  return mean * tail + d.shift * latencyCdf(d, x);
}

/** Each bucket's probability and mean latency under a distribution (+Inf bucket last). */
export interface BucketModel {
  masses: number[];
  means: number[];
}

export function bucketModel(bounds: number[], d: LatencyDistribution): BucketModel {
  const masses: number[] = [];
  const means: number[] = [];
  let previousCdf = 0;
  let previousPartial = 0;
  for (let i = 0; i <= bounds.length; i++) {
    const upper = i < bounds.length ? bounds[i] : Infinity;
    const lower = i === 0 ? 0 : bounds[i - 1];
    const cdf = latencyCdf(d, upper);
    const partial = partialExpectation(d, upper);
    const mass = Math.max(0, cdf - previousCdf);
    masses.push(mass);
    means.push(
      mass > 1e-12
        ? (partial - previousPartial) / mass
        : upper === Infinity
          ? lower * 1.5
          : (lower + upper) / 2,
    );
    previousCdf = cdf;
    previousPartial = partial;
  }
  return { masses, means };
}

/**
 * Splits `n` requests over the buckets with a sequential binomial draw, returning per-bucket
 * counts and the total latency of those requests (each bucket's count times its mean).
 */
export function sampleHistogram(
  n: number,
  model: BucketModel,
  random: Random,
): { counts: number[]; sum: number } {
  const counts = new Array<number>(model.masses.length).fill(0);
  let sum = 0;
  let remaining = n;
  let remainingMass = 1;
  const last = model.masses.length - 1;
  for (let i = 0; i <= last && remaining > 0; i++) {
    const mass = model.masses[i];
    const k =
      i === last
        ? remaining
        : binomial(remaining, remainingMass > 0 ? Math.min(1, mass / remainingMass) : 0, random);
    counts[i] = k;
    sum += k * model.means[i];
    remaining -= k;
    remainingMass -= mass;
  }
  return { counts, sum };
}
