import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { type DriverResult, driverAnalysis, inputError } from '@cx/core';
import type { Command } from 'commander';
import {
  type CsvDialect,
  csvReadSql,
  explainCsvError,
  firstErrorLine,
  readCsvHeader,
  scanCsv,
  sqlString,
} from '../../ingestion/import/csv.ts';
import { jsonExtractSql, jsonlKeysSql, jsonlReadSql, scanJsonl } from '../../ingestion/import/jsonl.ts';
import { parquetReadSql } from '../../ingestion/import/parquet.ts';
import { quoteIdent } from '../../queries/feedback/score-file.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb.ts';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { output } from '../context.ts';
import { csvDialectFromFlags } from '../csv-flags.ts';
import { startProgress } from '../progress.ts';

/**
 * `cxc drivers <file> --target C --drivers a,b,c`: key-driver analysis (relative weights with
 * bootstrap intervals, @cx/core `driverAnalysis`) of any CSV/TSV, JSON Lines or Parquet file, without
 * importing it. A private in-memory DuckDB reads the file (every CSV cell as text, as the importer
 * does), keeps only the chosen columns and casts them to DOUBLE in SQL; the first value that is not a
 * number is an error naming the file, line and column. Blank cells (and NA, N/A, null, NaN) are
 * missing: such rows are left out of the analysis and counted in the warnings.
 */
export interface DriversFlags {
  target: string;
  drivers: string;
  resamples?: string;
  seed?: string;
  separator?: string;
  encoding?: string;
  json?: boolean;
}

export interface DriversOutput extends DriverResult {
  file: string;
  target: string;
  /** Rows in the file (before missing values were left out). */
  rows: number;
}

type Format = 'csv' | 'jsonl' | 'parquet';

const RAW = 'cx_drivers_raw';
const JSON_RAW = 'cx_drivers_json';
const MISSING = ['', 'NA', 'N/A', 'NULL', 'NAN'];

function formatOf(path: string): Format {
  if (/\.(parquet|pq)$/i.test(path)) return 'parquet';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  return 'csv';
}

function parseCount(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min)
    throw inputError(`${flag} must be a whole number ≥ ${min}, got "${text}"`, { field: flag });
  return v;
}

export async function runDrivers(
  path: string,
  flags: DriversFlags,
  onProgress?: (done: number, total: number) => void,
): Promise<DriversOutput> {
  const file = basename(path);
  const resamples = parseCount(flags.resamples, '--resamples', 1000, 0);
  const seed = parseCount(flags.seed, '--seed', 0, 0);
  const drivers = flags.drivers
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (drivers.length === 0) throw inputError('give at least one driver column', { field: '--drivers' });
  for (const [i, d] of drivers.entries())
    if (drivers.indexOf(d) !== i)
      throw inputError(`the driver "${d}" is listed twice`, { field: '--drivers' });
  if (drivers.includes(flags.target))
    throw inputError(`"${flags.target}" is the target; it cannot also be a driver`, { field: '--drivers' });
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw inputError('no such file (or it is a directory)', { file: path });
  const format = formatOf(path);
  const dialect = csvDialectFromFlags(path, flags);
  const wanted = [...drivers, flags.target];

  const db = await openDuckDbWarehouse(':memory:');
  try {
    // One session: the temporary tables live on one connection.
    const { columns, rows } = await db.transaction(async (tx) => {
      await loadColumns(tx, format, path, file, dialect, wanted, drivers);
      const bad = await firstNonNumeric(tx, wanted);
      if (bad) {
        const line = await lineOf(format, path, dialect, bad.ord);
        throw inputError(
          `"${bad.value.slice(0, 40)}" is not a number; the driver and target columns must hold numbers (a blank cell, NA or null is a missing value)`,
          line === undefined
            ? { file, index: bad.ord + 1, field: bad.column }
            : { file, line, field: bad.column },
        );
      }
      const select = wanted.map((_, i) => `${numericSql(`c${i}`)} as c${i}`).join(', ');
      const data = await tx.all<Record<string, number | null>>(`select ${select} from ${RAW} order by rowid`);
      const cols = wanted.map((_, i) => Float64Array.from(data, (r) => r[`c${i}`] ?? Number.NaN));
      return { columns: cols, rows: data.length };
    });
    if (rows === 0) throw inputError('the file has no data rows', { file });
    const result = driverAnalysis(
      {
        names: drivers,
        drivers: columns.slice(0, drivers.length),
        target: columns[drivers.length]!,
        targetName: flags.target,
      },
      { resamples, seed, ...(onProgress ? { onProgress } : {}) },
    );
    return { file, target: flags.target, rows, ...result };
  } finally {
    await db.close();
  }
}

