import { inputError } from '@cx/core';
import {
  type CsvDialect,
  csvReadSql,
  explainCsvError,
  readCsvHeader,
  scanCsv,
} from '../../ingestion/import/csv.ts';
import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * Score aggregation of a CSV/TSV file, done in the database so a million responses never pass
 * through a JS loop: DuckDB reads the file with every cell as text (the importer's `read_csv`),
 * we keep only the score and group columns, reject the first invalid score with its real line
 * number, and count per group. The core formulas are applied to these counts by the caller.
 */
export type ScoreKind = 'nps' | 'csat' | 'ces';

export interface ScoreFileOptions {
  /** Path on disk. */
  path: string;
  /** Name used in messages (defaults to `path`). */
  file?: string;
  scoreColumn: string;
  groupBy?: string;
  dialect: CsvDialect;
  /** Inclusive answer range: NPS 0–10; CSAT 1–5 and CES 1–7 unless given. */
  scale: { min: number; max: number };
}

/** One group's counts as SQL returns them; `group` is null for the ungrouped total or a blank group. */
export interface ScoreAggregate {
  group: string | null;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** Top-two box: answers ≥ max − 1. */
  satisfied: number;
  mean: number | null;
  sd: number | null;
}

const RAW = 'cx_feedback_raw';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Whole-number answers for NPS and CSAT (categories need them); CES means accept any number in range. */
function needsWholeNumbers(kind: ScoreKind): boolean {
  return kind !== 'ces';
}

export async function aggregateScoreFile(
  db: WarehouseSession,
  kind: ScoreKind,
  opts: ScoreFileOptions,
): Promise<ScoreAggregate[]> {
  const file = opts.file ?? opts.path;
  const { dialect, scale } = opts;
  if (/\.(gz|zst)$/i.test(opts.path))
    throw inputError('compressed CSV is not supported; decompress it first', { file });
  const header = await readCsvHeader(opts.path, file, dialect);
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h))
      throw inputError(`the header names the column "${h}" twice`, { file, line: 1, field: h });
    seen.add(h);
  }
  for (const [flag, col] of [
    ['--score-column', opts.scoreColumn],
    ['--group-by', opts.groupBy],
  ] as const) {
    if (col !== undefined && !seen.has(col))
      throw inputError(
        `the column "${col}" (${flag}) is not in the header; available columns: ${header.map((h) => `"${h}"`).join(', ')}`,
        { file, line: 1, field: col },
      );
  }

  const groupExpr = opts.groupBy === undefined ? 'null' : `nullif(trim(${quoteIdent(opts.groupBy)}), '')`;
  await db.run(`drop table if exists ${RAW}`);
  try {
    // Only two narrow columns are kept; rowid order is file order (insertion order is preserved).
    await db.run(
      `create temp table ${RAW} as select trim(${quoteIdent(opts.scoreColumn)}) as s, ${groupExpr} as g from ${csvReadSql(opts.path, header, dialect)}`,
    );
  } catch (e) {
    throw await explainCsvError(e, opts.path, file, dialect, header.length);
  }
  try {
    const [{ rows }] = (await db.all<{ rows: number }>(`select count(*) as rows from ${RAW}`)) as [
      { rows: number },
    ];
    if (rows === 0) throw inputError('the file has a header but no data rows', { file, line: 2 });

    const whole = needsWholeNumbers(kind);
    const [bad] = await db.all<{ ord: number; s: string }>(
      `select rowid - (select min(rowid) from ${RAW}) as ord, s from ${RAW}
       where s <> '' and (try_cast(s as double) is null or not isfinite(try_cast(s as double))
         or try_cast(s as double) not between ? and ?
         ${whole ? 'or try_cast(s as double) <> floor(try_cast(s as double))' : ''})
       order by rowid limit 1`,
      [scale.min, scale.max],
    );
    if (bad) {
      const { lines } = await scanCsv(opts.path, dialect, { want: [bad.ord] });
      const what = Number.isNaN(Number(bad.s)) ? 'is not a number' : 'is out of range';
      throw inputError(
        `the score "${bad.s.slice(0, 40)}" ${what}; expected ${whole ? 'a whole number' : 'a number'} from ${scale.min} to ${scale.max} (or a blank cell for no answer)`,
        { file, line: lines.get(bad.ord), field: opts.scoreColumn },
      );
    }

    // Blank scores are not answers: they are left out of n (the README's "over non-blank scores").
    const top2 = scale.max - 1;
    return await db.all<ScoreAggregate>(
      `with v as (select g, cast(s as double) as x from ${RAW} where s <> '')
       select g as "group", count(*) as n,
         count(*) filter (where x >= 9) as promoters,
         count(*) filter (where x >= 7 and x < 9) as passives,
         count(*) filter (where x < 7) as detractors,
         count(*) filter (where x >= ?) as satisfied,
         avg(x) as mean, stddev_samp(x) as sd
       from v group by g order by g nulls last`,
      [top2],
    );
  } finally {
    await db.run(`drop table if exists ${RAW}`);
  }
}
