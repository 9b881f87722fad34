import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { type AppError, inputError, isAppError, isTableKind, TABLES, type TableKind, text } from '@cx/core';
import type { Warehouse, WarehouseSession } from '../../warehouse/port.ts';
import { enrichFeedbackLoad, type TextModels } from '../enrich-feedback.ts';
import { newLoadId, recordLoad } from '../loads.ts';
import { createStage, derivedKeyHashSql, insertDirect, insertStaged, NeedsStage } from '../stage.ts';
import {
  type CsvDialect,
  csvBufferSize,
  csvReadSql,
  explainCsvError,
  firstErrorLine,
  readCsvHeader,
  scanCsv,
} from './csv.ts';
import { jsonExtractSql, jsonlKeysSql, jsonlReadSql, scanJsonl } from './jsonl.ts';
import {
  type ColumnSource,
  type ImportFormat,
  loadMappingFile,
  type MappingFile,
  parseMapping,
  resolveMapping,
} from './mapping.ts';
import { parquetReadSql } from './parquet.ts';
import { buildConversion, ident, type RawColumn, UNIT_SEP } from './validate.ts';
import { stageXes } from './xes-events.ts';

/**
 * `cxc import`: one file → one load, in one warehouse transaction.
 *
 * Tabular files (CSV/TSV, JSONL, Parquet) take the fast path: DuckDB reads the whole file into a
 * temporary raw table (every CSV cell as literal text), one SQL statement maps, casts and checks
 * every row into the stage, and `insertStaged` dedupes and stores. JavaScript touches rows only on
 * the error path (to turn a record number into a line number). XES streams through `readXes`.
 *
 * A refused file leaves nothing behind: no rows, no load. With `skipInvalid`, invalid rows become
 * dead letters (table `dead_letters` and a JSONL file) and the rest is stored.
 */
export interface ImportOptions {
  path: string;
  kind?: TableKind | undefined;
  format?: ImportFormat | undefined;
  /** A parsed mapping or the path of a mapping file. */
  mapping?: MappingFile | string | undefined;
  /** `--map` flags; they override the mapping file's columns. */
  map?: Record<string, ColumnSource> | undefined;
  separator?: string | undefined;
  encoding?: 'utf8' | 'latin1' | undefined;
  timestampFormat?: string | readonly string[] | undefined;
  sourceSystem?: string | undefined;
  skipInvalid?: boolean | undefined;
  /** Where rejected rows are written; default `<deadLetterDir>/<load id>.jsonl`. */
  deadLetterFile?: string | undefined;
  deadLetterDir?: string | undefined;
  /** Validate and count everything, then roll back. */
  dryRun?: boolean | undefined;
  now?: (() => Date) | undefined;
  /** Themes for feedback comments (the data directory's current taxonomy); the built-in one when absent. */
  taxonomy?: text.Taxonomy | undefined;
  /** Active trained models applied to feedback comments (text/current-analysis.ts). */
  models?: TextModels | undefined;
  /** Rows processed so far (and the total when known); throwing from it aborts the import. */
  onProgress?: ((done: number, total?: number) => void) | undefined;
}

export interface ImportSummary {
  loadId: string;
  file: string;
  kind: TableKind;
  format: ImportFormat;
  rowsRead: number;
  rowsStored: number;
  rowsDuplicate: number;
  rowsRejected: number;
  seconds: number;
  rowsPerSecond: number;
  dryRun: boolean;
  deadLetterFile: string | null;
  /** Source columns stored in the JSON bag column (properties / attributes). */
  bagColumns: string[];
  /** Source columns stored nowhere. */
  ignoredColumns: string[];
}

export interface DeadLetter {
  line: number | null;
  row: number;
  field: string | null;
  reason: string;
  raw: Record<string, unknown>;
}

const RAW = '_cx_raw';
const RAW_JSON = '_cx_raw_json';
const STAGE = '_cx_stage';
/** Raw rows with their 0-based record number (temp-table rowids do not start at 0). */
const RAW_ROWS = `(select rowid - (select min(rowid) from ${RAW}) as _rec, * from ${RAW})`;

class DryRun extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