/** SQL turning a text cell into a DOUBLE, NULL for a missing value. */
function numericSql(col: string): string {
  return `case when upper(trim(${col})) in (${MISSING.map(sqlString).join(', ')}) then null else cast(trim(${col}) as double) end`;
}

/** Loads the wanted columns as text into RAW (c0, c1, … in `wanted` order), rowid = record order. */
async function loadColumns(
  tx: WarehouseSession,
  format: Format,
  path: string,
  file: string,
  dialect: CsvDialect,
  wanted: readonly string[],
  drivers: readonly string[],
): Promise<void> {
  await tx.run(`drop table if exists ${RAW}`);
  const pick = (names: readonly string[], expr: (c: string) => string) => {
    for (const c of wanted)
      if (!names.includes(c))
        throw inputError(
          `the ${drivers.includes(c) ? 'driver' : 'target'} column "${c}" is not in the file; its columns are ${names.map((n) => `"${n}"`).join(', ')}`,
          { file, field: c },
        );
    return wanted.map((c, i) => `${expr(c)} as c${i}`).join(', ');
  };
  if (format === 'csv') {
    if (/\.(gz|zst)$/i.test(path))
      throw inputError('compressed CSV is not supported; decompress it first', { file });
    const header = await readCsvHeader(path, file, dialect);
    const select = pick(header, quoteIdent);
    try {
      await tx.run(`create temp table ${RAW} as select ${select} from ${csvReadSql(path, header, dialect)}`);
    } catch (e) {
      throw await explainCsvError(e, path, file, dialect, header.length);
    }
    return;
  }
  if (format === 'parquet') {
    let names: string[];
    try {
      names = (
        await tx.all<{ name: string }>(
          `select column_name as name from (describe select * from ${parquetReadSql(path)})`,
        )
      ).map((r) => r.name);
    } catch (e) {
      throw inputError(`cannot read the file as Parquet: ${firstErrorLine(e)}`, { file });
    }
    const select = pick(names, (c) => `cast(${quoteIdent(c)} as varchar)`);
    await tx.run(`create temp table ${RAW} as select ${select} from ${parquetReadSql(path)}`);
    return;
  }
  await tx.run(`drop table if exists ${JSON_RAW}`);
  try {
    await tx.run(`create temp table ${JSON_RAW} as select json from ${jsonlReadSql(path)}`);
  } catch (e) {
    const { problem } = await scanJsonl(path);
    throw problem
      ? inputError(problem.message, { file, line: problem.line })
      : inputError(`cannot read the file as JSON Lines: ${firstErrorLine(e)}`, { file });
  }
  const keys = (await tx.all<{ k: string }>(jsonlKeysSql(JSON_RAW))).map((r) => r.k);
  const select = pick(keys, jsonExtractSql);
  await tx.run(`create temp table ${RAW} as select ${select} from ${JSON_RAW} order by rowid`);
  await tx.run(`drop table ${JSON_RAW}`);
}

