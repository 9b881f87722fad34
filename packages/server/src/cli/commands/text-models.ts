import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inputError, text } from '@cx/core';
import type { Command } from 'commander';
import { csvReadSql, explainCsvError, readCsvHeader } from '../../ingestion/import/csv.ts';
import { quoteIdent } from '../../queries/feedback/score-file.ts';
import { trainWithCrossValidation } from '../../text/train.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb.ts';
import { output } from '../context.ts';
import { csvDialectFromFlags } from '../csv-flags.ts';
import { startProgress } from '../progress.ts';
import { textCommand } from './text.ts';

/**
 * `cxc text train | classify | themes`: the trainable classifier and automatic themes on any
 * CSV/TSV, without importing it and without a data directory. Files are read by a private in-memory
 * DuckDB (every cell as text, quoted line breaks handled); the errors name the file and the column.
 */
interface FileFlags {
  textColumn: string;
  idColumn?: string;
  labelColumn?: string;
  separator?: string;
  encoding?: string;
}

interface Row {
  id: string | null;
  t: string | null;
  label: string | null;
}

/** All rows of the chosen columns, in file order. */
export async function readTextColumns(path: string, flags: FileFlags): Promise<Row[]> {
  const file = basename(path);
  const dialect = csvDialectFromFlags(path, flags);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw inputError('no such file (or it is a directory)', { file: path });
  const header = await readCsvHeader(path, file, dialect);
  for (const [flag, col] of [
    ['--text-column', flags.textColumn],
    ['--label-column', flags.labelColumn],
    ['--id-column', flags.idColumn],
  ] as const) {
    if (col !== undefined && !header.includes(col))
      throw inputError(
        `the column "${col}" (${flag}) is not in the header; available columns: ${header.map((h) => `"${h}"`).join(', ')}`,
        { file, line: 1, field: col },
      );
  }
  const expr = (col: string | undefined) => (col === undefined ? 'null' : quoteIdent(col));
  const db = await openDuckDbWarehouse(':memory:');
  try {
    return await db.transaction(async (tx) => {
      try {
        await tx.run(
          `create temp table cx_text_rows as select ${expr(flags.idColumn)} as id, ${quoteIdent(flags.textColumn)} as t,
             nullif(trim(${expr(flags.labelColumn)}), '') as label
           from ${csvReadSql(path, header, dialect)}`,
        );
      } catch (e) {
        throw await explainCsvError(e, path, file, dialect, header.length);
      }
      return tx.all<Row>('select id, t, label from cx_text_rows order by rowid');
    });
  } finally {
    await db.close();
  }
}

export interface TrainFlags extends FileFlags {
  labelColumn: string;
  out: string;
  folds?: string;
  c?: string;
  classWeight?: string;
  json?: boolean;
}

export interface TrainResult {
  file: string;
  out: string;
  examples: number;
  skipped: number;
  labels: Record<string, number>;
  k: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<string, text.ClassMetrics>;
  foldAccuracy: number[];
  trainSeconds: number;
}

