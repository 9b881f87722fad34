import { AppError, inputError } from '../errors.ts';
import { newFloat64Array } from './folds.ts';
import type { Dataset, Matrix } from './types.ts';

/**
 * Turns any customer table into the numeric design matrix the learners need, and remembers how, so
 * that new rows are scored with exactly the same encoding:
 *  - numeric columns (every non-blank value is a number) are standard-scaled with the training mean
 *    and population standard deviation (as scikit-learn's StandardScaler);
 *  - blanks (null, '', NaN and the configured missing markers) are imputed with the training mean —
 *    0 after scaling — and flagged by a `<col>:missing` 0/1 column when the training data had any;
 *  - other columns are one-hot encoded (`col=value`), blanks as `col:missing`; a category not seen in
 *    training scores as all zeros (no effect);
 *  - the target, the id column and excluded columns are left out; constant and all-missing columns
 *    are dropped with a warning that names them.
 * "unknown" in the bank data is a real answer ("did not say"), so no value is a missing marker unless
 * the caller lists it.
 */
export type ColumnValues = readonly (string | number | null | undefined)[] | Float64Array;

export interface TableColumn {
  name: string;
  values: ColumnValues;
  /** Known type (e.g. decided by the database); inferred from the values when absent. */
  kind?: 'numeric' | 'categorical';
}

export interface EncodeOptions {
  target: string;
  /** The target value that counts as the positive class (1); every other value is 0. */
  positive: string;
  idColumn?: string;
  exclude?: readonly string[];
  /** Values that mean "not known" in this file, e.g. ["NA", "?"]. Default none. */
  missingMarkers?: readonly string[];
  /** Named in errors. */
  file?: string;
  /** Most frequent categories kept per column (default 100); rarer ones score as unseen. */
  maxCategories?: number;
  /**
   * Build the design matrix in a SharedArrayBuffer (where the platform has one), so the worker
   * threads that fit models on it read it without a copy.
   */
  shared?: boolean;
}

export type EncodedColumn =
  | {
      name: string;
      kind: 'numeric';
      mean: number;
      sd: number;
      /** False when the values are constant apart from blanks: only the missing flag is kept. */
      scaled: boolean;
      missing: boolean;
    }
  | { name: string; kind: 'categorical'; categories: string[]; missing: boolean };

/** Serialisable (plain JSON) recipe of the encoding. */
export interface Encoder {
  version: 1;
  columns: EncodedColumn[];
  features: string[];
  missingMarkers: string[];
}