/** The first cell (in file order) of the wanted columns that is neither missing nor a finite number. */
async function firstNonNumeric(
  tx: WarehouseSession,
  wanted: readonly string[],
): Promise<{ ord: number; value: string; column: string } | null> {
  const missing = MISSING.map(sqlString).join(', ');
  const checks = wanted.map(
    (_, i) =>
      `select rowid as r, ${i} as col, c${i} as v from ${RAW}
       where upper(trim(c${i})) not in (${missing}) and not coalesce(isfinite(try_cast(trim(c${i}) as double)), false)`,
  );
  const [bad] = await tx.all<{ ord: number; col: number; v: string }>(
    `select r - (select min(rowid) from ${RAW}) as ord, col, v from (${checks.join(' union all ')})
     order by r, col limit 1`,
  );
  return bad ? { ord: bad.ord, value: bad.v, column: wanted[bad.col]! } : null;
}

async function lineOf(format: Format, path: string, dialect: CsvDialect, ord: number) {
  if (format === 'csv') return (await scanCsv(path, dialect, { want: [ord] })).lines.get(ord);
  if (format === 'jsonl') return (await scanJsonl(path, [ord])).lines.get(ord);
  return undefined;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const num = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3));

/** A plain text table, one line per driver, most important first. */
export function formatDrivers(r: DriversOutput): string {
  const head = [
    `Drivers of ${r.target} in ${r.file}: n = ${r.n.toLocaleString('en')}${r.dropped ? ` of ${r.rows.toLocaleString('en')} rows` : ''}, R² = ${r.r2.toFixed(3)}, ${r.resamples ? `${r.resamples.toLocaleString('en')} bootstrap resamples (seed ${r.seed ?? 0})` : 'no bootstrap'}`,
  ];
  const order = r.weights.map((_, j) => j).sort((a, b) => r.weights[b]!.raw - r.weights[a]!.raw);
  const table = [
    ['driver', 'share', 'raw weight', '95 % CI', 'sign', 'r', 'VIF', 'b per unit', 'b 95 % CI', ''],
    ...order.map((j) => {
      const w = r.weights[j]!;
      return [
        w.name,
        pct(w.share),
        w.raw.toFixed(4),
        w.ci ? `${w.ci.low.toFixed(4)}–${w.ci.high.toFixed(4)}` : '–',
        w.sign > 0 ? '+' : '−',
        w.correlation.toFixed(2),
        r.vif[j]!.toFixed(1),
        w.coefficient === undefined ? '–' : num(w.coefficient),
        w.coefficientCi ? `${num(w.coefficientCi.low)} to ${num(w.coefficientCi.high)}` : '–',
        w.notSignificant ? 'not significant' : '',
      ];
    }),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return [...head, ...lines, ...r.warnings.map((w) => `warning: ${w}`)].join('\n');
}

export function registerDrivers(program: Command): void {
  program
    .command('drivers')
    .description(
      'Key-driver analysis of a CSV/TSV, JSON Lines or Parquet file: relative weights (Johnson 2000) of the drivers on the target with bootstrap 95 % intervals, OLS signs and what-if slopes, VIF (no import needed)',
    )
    .argument('<file>', 'CSV/TSV with a header line, .jsonl or .parquet')
    .requiredOption('--target <column>', 'column to explain, e.g. an overall score')
    .requiredOption('--drivers <columns>', 'comma-separated driver columns')
    .option('--resamples <n>', 'bootstrap resamples (0 = none)', '1000')
    .option('--seed <n>', 'seed of the bootstrap; the same seed gives the same intervals', '0')
    .option('--separator <char>', 'CSV field separator (default "," or tab for .tsv; "\\t" for tab)')
    .option('--encoding <encoding>', 'utf8 (default) or latin1')
    .option('--json', 'print JSON')
    .action(async (path: string, flags: DriversFlags) => {
      const progress = startProgress('bootstrap', Number(flags.resamples ?? 1000), 'resamples');
      let result: DriversOutput;
      try {
        result = await runDrivers(path, flags, (done, total) => progress.update(done, total));
      } finally {
        progress.stop();
      }
      output(flags.json === true, result, () => formatDrivers(result));
    });
}
