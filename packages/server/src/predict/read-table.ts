import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { inputError, type TableColumn } from '@cx/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { csvDialectFromFlags } from '../cli/csv-flags.ts';
import {
  csvReadSql,
  explainCsvError,
  firstErrorLine,
  readCsvHeader,
  sqlString,
} from '../ingestion/import/csv.ts';
import { jsonExtractSql, jsonlKeysSql, jsonlReadSql, scanJsonl } from '../ingestion/import/jsonl.ts';
import { parquetReadSql } from '../ingestion/import/parquet.ts';
import { quoteIdent } from '../queries/feedback/score-file.ts';

/**
 * Reads a whole customer table (CSV/TSV, JSON Lines or Parquet) into columns for the prediction
 * encoder, through a private in-memory DuckDB: the CSV reader handles any one-character separator
 * (guessed from the header line when not given), quotes with `""` escapes and line breaks, CRLF, a BOM
 * and a missing final newline; every cell is read as text first. A column is numeric when every
 * non-blank value casts to a finite DOUBLE — decided in SQL with TRY_CAST counts, not by sniffing the
 * first rows — and comes back as a Float64Array (NaN = blank); other columns come back as text
 * (null = blank). `textColumns` (the id, the target) stay text even when they look numeric: a
 * 19-digit id must not be rounded to a double.
 */
export interface ReadTableOptions {
  separator?: string;
  encoding?: string;
  /** Columns kept as text whatever they hold. */
  textColumns?: readonly string[];
  /** Values that mean blank; they do not stop a column from being numeric. */
  missingMarkers?: readonly string[];
}

export interface ReadTable {
  file: string;
  rows: number;
  columns: TableColumn[];
}

type Format = 'csv' | 'jsonl' | 'parquet';

export function formatOf(path: string): Format {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return 'csv';
}

const RAW = 'cx_predict_raw';

/**
 * The separator of a CSV when none is given: of `,` `;` tab and `|`, the one that occurs most often
 * outside quotes in the header line (the bank file of shared/data uses `;`). Comma when none occurs.
 */
export function sniffSeparator(path: string): string {
  const fd = openSync(path, 'r');
  let text: string;
  try {
    const buf = Buffer.alloc(1 << 16);
    text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let inQuote = false;
  for (const ch of text) {
    if (ch === '"') inQuote = !inQuote;
    else if (!inQuote && ch === '\n') break;
    else if (!inQuote && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [sep, n] of counts) if (n > counts.get(best)!) best = sep;
  return best;
}

export async function readTable(path: string, options: ReadTableOptions = {}): Promise<ReadTable> {
  const file = basename(path);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw inputError('no such file (or it is a directory)', { file: path });
  const format = formatOf(path);
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    let names: string[];
    if (format === 'csv') {
      const separator = options.separator ?? (/\.tsv$/i.test(path) ? undefined : sniffSeparator(path));
      const dialect = csvDialectFromFlags(path, { ...options, ...(separator ? { separator } : {}) });
      names = await readCsvHeader(path, file, dialect);
      const seen = new Set<string>();
      for (const [i, h] of names.entries()) {
        if (seen.has(h))
          throw inputError(`the header names the column "${h}" twice (again as column ${i + 1})`, {
            file,
            line: 1,
            field: h,
          });
        seen.add(h);
      }
      try {
        await conn.run(`create temp table ${RAW} as select * from ${csvReadSql(path, names, dialect)}`);
      } catch (e) {
        throw await explainCsvError(e, path, file, dialect, names.length);
      }
    } else if (format === 'jsonl') {
      try {
        await conn.run(`create temp table cx_predict_json as select json from ${jsonlReadSql(path)}`);
      } catch (e) {
        const { problem } = await scanJsonl(path);
        throw problem
          ? inputError(problem.message, { file, line: problem.line })
          : inputError(`cannot read the file as JSON Lines: ${firstErrorLine(e)}`, { file });
      }
      const keys = (await conn.runAndReadAll(jsonlKeysSql('cx_predict_json'))).getRowObjectsJS();
      names = keys.map((k) => String(k.k));
      const cols = names.map((k) => `${jsonExtractSql(k)} as ${quoteIdent(k)}`).join(', ');
      await conn.run(`create temp table ${RAW} as select ${cols || '1 as _empty'} from cx_predict_json`);
    } else {
      try {
        await conn.run(`create temp table cx_predict_parquet as select * from ${parquetReadSql(path)}`);
      } catch (e) {
        throw inputError(`cannot read the file as Parquet: ${firstErrorLine(e)}`, { file });
      }
      const desc = (await conn.runAndReadAll('describe cx_predict_parquet')).getRowObjectsJS();
      names = desc.map((d) => String(d.column_name));
      const cols = names.map((c) => `cast(${quoteIdent(c)} as varchar) as ${quoteIdent(c)}`).join(', ');
      await conn.run(`create temp table ${RAW} as select ${cols} from cx_predict_parquet`);
    }
    if (names.length === 0) throw inputError('the file has no columns', { file });

    // Numeric test per column in one pass: non-blank cells vs cells that cast to a finite double.
    const markers = (options.missingMarkers ?? []).map((m) => sqlString(m.trim()));
    const blank = (c: string) =>
      `(nullif(trim(${quoteIdent(c)}), '') is null${markers.length ? ` or trim(${quoteIdent(c)}) in (${markers.join(', ')})` : ''})`;
    const stats = names
      .map(
        (c, i) =>
          `count(*) filter (where not ${blank(c)}) as b${i}, count(*) filter (where isfinite(try_cast(trim(${quoteIdent(c)}) as double))) as d${i}`,
      )
      .join(', ');
    const counts = (
      await conn.runAndReadAll(`select count(*) as n, ${stats} from ${RAW}`)
    ).getRowObjectsJS()[0]!;
    const rows = Number(counts.n);
    const text = new Set(options.textColumns ?? []);
    const numeric = names.map(
      (c, i) =>
        !text.has(c) && Number(counts[`b${i}`]) > 0 && Number(counts[`d${i}`]) === Number(counts[`b${i}`]),
    );
    const select = names
      .map((c, i) =>
        numeric[i]
          ? `try_cast(trim(${quoteIdent(c)}) as double) as c${i}`
          : `case when ${blank(c)} then null else trim(${quoteIdent(c)}) end as c${i}`,
      )
      .join(', ');
    // rowid order is file order.
    const data = (await conn.runAndReadAll(`select ${select} from ${RAW} order by rowid`)).getColumnsJS();
    const columns: TableColumn[] = names.map((name, i) => {
      const values = data[i] ?? [];
      if (numeric[i]) {
        const arr = new Float64Array(rows);
        for (let r = 0; r < rows; r++) {
          const v = values[r];
          arr[r] = v === null || v === undefined ? Number.NaN : Number(v);
        }
        return { name, kind: 'numeric', values: arr };
      }
      return { name, kind: 'categorical', values: values as (string | null)[] };
    });
    return { file, rows, columns };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