export interface EncodedTable {
  dataset: Dataset;
  encoder: Encoder;
  warnings: string[];
  /** Data rows (0-based) used: rows with a blank target are left out. */
  rows: Uint32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const MAX_CATEGORIES = 100;

function missingTest(markers: readonly string[]): (v: unknown) => boolean {
  const set = new Set(markers.map((m) => m.trim()));
  return (v) =>
    v === null ||
    v === undefined ||
    (typeof v === 'number' && Number.isNaN(v)) ||
    (typeof v === 'string' && (v.trim() === '' || set.has(v.trim())));
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const s = String(v).trim();
  return NUMBER.test(s) ? Number(s) : Number.NaN;
}

function isNumericColumn(col: TableColumn, isMissing: (v: unknown) => boolean): boolean {
  if (col.kind) return col.kind === 'numeric';
  if (col.values instanceof Float64Array) return true;
  for (const v of col.values) if (!isMissing(v) && Number.isNaN(toNumber(v))) return false;
  return true;
}

const catKey = (v: unknown) => (typeof v === 'string' ? v.trim() : String(v));

function columnList(columns: readonly TableColumn[]): string {
  return columns.map((c) => `"${c.name}"`).join(', ');
}

function requireColumn(columns: readonly TableColumn[], name: string, flag: string, file?: string) {
  const col = columns.find((c) => c.name === name);
  if (!col)
    throw inputError(
      `the column "${name}" (${flag}) is not in the table; available columns: ${columnList(columns)}`,
      {
        ...(file ? { file } : {}),
        field: name,
      },
    );
  return col;
}

/** Builds the dataset (design matrix, labels, feature names) and its encoder from a training table. */
export function encodeTable(columns: readonly TableColumn[], options: EncodeOptions): EncodedTable {
  const file = options.file;
  const loc = (field: string) => ({ ...(file ? { file } : {}), field });
  const isMissing = missingTest(options.missingMarkers ?? []);
  const targetCol = requireColumn(columns, options.target, '--target', file);
  if (options.idColumn !== undefined) requireColumn(columns, options.idColumn, '--id-column', file);
  for (const e of options.exclude ?? []) requireColumn(columns, e, '--exclude', file);
  const warnings: string[] = [];

  // Labels: blank targets are left out; the positive value is compared as text, or as a number when
  // both sides are numbers ("1" matches 1.0).
  const positive = options.positive.trim();
  const positiveNum = toNumber(positive);
  const counts = new Map<string, number>();
  const kept: number[] = [];
  const labels: number[] = [];
  const tv = targetCol.values;
  for (let i = 0; i < tv.length; i++) {
    const v = tv[i];
    if (isMissing(v)) continue;
    const key = catKey(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    kept.push(i);
    const num = toNumber(v);
    labels.push(key === positive || (!Number.isNaN(positiveNum) && num === positiveNum) ? 1 : 0);
  }
  const blanks = tv.length - kept.length;
  if (kept.length === 0)
    throw inputError(`the target "${options.target}" is blank in every row`, loc(options.target));
  const describeCounts = () =>
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([k, c]) => `"${k}" (${c})`)
      .join(', ');
  const positives = labels.reduce((s, v) => s + v, 0);
  if (counts.size === 1)
    throw inputError(
      `the target "${options.target}" has one class only: "${[...counts.keys()][0]}" in all ${kept.length} rows; a model needs rows of both classes`,
      loc(options.target),
    );
  if (positives === 0)
    throw inputError(
      `the positive value "${options.positive}" (--positive) does not occur in the target "${options.target}"; its values are ${describeCounts()}`,
      loc(options.target),
    );
  if (counts.size > 2)
    warnings.push(
      `the target "${options.target}" has ${counts.size} values; "${positive}" is the positive class and all others are negative`,
    );
  if (blanks > 0) warnings.push(`${blanks} rows with a blank target "${options.target}" were left out`);
  const rows = Uint32Array.from(kept);

  const skip = new Set([options.target, ...(options.exclude ?? [])]);
  if (options.idColumn !== undefined) skip.add(options.idColumn);
  const maxCats = options.maxCategories ?? MAX_CATEGORIES;
  const encoded: EncodedColumn[] = [];
  const dropped = { constant: [] as string[], allMissing: [] as string[], identifier: [] as string[] };
  for (const col of columns) {
    if (skip.has(col.name)) continue;
    const values = col.values;
    if (isNumericColumn(col, isMissing)) {
      let m = 0;
      let sum = 0;
      for (const r of rows) {
        const v = values[r];
        if (isMissing(v)) continue;
        const x = toNumber(v);
        if (Number.isNaN(x))
          throw new AppError(
            'bad_input',
            `the column "${col.name}" is numeric but holds "${String(v)}"`,
            loc(col.name),
          );
        m++;
        sum += x;
      }
      if (m === 0) {
        dropped.allMissing.push(col.name);
        continue;
      }
      const mean = sum / m;
      let ss = 0;
      for (const r of rows) {
        const v = values[r];
        if (!isMissing(v)) ss += (toNumber(v) - mean) ** 2;
      }
      const sd = Math.sqrt(ss / m);
      const missing = m < rows.length;
      const scaled = sd > 1e-12 * Math.max(1, Math.abs(mean));
      if (!scaled && !missing) {
        dropped.constant.push(col.name);
        continue;
      }
      encoded.push({ name: col.name, kind: 'numeric', mean, sd: scaled ? sd : 1, scaled, missing });
    } else {
      const cats = new Map<string, number>();
      let m = 0;
      for (const r of rows) {
        const v = values[r];
        if (isMissing(v)) continue;
        m++;
        const k = catKey(v);
        cats.set(k, (cats.get(k) ?? 0) + 1);
      }
      if (m === 0) {
        dropped.allMissing.push(col.name);
        continue;
      }
      const missing = m < rows.length;
      if (cats.size === 1 && !missing) {
        dropped.constant.push(col.name);
        continue;
      }
      // A text column with a distinct value in (nearly) every row is an identifier or free text:
      // one-hot columns of it would only memorise rows.
      if (cats.size > 50 && cats.size >= 0.5 * m) {
        dropped.identifier.push(col.name);
        continue;
      }
      let categories = [...cats].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
      if (categories.length > maxCats) {
        warnings.push(
          `the column "${col.name}" has ${categories.length} categories; the ${maxCats} most frequent are kept, the rest score as unseen`,
        );
        categories = categories.slice(0, maxCats);
      }
      categories.sort();
      encoded.push({ name: col.name, kind: 'categorical', categories, missing });
    }
  }
  const names = (a: string[]) => a.map((n) => `"${n}"`).join(', ');
  if (dropped.constant.length)
    warnings.push(
      `constant column${dropped.constant.length > 1 ? 's' : ''} dropped: ${names(dropped.constant)}`,
    );
  if (dropped.allMissing.length)
    warnings.push(
      `all-missing column${dropped.allMissing.length > 1 ? 's' : ''} dropped: ${names(dropped.allMissing)}`,
    );
  if (dropped.identifier.length)
    warnings.push(
      `column${dropped.identifier.length > 1 ? 's' : ''} with a distinct text in most rows dropped (identifiers or free text; name the id with --id-column): ${names(dropped.identifier)}`,
    );

  const encoder: Encoder = {
    version: 1,
    columns: encoded,
    features: featureNames(encoded),
    missingMarkers: [...(options.missingMarkers ?? [])],
  };
  if (encoder.features.length === 0)
    throw inputError(
      'no usable feature columns are left (all are the target, id, excluded, constant or blank)',
      loc(options.target),
    );
  const m = encodeRows(encoder, columns, {
    rows,
    ...(file ? { file } : {}),
    ...(options.shared ? { shared: true } : {}),
  });
  const y = Uint8Array.from(labels);
  const perFeature = positives / encoder.features.length;
  const negatives = y.length - positives;
  const minority = Math.min(positives, negatives);
  if (minority / encoder.features.length < 10)
    warnings.push(
      `${minority} rows in the smaller class for ${encoder.features.length} features (${perFeature < 1 ? perFeature.toFixed(2) : perFeature.toFixed(1)} positives per feature): below 10 per feature the model may overfit`,
    );
  return { dataset: { ...m, y, features: encoder.features }, encoder, warnings, rows };
}

function featureNames(columns: readonly EncodedColumn[]): string[] {
  const out: string[] = [];
  for (const c of columns) {
    if (c.kind === 'numeric') {
      if (c.scaled) out.push(c.name);
    } else for (const k of c.categories) out.push(`${c.name}=${k}`);
    if (c.missing) out.push(`${c.name}:missing`);
  }
  return out;
}

/** For every feature, the index of the encoder column it comes from (for per-column explanations). */
export function featureColumnIndex(encoder: Encoder): Int32Array {
  const out: number[] = [];
  encoder.columns.forEach((c, i) => {
    const width = (c.kind === 'numeric' ? (c.scaled ? 1 : 0) : c.categories.length) + (c.missing ? 1 : 0);
    for (let k = 0; k < width; k++) out.push(i);
  });
  return Int32Array.from(out);
}

/**
 * Encodes rows with a fitted encoder. Columns are matched by name (extra columns are ignored; a
 * missing one is an error naming it); `rows` picks data rows (default all).
 */
export function encodeRows(
  encoder: Encoder,
  columns: readonly TableColumn[],
  options: { rows?: ArrayLike<number>; file?: string; shared?: boolean } = {},
): Matrix {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const missingCols = encoder.columns.filter((c) => !byName.has(c.name)).map((c) => `"${c.name}"`);
  if (missingCols.length)
    throw inputError(
      `the model needs the column${missingCols.length > 1 ? 's' : ''} ${missingCols.join(', ')}, which the table lacks`,
      {
        ...(options.file ? { file: options.file } : {}),
        field: encoder.columns.find((c) => !byName.has(c.name))!.name,
      },
    );
  const total = columns[0]?.values.length ?? 0;
  const rows = options.rows;
  const n = rows ? rows.length : total;
  const p = encoder.features.length;
  const x = newFloat64Array(n * p, options.shared);
  const isMissing = missingTest(encoder.missingMarkers);
  let offset = 0;
  for (const c of encoder.columns) {
    const values = byName.get(c.name)!.values;
    if (c.kind === 'numeric') {
      const valueAt = c.scaled ? offset++ : -1;
      const flagAt = c.missing ? offset++ : -1;
      for (let i = 0; i < n; i++) {
        const v = values[rows ? rows[i]! : i];
        const num = isMissing(v) ? Number.NaN : toNumber(v);
        if (Number.isNaN(num)) {
          // Blank (or text in a numeric column at scoring time): the training mean, i.e. 0 scaled.
          if (flagAt >= 0) x[i * p + flagAt] = 1;
        } else if (valueAt >= 0) x[i * p + valueAt] = (num - c.mean) / c.sd;
      }
    } else {
      const at = new Map(c.categories.map((k, j) => [k, offset + j]));
      offset += c.categories.length;
      const flagAt = c.missing ? offset++ : -1;
      for (let i = 0; i < n; i++) {
        const v = values[rows ? rows[i]! : i];
        if (isMissing(v)) {
          if (flagAt >= 0) x[i * p + flagAt] = 1;
          continue;
        }
        const j = at.get(catKey(v));
        if (j !== undefined) x[i * p + j] = 1;
      }
    }
  }
  return { x, n, p };
}

/** Same shape as the API's `Reason` (schemas/predict-api.ts), plus the raw value. */
export interface ColumnReason {
  /** The source column. */
  feature: string;
  /** The row's value as written, or null when blank. */
  value: string | null;
  /** Summed log-odds contribution of the column's features. */
  contribution: number;
  /** e.g. `pdays = 999 lowers risk`, `job = student raises risk`, `pdays is blank raises risk`. */
  text: string;
}

/**
 * The columns that move one row's prediction most, in words. Contributions of a column's features
 * (its value, one-hot categories, missing flag) are summed, so a category reads as one reason.
 */
export function columnReasons(
  encoder: Encoder,
  contributions: ArrayLike<number>,
  rawValue: (column: string) => unknown,
  options: { top?: number; noun?: string } = {},
): ColumnReason[] {
  const index = featureColumnIndex(encoder);
  const sums = new Float64Array(encoder.columns.length);
  for (let j = 0; j < index.length; j++) sums[index[j]!]! += contributions[j]!;
  const isMissing = missingTest(encoder.missingMarkers);
  const order = [...sums.keys()].filter((i) => Math.abs(sums[i]!) > 1e-9);
  order.sort((a, b) => Math.abs(sums[b]!) - Math.abs(sums[a]!));
  return order.slice(0, options.top ?? 3).map((i) => {
    const c = encoder.columns[i]!;
    const raw = rawValue(c.name);
    const value = isMissing(raw) ? null : catKey(raw);
    const what = value === null ? `${c.name} is blank` : `${c.name} = ${value}`;
    const dir = sums[i]! > 0 ? 'raises' : 'lowers';
    return {
      feature: c.name,
      value,
      contribution: sums[i]!,
      text: `${what} ${dir} ${options.noun ?? 'risk'}`,
    };
  });
}
