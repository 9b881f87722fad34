import { studentTQuantile } from './student-t.ts';

/** Mean with the t interval x̄ ± t₀.₉₇₅,ₙ₋₁·s/√n — used for CES (1–7) and other mean scores. */
export interface MeanResult {
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1). */
  sd: number | null;
  ci95: [number, number] | null;
}

/** From aggregates computed in the database: count, average and sample standard deviation. */
export function meanInterval(n: number, mean: number | null, sd: number | null): MeanResult {
  if (n === 0 || mean === null) return { n, mean: null, sd: null, ci95: null };
  // One answer has no spread to estimate: report the mean without an interval.
  if (n < 2 || sd === null) return { n, mean, sd: null, ci95: null };
  const half = (studentTQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}

export function meanOf(values: readonly number[]): MeanResult {
  const n = values.length;
  if (n === 0) return meanInterval(0, null, null);
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : null;
  return meanInterval(n, mean, sd);
}