export async function importFile(wh: Warehouse, opts: ImportOptions): Promise<ImportSummary> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const file = basename(opts.path);
  const size = await stat(opts.path).then(
    (s) => (s.isFile() ? s.size : -1),
    () => -1,
  );
  if (size < 0) throw inputError('no such file', { file: opts.path });

  const mapping =
    typeof opts.mapping === 'string'
      ? await loadMappingFile(opts.mapping)
      : opts.mapping
        ? parseMapping(opts.mapping, 'mapping')
        : undefined;
  const mappingOrigin = typeof opts.mapping === 'string' ? basename(opts.mapping) : '--map';
  if (opts.kind && mapping && opts.kind !== mapping.kind) {
    throw inputError(`--kind ${opts.kind} contradicts the mapping file's kind "${mapping.kind}"`, {
      field: 'kind',
    });
  }
  const kind: TableKind = opts.kind ?? mapping?.kind ?? 'events';
  if (!isTableKind(kind)) throw inputError(`unknown kind "${kind}"`, { field: 'kind' });
  const format = opts.format ?? mapping?.format ?? formatFromName(file);
  const separator = opts.separator ?? mapping?.separator ?? (format === 'tsv' ? '\t' : ',');
  if (separator.length !== 1) throw inputError('the separator must be one character', { field: 'separator' });
  const encoding = opts.encoding ?? mapping?.encoding ?? 'utf8';
  const tsFormat = opts.timestampFormat ?? mapping?.timestampFormat;
  const dateFormat = mapping?.dateFormat;
  const sourceSystem = opts.sourceSystem ?? mapping?.sourceSystem ?? file;
  const loadId = newLoadId(startedAt);
  const sha = sha256(opts.path);
  sha.catch(() => {});

  let deadLetters: DeadLetter[] = [];
  let summary: ImportSummary;
  // First the single-pass load (see `insertDirect`); a file it refuses is loaded again, staged.
  const attempt = (singlePass: boolean) =>
    wh.transaction(async (tx) => {
      let rowsRead = 0;
      let rejected = 0;
      let bagColumns: string[] = [];
      let ignoredColumns: string[] = [];
      let direct = false;
      let directStored = 0;
      await createStage(tx, kind, STAGE);
      if (format === 'xes') {
        if (kind !== 'events')
          throw inputError('an XES file holds events; use --kind events', { file, field: 'kind' });
        const extra = { ...(mapping?.columns ?? {}), ...(opts.map ?? {}) };
        const bad = Object.entries(extra).find(([, v]) => typeof v !== 'object' || !('value' in v));
        if (bad) {
          throw inputError(
            `XES files have a fixed mapping; only constants can be added (got a column for ${bad[0]})`,
            {
              file,
              field: bad[0],
            },
          );
        }
        const constants: Record<string, string> = {};
        for (const [k, v] of Object.entries(mapping?.constants ?? {})) constants[k] = String(v);
        for (const [k, v] of Object.entries(extra)) constants[k] = String((v as { value: unknown }).value);
        rowsRead = await stageXes(tx, opts.path, file, STAGE, sourceSystem, constants, opts.onProgress);
      } else {
        const dialect: CsvDialect = {
          separator,
          encoding,
          bufferSize: format === 'csv' || format === 'tsv' ? await csvBufferSize(opts.path, size) : undefined,
        };
        const raw = await describeSource(tx, opts.path, file, format, dialect);
        const resolved = resolveMapping({
          kind,
          sourceColumns: raw.columns.map((c) => c.name),
          columns: { ...(mapping?.columns ?? {}), ...(opts.map ?? {}) },
          constants: mapping?.constants ?? {},
          ignore: mapping?.ignore ?? [],
          sourceSystem,
          origin: mappingOrigin,
          file,
        });
        bagColumns = resolved.bag?.columns ?? [];
        ignoredColumns = resolved.ignored;
        const conv = buildConversion(resolved, raw.columns, {
          timestampFormat:
            tsFormat === undefined ? undefined : typeof tsFormat === 'string' ? [tsFormat] : tsFormat,
          dateFormat:
            dateFormat === undefined ? undefined : typeof dateFormat === 'string' ? [dateFormat] : dateFormat,
        });
        await tx.run(`alter table ${STAGE} add column _err varchar`);
        // The identity hash for derived keys is computed here, in the same pass as the conversion.
        const keyMapped = resolved.columns.some((c) => c.spec.name === TABLES[kind].key[0]);
        const hash = keyMapped
          ? null
          : derivedKeyHashSql(kind, (c) => (conv.targets.includes(c) ? ident(c) : 'null'));
        const stageFrom = (from: string, ord: string) =>
          tx.run(
            `insert into ${STAGE} (${conv.targets.map(ident).join(', ')}, _ord, _err${hash ? ', _h' : ''})
             select *${hash ? `, ${hash}` : ''} from (
               select ${conv.values.map((v, i) => `${v} as ${ident(conv.targets[i]!)}`).join(', ')}, ${ord} as _ord, ${conv.check} as _err
               from (select r.*, ${conv.inner.join(', ')} from ${from} r) r)`,
          );
        // Fast path: the file goes straight from DuckDB's reader through the conversion into the
        // stage, with no copy of the raw rows. It needs no record numbers: keys are derived (their
        // occurrence numbers do not depend on row order) and nothing maps the record number. Any
        // invalid row sends the import down the ordered path, which knows each row's record number.
        const usesRecord = resolved.columns.some(
          (c) =>
            c.source.type === 'record' ||
            (c.source.type === 'template' && c.source.parts.some((x) => 'record' in x)),
        );
        let ordered = raw.materialized || keyMapped || usesRecord;
        direct = singlePass && !ordered && hash !== null;
        if (direct) {
          const select = {
            sql: `select ${conv.values.map((v, i) => `${v} as ${ident(conv.targets[i]!)}`).join(', ')}, ${conv.check} as _err
                  from (select r.*, ${conv.inner.join(', ')} from ${readSql(format, opts.path, raw.columns, dialect)} r) r`,
            columns: conv.targets,
          };
          try {
            ({ read: rowsRead, stored: directStored } = await insertDirect(tx, kind, select, loadId));
          } catch (e) {
            if (e instanceof NeedsStage) throw e;
            throw await explainReadError(e, format, opts.path, file, dialect, raw.columns.length);
          }
          opts.onProgress?.(rowsRead, rowsRead);
        } else if (!ordered) {
          try {
            await stageFrom(readSql(format, opts.path, raw.columns, dialect), '0');
          } catch (e) {
            throw await explainReadError(e, format, opts.path, file, dialect, raw.columns.length);
          }
          const [bad] = await tx.all<{ n: number }>(`select count(_err) as n from ${STAGE}`);
          if (bad!.n > 0) {
            await tx.run(`delete from ${STAGE}`);
            ordered = true;
          }
        }
        if (ordered && !direct) {
          if (!raw.materialized) await materializeRaw(tx, format, opts.path, file, raw.columns, dialect);
          await stageFrom(RAW_ROWS, 'r._rec');
        }
        if (!direct) {
          const [c] = await tx.all<{ n: number; bad: number }>(
            `select count(*) as n, count(_err) as bad from ${STAGE}`,
          );
          rowsRead = c!.n;
          rejected = c!.bad;
          opts.onProgress?.(rowsRead, rowsRead);
          if (rejected > 0) {
            const lineOf = async (records: number[]) =>
              lineNumbers(format, opts.path, { separator, encoding }, records);
            if (!opts.skipInvalid) {
              const [first] = await tx.all<{ ord: number; err: string }>(
                `select _ord as ord, _err as err from ${STAGE} where _err is not null order by _ord limit 1`,
              );
              const [field, reason] = first!.err.split(UNIT_SEP) as [string, string];
              const lines = await lineOf([first!.ord]);
              const more =
                rejected > 1
                  ? ` (${rejected - 1} more invalid row${rejected > 2 ? 's' : ''}; use --skip-invalid to store the valid rows and set the others aside)`
                  : '';
              throw inputError(`${reason}${more}`, locate(file, first!.ord, lines.get(first!.ord), field));
            }
            const rawJson = `json_object(${raw.columns.map((col) => `'${col.name.replace(/'/g, "''")}', r.${ident(col.name)}`).join(', ')})`;
            const rows = await tx.all<{ ord: number; err: string; raw: string }>(
              `select s._ord as ord, s._err as err, ${rawJson}::varchar as raw
               from ${STAGE} s join ${RAW_ROWS} r on r._rec = s._ord
               where s._err is not null order by s._ord`,
            );
            const lines = await lineOf(rows.map((r) => r.ord));
            deadLetters = rows.map((r) => {
              const [field, reason] = r.err.split(UNIT_SEP) as [string, string];
              return {
                line: lines.get(r.ord) ?? null,
                row: r.ord + 1,
                field,
                reason,
                raw: JSON.parse(r.raw) as Record<string, unknown>,
              };
            });
            await tx.append(
              'dead_letters',
              ['load_id', 'source', 'line', 'field', 'reason', 'raw', 'created_at'],
              deadLetters.map((d) => [
                loadId,
                file,
                d.line,
                d.field,
                d.reason,
                JSON.stringify(d.raw),
                startedAt,
              ]),
            );
            await tx.run(`delete from ${STAGE} where _err is not null`);
          }
        }
        await tx.run(`drop table if exists ${RAW}`);
      }
      const { stored, duplicate } = direct
        ? { stored: directStored, duplicate: rowsRead - directStored }
        : await insertStaged(tx, kind, STAGE, loadId);
      await tx.run(`drop table ${STAGE}`);
      // Comments are redacted and analysed in the same transaction: they are never stored raw.
      if (kind === 'feedback' && !opts.dryRun)
        await enrichFeedbackLoad(tx, loadId, {
          taxonomy: opts.taxonomy ?? text.DEFAULT_TAXONOMY,
          models: opts.models,
        });
      const finishedAt = now();
      const seconds = (performance.now() - t0) / 1000;
      const counts = { rowsRead, rowsStored: stored, rowsDuplicate: duplicate, rowsRejected: rejected };
      await recordLoad(tx, {
        loadId,
        kind,
        source: opts.path,
        format,
        fileSha256: await sha,
        startedAt,
        finishedAt,
        counts,
        options: {
          mapping: mapping ?? null,
          map: opts.map ?? null,
          separator,
          encoding,
          sourceSystem,
          skipInvalid: Boolean(opts.skipInvalid),
        },
      });
      const result: ImportSummary = {
        loadId,
        file,
        kind,
        format,
        ...counts,
        seconds: Math.round(seconds * 1000) / 1000,
        rowsPerSecond: Math.round(rowsRead / Math.max(seconds, 1e-6)),
        dryRun: Boolean(opts.dryRun),
        deadLetterFile: null,
        bagColumns,
        ignoredColumns,
      };
      if (opts.dryRun) throw new DryRun(result);
      return result;
    });
  try {
    try {
      summary = await attempt(true);
    } catch (e) {
      if (!(e instanceof NeedsStage)) throw e;
      summary = await attempt(false);
    }
  } catch (e) {
    if (e instanceof DryRun) return e.summary;
    throw e;
  }
  if (deadLetters.length > 0) {
    const target =
      opts.deadLetterFile ?? join(opts.deadLetterDir ?? join(tmpdir(), 'cx-dead-letters'), `${loadId}.jsonl`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(
      target,
      deadLetters.map((d) => `${JSON.stringify({ load_id: loadId, file, ...d })}\n`).join(''),
    );
    summary.deadLetterFile = target;
  }
  return summary;
}

