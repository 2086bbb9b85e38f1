/**
 * Distributions the simulation draws from. Weighted choice uses Vose's alias method so a
 * draw costs O(1) whatever the number of outcomes (200 products, 40,000 customers).
 */
import type { Rng } from './rng.js';

export class AliasTable<T> {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    const n = items.length;
    if (n === 0 || n !== weights.length) throw new Error('AliasTable needs one weight per item and at least one item');
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0) || weights.some((w) => w < 0 || !Number.isFinite(w))) {
      throw new Error('AliasTable weights must be finite, non-negative and not all zero');
    }
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
    while (small.length && large.length) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      (scaled[l] < 1 ? small : large).push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  index(rng: Rng): number {
    const u = rng.next() * this.prob.length;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }

  sample(rng: Rng): T {
    return this.items[this.index(rng)];
  }

  static of<T>(weighted: ReadonlyArray<{ value: T; weight: number }>): AliasTable<T> {
    return new AliasTable(
      weighted.map((w) => w.value),
      weighted.map((w) => w.weight),
    );
  }
}

/** Zipf weights 1/rank^s for ranks 1..n. */
export function zipfWeights(n: number, exponent: number): number[] {
  return Array.from({ length: n }, (_, i) => 1 / Math.pow(i + 1, exponent));
}

/** Share of total weight held by the top `fraction` of ranks (at least one rank). */
export function topShare(weights: readonly number[], fraction: number): number {
  const top = Math.max(1, Math.round(weights.length * fraction));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.slice(0, top).reduce((a, b) => a + b, 0) / total;
}

/**
 * The Zipf exponent for which the top `fraction` of n items carry `share` of the weight
 * (the 80/20 rule: fraction 0.2, share 0.8). Bisection: share grows monotonically with s.
 */
export function calibrateZipfExponent(n: number, share = 0.8, fraction = 0.2): number {
  if (n < 2) return 1;
  let lo = 0;
  let hi = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (topShare(zipfWeights(n, mid), fraction) < share) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Poisson(λ): Knuth's product method for small λ, a rounded normal for large λ. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
}

/** Log-normal with the given median and shape σ. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * rng.normal());
}

/** Largest-remainder apportionment: exact integer counts that sum to `total` and follow the weights. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (w / sum) * total);
  const counts = raw.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) counts[order[k][1]]++;
  return counts;
}

/**
 * The standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error
 * below 1.2e-9), a dozen lines instead of a statistics library for one function.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}