function positiveNumber(v: string | undefined, flag: string, integer: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw inputError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, got "${v}"`, {
      field: flag,
    });
  return n;
}

export async function runTextTrain(path: string, flags: TrainFlags): Promise<TrainResult> {
  const k = positiveNumber(flags.folds, '--folds', true) ?? 5;
  if (k < 2) throw inputError('--folds must be at least 2', { field: '--folds' });
  const C = positiveNumber(flags.c, '--c', false);
  if (flags.classWeight !== undefined && !['none', 'balanced'].includes(flags.classWeight))
    throw inputError(`--class-weight is "none" or "balanced", got "${flags.classWeight}"`, {
      field: '--class-weight',
    });
  const rows = await readTextColumns(path, flags);
  const texts: string[] = [];
  const labels: string[] = [];
  for (const r of rows)
    if (r.t?.trim() && r.label !== null) {
      texts.push(r.t);
      labels.push(r.label);
    }
  const file = basename(path);
  if (texts.length === 0)
    throw inputError(`no row has both a comment and a label`, { file, field: flags.labelColumn });
  const counts: Record<string, number> = {};
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  if (Object.keys(counts).length > 200)
    throw inputError(
      `the label column has ${Object.keys(counts).length} different values; is it really a label (at most 200)?`,
      { file, field: flags.labelColumn },
    );
  const progress = startProgress('training', k + 1, 'models');
  let report: ReturnType<typeof trainWithCrossValidation>;
  try {
    report = trainWithCrossValidation(texts, labels, {
      k,
      options: {
        ...(C === undefined ? {} : { C }),
        ...(flags.classWeight === undefined ? {} : { classWeight: flags.classWeight as 'none' | 'balanced' }),
      },
      onProgress: (_stage, done, total) => progress.update(done, total),
    });
  } catch (e) {
    // Core names the field "labels"; here the user knows it as a column of a file.
    if (e instanceof Error && 'code' in e && (e as { code: string }).code === 'bad_input')
      throw inputError(e.message.replace(/^field labels: /, ''), { file, field: flags.labelColumn });
    throw e;
  } finally {
    progress.stop();
  }
  writeFileSync(flags.out, `${JSON.stringify(report.model)}\n`);
  return {
    file,
    out: flags.out,
    examples: texts.length,
    skipped: rows.length - texts.length,
    labels: counts,
    ...report.metrics,
  };
}

export function formatTrain(r: TrainResult): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `Trained on ${r.examples} labelled comments from ${r.file}${r.skipped ? ` (${r.skipped} rows without comment or label skipped)` : ''}.`,
    `${r.k}-fold cross-validation: accuracy ${pct(r.accuracy)}, macro-F1 ${pct(r.macroF1)}`,
    '',
    `${'label'.padEnd(24)} ${'n'.padStart(7)} ${'precision'.padStart(10)} ${'recall'.padStart(8)} ${'F1'.padStart(8)}`,
    ...Object.entries(r.perClass).map(
      ([l, m]) =>
        `${l.slice(0, 24).padEnd(24)} ${String(m.support).padStart(7)} ${pct(m.precision).padStart(10)} ${pct(m.recall).padStart(8)} ${pct(m.f1).padStart(8)}`,
    ),
    '',
    `Final model trained in ${r.trainSeconds.toFixed(1)} s, written to ${r.out}`,
  ];
  return lines.join('\n');
}

export function readModelFile(path: string): text.ClassifierModel {
  const file = basename(path);
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    throw inputError('cannot read the model file', { file: path, field: '--model' });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw inputError('the model file is not JSON; train one with `cxc text train`', {
      file,
      field: '--model',
    });
  }
  return text.parseClassifierModel(json, file);
}

export interface ClassifyLine {
  id: string | number;
  label: string | null;
  confidence: number | null;
}

export async function runTextClassify(
  path: string,
  flags: FileFlags & { model: string },
  emit: (line: ClassifyLine) => void,
): Promise<number> {
  const model = readModelFile(flags.model);
  const rows = await readTextColumns(path, flags);
  rows.forEach((r, i) => {
    const id = flags.idColumn === undefined ? i + 1 : (r.id ?? '');
    if (!r.t?.trim()) emit({ id, label: null, confidence: null });
    else {
      const p = text.classify(model, r.t);
      emit({ id, label: p.label, confidence: Number(p.confidence.toFixed(4)) });
    }
  });
  return rows.length;
}

export interface ThemesFlags extends FileFlags {
  k?: string;
  examples?: string;
  /** "default" or a taxonomy JSON file: count rule-based themes instead of clustering. */
  taxonomy?: string;
  json?: boolean;
}

export interface ThemesResult {
  file: string;
  method: 'clusters' | 'taxonomy';
  comments: number;
  /** Comments in no theme (no usable word, or no keyword matched). */
  unclustered: number;
  k: number;
  seconds: number;
  themes: {
    id?: string;
    label: string;
    size: number;
    share: number;
    terms: string[];
    examples: { id: string | null; text: string }[];
  }[];
}

function readTaxonomy(spec: string): text.Taxonomy {
  if (spec === 'default') return text.DEFAULT_TAXONOMY;
  const file = basename(spec);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(spec, 'utf8'));
  } catch {
    throw inputError('cannot read the taxonomy as JSON', { file: spec, field: '--taxonomy' });
  }
  const r = text.TaxonomySchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw inputError(i.message, { file, field: i.path.join('.') || '--taxonomy' });
  }
  return r.data;
}

export async function runTextThemes(path: string, flags: ThemesFlags): Promise<ThemesResult> {
  const k = positiveNumber(flags.k, '--k', true);
  if (k !== undefined && k < 2) throw inputError('--k must be at least 2', { field: '--k' });
  const examples = positiveNumber(flags.examples, '--examples', true) ?? 3;
  const taxonomy = flags.taxonomy === undefined ? undefined : readTaxonomy(flags.taxonomy);
  const rows = (await readTextColumns(path, flags)).filter((r) => r.t?.trim());
  const t0 = performance.now();
  const idOf = (i: number) => (flags.idColumn === undefined ? null : rows[i]!.id);
  const seconds = () => Number(((performance.now() - t0) / 1000).toFixed(2));
  if (taxonomy) {
    // Rule-based: how many comments each taxonomy theme matches, with the first matches as examples.
    const hits = new Map<string, number[]>();
    let none = 0;
    rows.forEach((r, i) => {
      const ids = text.matchThemes(r.t!, taxonomy);
      if (ids.length === 0) none++;
      for (const id of ids) {
        const list = hits.get(id) ?? [];
        list.push(i);
        hits.set(id, list);
      }
    });
    const themes = taxonomy.themes
      .filter((t) => hits.has(t.id))
      .map((t) => {
        const list = hits.get(t.id)!;
        return {
          id: t.id,
          label: t.label,
          size: list.length,
          share: Number((list.length / Math.max(1, rows.length)).toFixed(4)),
          terms: t.keywords.slice(0, 8),
          examples: list.slice(0, examples).map((i) => ({ id: idOf(i), text: rows[i]!.t! })),
        };
      })
      .sort((a, b) => b.size - a.size);
    return {
      file: basename(path),
      method: 'taxonomy',
      comments: rows.length,
      unclustered: none,
      k: themes.length,
      seconds: seconds(),
      themes,
    };
  }
  const r = text.clusterTexts(
    rows.map((x) => x.t!),
    { ...(k === undefined ? {} : { k }), examples },
  );
  return {
    file: basename(path),
    method: 'clusters',
    comments: rows.length,
    unclustered: r.unclustered,
    k: r.k,
    seconds: seconds(),
    themes: r.clusters.map((c) => ({
      label: c.label,
      size: c.size,
      share: Number(c.share.toFixed(4)),
      terms: c.terms.map((t) => t.term),
      examples: c.examples.map((e) => ({ id: idOf(e.index), text: e.text })),
    })),
  };
}

export function registerTextModels(program: Command): void {
  const group = textCommand(program);
  const dialectOptions = (c: Command) =>
    c
      .option('--separator <char>', 'field separator (default "," or tab for .tsv; "\\t" for tab)')
      .option('--encoding <encoding>', 'utf8 (default) or latin1');

  dialectOptions(
    group
      .command('train')
      .description(
        'Train a comment classifier on labelled rows; reports k-fold accuracy and macro-F1 and writes the model',
      )
      .argument('<file>', 'CSV or TSV file with a header line')
      .requiredOption('--text-column <name>', 'column holding the comment')
      .requiredOption(
        '--label-column <name>',
        'column holding the label (rows with a blank label are skipped)',
      )
      .requiredOption('--out <model.json>', 'where to write the model')
      .option('--folds <k>', 'folds of the cross-validation (default 5)')
      .option('--c <C>', 'inverse L2 regularisation strength (default 10)')
      .option('--class-weight <mode>', 'none (default) or balanced')
      .option('--json', 'print the report as JSON'),
  ).action(async (path: string, flags: TrainFlags) => {
    const r = await runTextTrain(path, flags);
    output(flags.json ?? false, r, () => formatTrain(r));
  });

  dialectOptions(
    group
      .command('classify')
      .description(
        'Apply a trained model: JSON lines {id, label, confidence}; empty comments give label null',
      )
      .argument('<file>', 'CSV or TSV file with a header line')
      .requiredOption('--model <model.json>', 'a model written by `cxc text train`')
      .requiredOption('--text-column <name>', 'column holding the comment')
      .option('--id-column <name>', 'column holding the id (default: data row number, 1-based)'),
  ).action(async (path: string, flags: FileFlags & { model: string }) => {
    // `… | head` closes the pipe early: that is the reader's choice, not an error.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
    let buf = '';
    await runTextClassify(path, flags, (line) => {
      buf += `${JSON.stringify(line)}\n`;
      if (buf.length > 1 << 16) {
        process.stdout.write(buf);
        buf = '';
      }
    });
    if (buf) process.stdout.write(buf);
  });

  dialectOptions(
    group
      .command('themes')
      .description(
        'Automatic themes: clusters of the comments with readable labels, sizes and example comments',
      )
      .argument('<file>', 'CSV or TSV file with a header line')
      .requiredOption('--text-column <name>', 'column holding the comment')
      .option('--id-column <name>', 'column holding the id, shown with the examples')
      .option('--k <n>', 'number of themes (default: chosen automatically, at most 15)')
      .option('--taxonomy <default|file.json>', 'count the themes of a taxonomy instead of clustering')
      .option('--examples <n>', 'example comments per theme (default 3)')
      .option('--json', 'print JSON'),
  ).action(async (path: string, flags: ThemesFlags) => {
    const r = await runTextThemes(path, flags);
    output(flags.json ?? false, r, () =>
      [
        `${r.k} ${r.method === 'taxonomy' ? 'taxonomy themes' : 'themes'} in ${r.comments} comments of ${r.file}${r.unclustered ? ` (${r.unclustered} ${r.method === 'taxonomy' ? 'in no theme' : 'without usable words'})` : ''}:`,
        ...r.themes.flatMap((t) => [
          '',
          `${String(t.size).padStart(7)}  ${(100 * t.share).toFixed(1).padStart(5)} %  ${t.label}`,
          `                   ${r.method === 'taxonomy' ? 'keywords' : 'terms'}: ${t.terms.slice(0, 8).join(', ')}`,
          ...t.examples.map((e) => `                   “${e.text.replace(/\s+/g, ' ').slice(0, 140)}”`),
        ]),
      ].join('\n'),
    );
  });
}
