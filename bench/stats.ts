// Small statistics and randomness helpers for the benches: nearest-rank
// quantiles (so a p99 is a sample that happened, not an interpolation) and a
// seeded generator, so two phases of one run can replay the same load.

export interface Summary { n: number; mean: number; p50: number; p90: number; p99: number; max: number }

const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export function summarize(values: readonly number[], digits = 1): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length,
    mean: round(mean, digits),
    p50: round(quantile(s, 0.5), digits),
    p90: round(quantile(s, 0.9), digits),
    p99: round(quantile(s, 0.99), digits),
    max: round(s[s.length - 1] ?? NaN, digits),
  };
}

// xorshift32: deterministic, good enough to spread arrivals and choices.
export function seededRandom(seed: number): () => number {
  let x = (seed >>> 0) || 0x9e3779b9;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

export const uniform = (rand: () => number, lo: number, hi: number): number => lo + (hi - lo) * rand();

// Exponential inter-arrival gap for a Poisson process of `ratePerSec`, in ms.
export const poissonGapMs = (rand: () => number, ratePerSec: number): number => -Math.log(1 - rand()) * 1000 / ratePerSec;

export const roundTo = round;