function locate(file: string, ord: number, line: number | undefined, field: string) {
  return line !== undefined ? { file, line, field } : { file, index: ord + 1, field };
}

function formatFromName(file: string): ImportFormat {
  const f = file.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (f.endsWith('.csv') || f.endsWith('.txt')) return 'csv';
  if (f.endsWith('.tsv') || f.endsWith('.tab')) return 'tsv';
  if (f.endsWith('.jsonl') || f.endsWith('.ndjson') || f.endsWith('.json')) return 'jsonl';
  if (f.endsWith('.parquet') || f.endsWith('.pq')) return 'parquet';
  if (f.endsWith('.xes')) return 'xes';
  throw inputError('cannot tell the format from the file name; give --format csv|tsv|jsonl|parquet|xes', {
    file,
  });
}

/**
 * The source's columns, read without loading the rows where possible: the CSV header (every
 * column text), the Parquet schema. JSONL has no schema, so its objects are loaded into RAW here
 * and their keys collected.
 */
async function describeSource(
  tx: WarehouseSession,
  path: string,
  file: string,
  format: Exclude<ImportFormat, 'xes'>,
  dialect: CsvDialect,
): Promise<{ columns: RawColumn[]; materialized: boolean }> {
  await tx.run(`drop table if exists ${RAW}`);
  if (format === 'csv' || format === 'tsv') {
    if (/\.(gz|zst)$/i.test(path))
      throw inputError('compressed CSV is not supported; decompress it first', { file });
    const header = await readCsvHeader(path, file, dialect);
    const seen = new Set<string>();
    for (const h of header) {
      if (seen.has(h))
        throw inputError(`the header names the column "${h}" twice`, { file, line: 1, field: h });
      seen.add(h);
    }
    return { columns: header.map((name) => ({ name, type: 'VARCHAR' })), materialized: false };
  }
  if (format === 'parquet') {
    try {
      const columns = await tx.all<{ name: string; type: string }>(
        `select column_name as name, column_type as type from (describe select * from ${parquetReadSql(path)})`,
      );
      return { columns, materialized: false };
    } catch (e) {
      throw inputError(`cannot read the file as Parquet: ${firstErrorLine(e)}`, { file });
    }
  }
  try {
    await tx.run(`create temp table ${RAW_JSON} as select json from ${jsonlReadSql(path)}`);
  } catch (e) {
    throw await explainReadError(e, format, path, file, dialect, 0);
  }
  const [bad] = await tx.all<{ ord: number }>(
    `select rowid - (select min(rowid) from ${RAW_JSON}) as ord from ${RAW_JSON} where json_type(json) <> 'OBJECT' order by rowid limit 1`,
  );
  if (bad) {
    const { lines } = await scanJsonl(path, [bad.ord]);
    throw inputError(
      'each line must be one JSON object ({…})',
      locate(file, bad.ord, lines.get(bad.ord), ''),
    );
  }
  const keys = (await tx.all<{ k: string }>(jsonlKeysSql(RAW_JSON))).map((r) => r.k);
  if (keys.length === 0) throw inputError('the file has no records', { file });
  await tx.run(
    `create temp table ${RAW} as select ${keys.map((k) => `${jsonExtractSql(k)} as ${ident(k)}`).join(', ')} from ${RAW_JSON} order by rowid`,
  );
  await tx.run(`drop table ${RAW_JSON}`);
  return { columns: keys.map((name) => ({ name, type: 'VARCHAR' })), materialized: true };
}

