import { inputError } from '../errors.ts';
import type { DriverData } from './types.ts';

/**
 * Means, standard deviations and the Pearson correlation matrix of drivers and target, with listwise
 * deletion: a row with any missing (NaN) driver or target is dropped from everything. Pairwise deletion
 * would use more data but can yield a correlation matrix that is not positive semi-definite, which the
 * relative weights (a matrix square root) cannot take; how many rows were dropped is reported instead.
 */

/** The complete rows: drivers then target, as columns of equal length. */
export interface CompleteColumns {
  /** `columns[j]` for j < p are the drivers, `columns[p]` the target. */
  columns: Float64Array[];
  n: number;
  /** Rows dropped because a value was missing. */
  dropped: number;
}

export interface Moments {
  n: number;
  /** Number of variables m = p + 1 (drivers then target). */
  m: number;
  means: Float64Array;
  /** Sample standard deviations (n − 1). */
  sds: Float64Array;
  /** m × m row-major Pearson correlation matrix. */
  corr: Float64Array;
}

/** Checks the shape of the input; errors name the field. */
export function checkDriverData(data: DriverData): void {
  const p = data.drivers.length;
  if (p === 0) throw inputError('give at least one driver', { field: 'drivers' });
  if (data.names.length !== p)
    throw inputError(`${data.names.length} driver names for ${p} driver columns`, { field: 'drivers' });
  const seen = new Set<string>();
  for (const name of data.names) {
    if (seen.has(name)) throw inputError(`the driver "${name}" is listed twice`, { field: name });
    seen.add(name);
  }
  const n = data.target.length;
  data.drivers.forEach((d, j) => {
    if (d.length !== n)
      throw inputError(`driver has ${d.length} values but the target has ${n}`, { field: data.names[j] });
  });
}

/** Listwise deletion: keeps the rows where every driver and the target is a finite number. */
export function completeColumns(data: DriverData): CompleteColumns {
  checkDriverData(data);
  const all = [...data.drivers, data.target];
  const n0 = data.target.length;
  const keep = new Uint8Array(n0).fill(1);
  let n = n0;
  for (const col of all)
    for (let i = 0; i < n0; i++)
      if (keep[i] && !Number.isFinite(col[i]!)) {
        keep[i] = 0;
        n--;
      }
  if (n === n0) return { columns: all, n, dropped: 0 };
  const columns = all.map((col) => {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < n0; i++) if (keep[i]) out[k++] = col[i]!;
    return out;
  });
  return { columns, n, dropped: n0 - n };
}

/** Two-pass means and centred cross-products (stable for large means, e.g. waiting seconds). */
export function moments(columns: readonly Float64Array[]): Moments {
  const m = columns.length;
  const n = columns[0]?.length ?? 0;
  const means = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    const c = columns[j]!;
    for (let i = 0; i < n; i++) s += c[i]!;
    means[j] = s / n;
  }
  const cov = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    const cj = columns[j]!;
    const mj = means[j]!;
    for (let k = j; k < m; k++) {
      const ck = columns[k]!;
      const mk = means[k]!;
      let s = 0;
      for (let i = 0; i < n; i++) s += (cj[i]! - mj) * (ck[i]! - mk);
      cov[j * m + k] = s / (n - 1);
      cov[k * m + j] = s / (n - 1);
    }
  }
  const sds = new Float64Array(m);
  for (let j = 0; j < m; j++) sds[j] = Math.sqrt(cov[j * m + j]!);
  const corr = new Float64Array(m * m);
  for (let j = 0; j < m; j++)
    for (let k = 0; k < m; k++) corr[j * m + k] = j === k ? 1 : cov[j * m + k]! / (sds[j]! * sds[k]!);
  return { n, m, means, sds, corr };
}

/**
 * A column is constant when its spread is nil relative to its size: exactly 0 for identical values in
 * exact arithmetic, but the two-pass sum can leave a rounding residue.
 */
export function isConstant(sd: number, mean: number): boolean {
  return !(sd > 1e-12 * Math.max(1, Math.abs(mean)));
}

/** The correlation matrix of drivers and target after listwise deletion. */
export function driverCorrelation(data: DriverData): Moments & { dropped: number } {
  const { columns, dropped } = completeColumns(data);
  return { ...moments(columns), dropped };
}
