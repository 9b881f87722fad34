import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { inputError } from '@cx/core';
import type { Command } from 'commander';
import { aggregateScoreFile, type ScoreKind } from '../../queries/feedback/score-file.ts';
import {
  type CesScore,
  type CsatScore,
  compareGroupsToRest,
  type NpsScore,
  type Score,
  scoreOf,
} from '../../queries/feedback/score-results.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb.ts';
import { output } from '../context.ts';
import { csvDialectFromFlags } from '../csv-flags.ts';

export interface FeedbackFlags {
  scoreColumn: string;
  groupBy?: string;
  separator?: string;
  encoding?: string;
  /** "min-max", e.g. "1-7"; NPS is always 0–10. */
  scale?: string;
  json?: boolean;
}

const DEFAULT_SCALE: Record<ScoreKind, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
};

/** Per-group objects when grouped (blank group values become `group: null`), else one object. */
export type FeedbackResult = Score | Score[];

/**
 * Scores one file. It needs no data directory: the file is read by a private in-memory DuckDB,
 * so it works on any CSV/TSV without importing it and never touches the store.
 */
export async function runFeedback(
  kind: ScoreKind,
  path: string,
  flags: FeedbackFlags,
): Promise<FeedbackResult> {
  const dialect = csvDialectFromFlags(path, flags);
  const scale = parseScale(kind, flags.scale);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw inputError('no such file (or it is a directory)', { file: path });

  const db = await openDuckDbWarehouse(':memory:');
  try {
    // One session: the temporary table lives on one connection.
    const rows = await db.transaction((tx) =>
      aggregateScoreFile(tx, kind, {
        path,
        file: basename(path),
        scoreColumn: flags.scoreColumn,
        ...(flags.groupBy === undefined ? {} : { groupBy: flags.groupBy }),
        dialect,
        scale,
      }),
    );
    if (flags.groupBy === undefined)
      return scoreOf(
        kind,
        rows[0] ?? {
          group: null,
          n: 0,
          promoters: 0,
          passives: 0,
          detractors: 0,
          satisfied: 0,
          mean: null,
          sd: null,
        },
      );
    const tests = compareGroupsToRest(kind, rows);
    return rows.map((r, i) => {
      const score: Score = { group: r.group, ...scoreOf(kind, r) };
      if (tests[i] && !score.hidden) score.significance = tests[i];
      return score;
    });
  } finally {
    await db.close();
  }
}

function parseScale(kind: ScoreKind, text: string | undefined): { min: number; max: number } {
  if (text === undefined) return DEFAULT_SCALE[kind];
  if (kind === 'nps')
    throw inputError('NPS is always on 0–10; --scale applies to csat and ces', { field: '--scale' });
  const m = /^\s*(-?\d+)\s*[-–]\s*(-?\d+)\s*$/.exec(text);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (!m || !(max - min >= 2))
    throw inputError(`--scale must look like "1-5" or "1-7" (at least 3 points), got "${text}"`, {
      field: '--scale',
    });
  return { min, max };
}

const f1 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(1));
const f2 = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x.toFixed(2));
const ci = (c: [number, number] | null, f: (x: number) => string) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '–');

/** A plain text table, one line per group. */
export function formatFeedback(kind: ScoreKind, result: FeedbackResult): string {
  const rows = Array.isArray(result) ? result : [result];
  const grouped = Array.isArray(result);
  const head =
    kind === 'nps'
      ? ['n', 'promoters %', 'passives %', 'detractors %', 'NPS', '± 95 %', '95 % CI']
      : kind === 'csat'
        ? ['n', 'satisfied', 'CSAT %', '95 % CI (Wilson)']
        : ['n', 'mean', 'sd', '95 % CI (t)'];
  const body = rows.map((r) => {
    const cells =
      kind === 'nps'
        ? ((s: NpsScore) => [
            String(s.n),
            f1(s.promoters),
            f1(s.passives),
            f1(s.detractors),
            f2(s.nps),
            f2(s.marginOfError95),
            ci(s.ci95, (x) => x.toFixed(1)),
          ])(r as NpsScore)
        : kind === 'csat'
          ? ((s: CsatScore) => [
              String(s.n),
              String(s.satisfied ?? '–'),
              f2(s.csat),
              ci(s.ci95, (x) => x.toFixed(1)),
            ])(r as CsatScore)
          : ((s: CesScore) => [String(s.n), f2(s.mean), f2(s.sd), ci(s.ci95, (x) => x.toFixed(2))])(
              r as CesScore,
            );
    const group = (r as { group?: string | null }).group;
    const sig = r.significance;
    const vsRest = sig
      ? `${sig.significant ? 'differs' : 'n.s.'} (${sig.method}, Holm p = ${sig.pHolm.toPrecision(2)})`
      : '';
    return [
      ...(grouped ? [group ?? '(blank)'] : []),
      ...cells,
      ...(grouped ? [vsRest] : []),
      r.warning ?? '',
    ];
  });
  const table = [[...(grouped ? ['group'] : []), ...head, ...(grouped ? ['vs rest'] : []), ''], ...body];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row) =>
      row
        .map((c, i) => (i === 0 && grouped ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function registerFeedback(program: Command): void {
  const feedback = program
    .command('feedback')
    .description(
      'Score a CSV/TSV of survey answers: NPS, CSAT or CES with 95 % intervals (no import needed)',
    );
  const kinds: [ScoreKind, string][] = [
    ['nps', 'Net Promoter Score on 0–10: promoters 9–10, detractors 0–6; margin and 95 % interval'],
    ['csat', 'CSAT: share in the top two boxes (default scale 1-5), Wilson 95 % interval'],
    ['ces', 'CES / mean score (default scale 1-7), t 95 % interval'],
  ];
  for (const [kind, description] of kinds) {
    const cmd = feedback
      .command(kind)
      .description(
        `${description}. Blank scores are not answers (left out of n); an invalid score is an error naming its line`,
      )
      .argument('<file>', 'CSV or TSV file with a header line')
      .requiredOption('--score-column <name>', 'column holding the score')
      .option('--group-by <name>', 'one result per value of this column')
      .option('--separator <char>', 'field separator (default "," or tab for .tsv; "\\t" for tab)')
      .option('--encoding <encoding>', 'utf8 (default) or latin1');
    if (kind !== 'nps')
      cmd.option('--scale <min-max>', `answer range (default ${kind === 'csat' ? '1-5' : '1-7'})`);
    cmd.option('--json', 'print JSON').action(async (path: string, flags: FeedbackFlags) => {
      const result = await runFeedback(kind, path, flags);
      output(flags.json === true, result, () => formatFeedback(kind, result));
    });
  }
}