function readSql(
  format: ImportFormat,
  path: string,
  columns: readonly RawColumn[],
  dialect: CsvDialect,
): string {
  return format === 'parquet'
    ? parquetReadSql(path)
    : csvReadSql(
        path,
        columns.map((c) => c.name),
        dialect,
      );
}

/** Loads the rows into RAW, whose rowid order is the file order (record numbers for messages). */
async function materializeRaw(
  tx: WarehouseSession,
  format: Exclude<ImportFormat, 'xes'>,
  path: string,
  file: string,
  columns: readonly RawColumn[],
  dialect: CsvDialect,
): Promise<void> {
  try {
    await tx.run(`create temp table ${RAW} as select * from ${readSql(format, path, columns, dialect)}`);
  } catch (e) {
    throw await explainReadError(e, format, path, file, dialect, columns.length);
  }
}

async function explainReadError(
  e: unknown,
  format: ImportFormat,
  path: string,
  file: string,
  dialect: CsvDialect,
  fields: number,
): Promise<AppError> {
  if (isAppError(e)) return e;
  if (format === 'csv' || format === 'tsv') return explainCsvError(e, path, file, dialect, fields);
  if (format === 'jsonl') {
    const { problem } = await scanJsonl(path);
    if (problem) return inputError(problem.message, { file, line: problem.line });
    return inputError(`cannot read the file as JSON Lines: ${firstErrorLine(e)}`, { file });
  }
  return inputError(`cannot read the file as ${format}: ${firstErrorLine(e)}`, { file });
}

async function lineNumbers(
  format: ImportFormat,
  path: string,
  dialect: CsvDialect,
  records: number[],
): Promise<Map<number, number>> {
  if (format === 'csv' || format === 'tsv') return (await scanCsv(path, dialect, { want: records })).lines;
  if (format === 'jsonl') return (await scanJsonl(path, records)).lines;
  return new Map();
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
