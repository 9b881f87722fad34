import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  columnReasons,
  type Encoder,
  type Evaluation,
  encodeRows,
  encodeTable,
  inputError,
  isLearnerKind,
  LEARNER_KINDS,
  type LearnerKind,
  loadModel,
  type ModelCard,
  type SerializedModel,
} from '@cx/core';
import type { Command } from 'commander';
import { evaluateInPool, selectAndFit } from '../../predict/fit-pool.ts';
import { readTable } from '../../predict/read-table.ts';
import { scoreStore } from '../../predict/score-store.ts';
import { trainStoreModel } from '../../predict/store-pipeline.ts';
import type { StoreTarget } from '../../queries/predict/labels.ts';
import { output, withStores } from '../context.ts';
import { startProgress } from '../progress.ts';

/**
 * `cxc predict evaluate | train | score`: churn-style prediction on any customer table (CSV/TSV,
 * JSONL, Parquet) without importing it — encode (one-hot, scaling, blanks), cross-validate logistic
 * regression and gradient-boosted trees, keep the better one (evaluate.ts) — and the same `train` /
 * `score` on the store's churn and cross-sell models with `--store`.
 */
interface FileFlags {
  separator?: string;
  encoding?: string;
  missing?: string;
}

export interface EvaluateFlags extends FileFlags {
  target: string;
  positive: string;
  idColumn?: string;
  exclude?: string;
  folds?: string;
  seed?: string;
  learners?: string;
  json?: boolean;
}

export interface FileEvaluation extends Evaluation {
  file: string;
  target: string;
  positive: string;
  seconds: number;
}

/** A model trained on a file: everything `score` needs, and the card. */
export interface ModelFile {
  format: 'cx-predict-model';
  version: 1;
  target: string;
  positive: string;
  idColumn?: string;
  model: SerializedModel;
  encoder: Encoder;
  card: ModelCard;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function wholeNumber(v: string | undefined, flag: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw inputError(`${flag} must be a whole number of at least ${min}, got "${v}"`, { field: flag });
  return n;
}

function learnerKinds(v: string | undefined): LearnerKind[] {
  const kinds = v === undefined ? [...LEARNER_KINDS] : list(v);
  for (const k of kinds)
    if (!isLearnerKind(k))
      throw inputError(`unknown learner "${k}"; choose from ${LEARNER_KINDS.join(', ')}`, {
        field: '--learners',
      });
  if (kinds.length === 0) throw inputError('name at least one learner', { field: '--learners' });
  return kinds as LearnerKind[];
}

/** A progress bar in percent for a fraction callback (shown only past one second, on a terminal). */
function percentBar(label: string) {
  const bar = startProgress(label, 100, '%');
  return {
    update: (f: number) => bar.update(Math.round(f * 100)),
    stop: () => bar.stop(),
  };
}

async function encodeFile(path: string, flags: EvaluateFlags) {
  const missingMarkers = list(flags.missing);
  const table = await readTable(path, {
    ...flags,
    textColumns: [flags.target, ...(flags.idColumn ? [flags.idColumn] : [])],
    missingMarkers,
  });
  const encoded = encodeTable(table.columns, {
    target: flags.target,
    positive: flags.positive,
    exclude: list(flags.exclude),
    missingMarkers,
    file: table.file,
    ...(flags.idColumn !== undefined ? { idColumn: flags.idColumn } : {}),
    // The fitting workers (fit-pool.ts) read the matrix from shared memory without a copy.
    shared: true,
  });
  return { table, encoded };
}

export async function runPredictEvaluate(path: string, flags: EvaluateFlags): Promise<FileEvaluation> {
  const started = Date.now();
  const folds = wholeNumber(flags.folds, '--folds', 5, 2);
  const seed = wholeNumber(flags.seed, '--seed', 0, 0);
  const learners = learnerKinds(flags.learners);
  const { table, encoded } = await encodeFile(path, flags);
  const bar = percentBar('cross-validation');
  try {
    // Fold fits run side by side on worker threads (fit-pool.ts); the result does not depend on how many.
    const evaluation = await evaluateInPool(encoded.dataset, {
      folds,
      seed,
      learners,
      warnings: encoded.warnings,
      onProgress: bar.update,
    });
    return {
      file: table.file,
      target: flags.target,
      positive: flags.positive,
      ...evaluation,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    bar.stop();
  }
}

const pct = (v: number) => `${(v * 100).toFixed(2)} %`;

export function formatEvaluation(e: FileEvaluation): string {
  const lines = [
    `${e.file}: target ${e.target} = "${e.positive}" in ${e.positives.toLocaleString('en')} of ${e.n.toLocaleString('en')} rows (${pct(e.positives / e.n)}), ${e.features.length} features, ${e.folds}-fold stratified cross-validation`,
    '',
    'learner    mean AUC  ± std    seconds',
    ...e.candidates.map(
      (c) =>
        `${c.kind.padEnd(10)} ${c.auc.toFixed(4).padEnd(9)} ${c.aucStd.toFixed(4).padEnd(8)} ${(c.seconds ?? 0).toFixed(1).padStart(7)}${c.kind === e.model ? '   ← chosen' : ''}`,
    ),
    '',
    `chosen: ${e.model}, AUC ${e.auc.toFixed(4)} ± ${e.aucStd.toFixed(4)}; Brier ${e.brier.toFixed(4)}; lift at the top decile ${e.liftTopDecile.toFixed(2)}×`,
    'calibration by decile of prediction (out of fold): predicted → observed',
    ...e.calibration.map(
      (b, i) =>
        `  ${String(i + 1).padStart(2)}  ${pct(b.predicted).padStart(8)} → ${pct(b.observed).padStart(8)}  (n ${b.n})`,
    ),
  ];
  if (e.warnings.length) lines.push('', 'warnings:', ...e.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

export interface TrainFlags extends EvaluateFlags {
  out?: string;
  store?: boolean;
  cutoff?: string;
  horizonMonths?: string;
  minPositives?: string;
}

export async function runPredictTrain(
  path: string,
  flags: TrainFlags,
): Promise<{ out: string; card: ModelCard }> {
  if (!flags.out) throw inputError('--out <model.json> is needed to save the model', { field: '--out' });
  const folds = wholeNumber(flags.folds, '--folds', 5, 2);
  const seed = wholeNumber(flags.seed, '--seed', 0, 0);
  const learners = learnerKinds(flags.learners);
  const { encoded } = await encodeFile(path, flags);
  const bar = percentBar('training');
  let evaluation: Evaluation;
  let model: SerializedModel;
  try {
    // Cross-validation on every core, then the refit of the chosen learner on all rows (fit-pool.ts).
    ({ evaluation, model } = await selectAndFit(encoded.dataset, {
      folds,
      seed,
      learners,
      warnings: encoded.warnings,
      onProgress: (f) => bar.update(f),
    }));
  } finally {
    bar.stop();
  }
  const card: ModelCard = {
    ...evaluation,
    modelId: randomUUID(),
    target: flags.target,
    trainedAt: new Date().toISOString(),
  };
  const file: ModelFile = {
    format: 'cx-predict-model',
    version: 1,
    target: flags.target,
    positive: flags.positive,
    ...(flags.idColumn !== undefined ? { idColumn: flags.idColumn } : {}),
    model,
    encoder: encoded.encoder,
    card,
  };
  writeFileSync(flags.out, `${JSON.stringify(file)}\n`);
  return { out: flags.out, card };
}

export interface ScoreFlags extends FileFlags {
  model?: string;
  idColumn?: string;
  out?: string;
  top?: string;
  json?: boolean;
  store?: boolean;
  target?: string;
  asOf?: string;
}

export interface ScoreLine {
  id: string;
  probability: number;
  reasons: string[];
}

export function readModelFile(path: string): ModelFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw inputError(`cannot read the model: ${(e as Error).message}`, { file: path, field: '--model' });
  }
  const m = parsed as Partial<ModelFile>;
  if (m?.format !== 'cx-predict-model' || m.version !== 1 || !m.encoder || !m.model)
    throw inputError('not a model written by `cxc predict train` (format cx-predict-model, version 1)', {
      file: path,
      field: '--model',
    });
  return m as ModelFile;
}

export async function runPredictScore(path: string, flags: ScoreFlags): Promise<ScoreLine[]> {
  if (!flags.model)
    throw inputError('--model <model.json> names the model to score with', { field: '--model' });
  const saved = readModelFile(flags.model);
  const top = wholeNumber(flags.top, '--top', 3, 0);
  const idColumn = flags.idColumn ?? saved.idColumn;
  // The encoder's category columns stay text, as in training (codes like "01" must not become 1).
  const categorical = saved.encoder.columns.filter((c) => c.kind === 'categorical').map((c) => c.name);
  const table = await readTable(path, {
    ...flags,
    textColumns: [...categorical, ...(idColumn ? [idColumn] : [])],
    missingMarkers: saved.encoder.missingMarkers,
  });
  const ids = idColumn === undefined ? null : table.columns.find((c) => c.name === idColumn);
  if (idColumn !== undefined && !ids)
    throw inputError(
      `the column "${idColumn}" (--id-column) is not in the table; available columns: ${table.columns.map((c) => `"${c.name}"`).join(', ')}`,
      { file: table.file, field: idColumn },
    );
  const matrix = encodeRows(saved.encoder, table.columns, { file: table.file });
  const model = loadModel(saved.model);
  const bar = startProgress('scoring', matrix.n);
  try {
    const p = model.predict(matrix);
    const byName = new Map(table.columns.map((c) => [c.name, c.values]));
    const row = new Float64Array(matrix.p);
    const out: ScoreLine[] = new Array(matrix.n);
    for (let i = 0; i < matrix.n; i++) {
      let reasons: string[] = [];
      if (top > 0) {
        row.set(matrix.x.subarray(i * matrix.p, (i + 1) * matrix.p));
        const { contributions } = model.explain(row);
        reasons = columnReasons(saved.encoder, contributions, (c) => byName.get(c)?.[i], { top }).map(
          (r) => r.text,
        );
      }
      const id = ids ? ids.values[i] : i + 1;
      out[i] = { id: id === null || id === undefined ? '' : String(id), probability: p[i]!, reasons };
      if (i % 10_000 === 0) bar.update(i);
    }
    bar.update(matrix.n);
    return out;
  } finally {
    bar.stop();
  }
}

const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function scoresCsv(lines: readonly ScoreLine[], top = 3): string {
  const header = ['id', 'probability', ...Array.from({ length: top }, (_, i) => `reason_${i + 1}`)];
  const body = lines.map((l) =>
    [l.id, l.probability.toFixed(6), ...Array.from({ length: top }, (_, i) => l.reasons[i] ?? '')]
      .map(csvCell)
      .join(','),
  );
  return `${[header.join(','), ...body].join('\n')}\n`;
}

function storeTarget(v: string | undefined): StoreTarget {
  if (v !== 'churn' && v !== 'cross_sell')
    throw inputError(`with --store, --target is churn or cross_sell, got "${v ?? ''}"`, {
      field: '--target',
    });
  return v;
}

/** Exactly one of a file argument and --store. */
export function fileOrStore(path: string | undefined, store: boolean | undefined): void {
  if (path && store) throw inputError('give a file or --store, not both', { field: '--store' });
  if (!path && !store)
    throw inputError('give a file to read, or --store for the store models', { field: 'file' });
}

export function registerPredict(program: Command): void {
  const predict = program
    .command('predict')
    .description('predict a binary outcome (churn, purchase, …) on any customer table, or on the store');
  const fileOptions = (c: Command) =>
    c
      .option(
        '--separator <char>',
        'CSV field separator (default: guessed from the header line, tab for .tsv; "\\t" for tab)',
      )
      .option('--encoding <encoding>', 'utf8 (default) or latin1')
      .option('--missing <values>', 'comma-separated values that mean blank (default: none; "" always does)');
  const modelOptions = (c: Command) =>
    fileOptions(c)
      .option('--id-column <name>', 'column identifying a row (left out of the features)')
      .option('--exclude <columns>', 'comma-separated columns to leave out (e.g. ones that leak the outcome)')
      .option('--folds <k>', 'folds of the stratified cross-validation (default 5)')
      .option('--seed <n>', 'seed of the fold shuffle (default 0)')
      .option('--learners <list>', `learners to compare (default ${LEARNER_KINDS.join(',')})`);

  modelOptions(
    predict
      .command('evaluate')
      .description(
        'cross-validate logistic regression and boosted trees on a file; report AUC and the chosen model',
      )
      .argument('<file>', 'CSV/TSV, .jsonl or .parquet file, one row per customer')
      .requiredOption('--target <column>', 'column holding the outcome')
      .requiredOption('--positive <value>', 'value of the target that counts as positive'),
  )
    .option('--json', 'print JSON')
    .action(async (path: string, flags: EvaluateFlags) => {
      const r = await runPredictEvaluate(path, flags);
      output(!!flags.json, r, () => formatEvaluation(r));
    });

  modelOptions(
    predict
      .command('train')
      .description('train and save a model on a file (or the store churn / cross-sell model with --store)')
      .argument('[file]', 'CSV/TSV, .jsonl or .parquet file, one row per customer')
      .option('--target <column>', 'column holding the outcome (with --store: churn or cross_sell)')
      .option('--positive <value>', 'value of the target that counts as positive')
      .option('--out <model.json>', 'where to write the model, its encoder and its card'),
  )
    .option('--store', 'train on the store (customers, events, feedback, outcomes)')
    .option('--cutoff <date>', 'with --store: features before this date, label after it')
    .option('--horizon-months <n>', 'with --store: months after the cutoff the label looks at (default 3)')
    .option('--min-positives <n>', 'with --store: fewest positives to train on (default 500)')
    .option('--json', 'print JSON')
    .action(async (path: string | undefined, flags: TrainFlags) => {
      fileOrStore(path, flags.store);
      if (flags.store) {
        const target = storeTarget(flags.target);
        const card = await withStores(async (stores) => {
          const bar = percentBar(`training ${target}`);
          try {
            return await trainStoreModel(stores, {
              target,
              ...(flags.cutoff ? { cutoff: flags.cutoff } : {}),
              ...(flags.horizonMonths
                ? { horizonMonths: wholeNumber(flags.horizonMonths, '--horizon-months', 3, 1) }
                : {}),
              ...(flags.minPositives
                ? { minPositives: wholeNumber(flags.minPositives, '--min-positives', 500, 1) }
                : {}),
              ...(flags.folds ? { folds: wholeNumber(flags.folds, '--folds', 5, 2) } : {}),
              seed: wholeNumber(flags.seed, '--seed', 0, 0),
              onProgress: (f) => bar.update(f),
            });
          } finally {
            bar.stop();
          }
        });
        output(!!flags.json, card, () => formatCard(card));
        return;
      }
      if (!flags.target) throw inputError('--target <column> is needed', { field: '--target' });
      if (flags.positive === undefined)
        throw inputError('--positive <value> is needed', { field: '--positive' });
      const r = await runPredictTrain(path!, flags);
      output(!!flags.json, r, () => `${formatCard(r.card)}\nmodel written to ${r.out}`);
    });

  fileOptions(
    predict
      .command('score')
      .description('score a file with a saved model (or the store customers with --store)')
      .argument('[file]', 'CSV/TSV, .jsonl or .parquet file with the columns the model was trained on')
      .option('--model <model.json>', 'model written by `cxc predict train`')
      .option(
        '--id-column <name>',
        'column identifying a row (default: the training id column, else the row number)',
      )
      .option('--out <scores.csv>', 'write id, probability and the top reasons as CSV (default: stdout)')
      .option('--top <n>', 'reasons per row (default 3)'),
  )
    .option('--store', 'score every customer of the store with the active model')
    .option('--target <target>', 'with --store: churn or cross_sell')
    .option(
      '--as-of <date>',
      'with --store: score on the data before this date (default: the end of the data)',
    )
    .option('--json', 'print JSON')
    .action(async (path: string | undefined, flags: ScoreFlags) => {
      fileOrStore(path, flags.store);
      if (flags.store) {
        const target = storeTarget(flags.target);
        const r = await withStores(async (stores) => {
          const bar = percentBar(`scoring ${target}`);
          try {
            return await scoreStore(stores, {
              target,
              ...(flags.asOf ? { asOf: flags.asOf } : {}),
              onProgress: (f) => bar.update(f),
            });
          } finally {
            bar.stop();
          }
        });
        output(
          !!flags.json,
          r,
          () => `${r.scored.toLocaleString('en')} customers scored with ${r.modelId} as of ${r.asOf}`,
        );
        return;
      }
      const lines = await runPredictScore(path!, flags);
      const top = wholeNumber(flags.top, '--top', 3, 0);
      if (flags.out) {
        writeFileSync(flags.out, scoresCsv(lines, top));
        output(
          !!flags.json,
          { out: flags.out, rows: lines.length },
          () => `${lines.length.toLocaleString('en')} rows scored → ${flags.out}`,
        );
      } else if (flags.json) output(true, lines, () => '');
      else process.stdout.write(scoresCsv(lines, top));
    });
}

export function formatCard(card: ModelCard): string {
  const head = [
    `model ${card.modelId} (${card.model}) for ${card.target}, trained ${card.trainedAt}`,
    ...(card.cutoff
      ? [`features before ${card.cutoff}, label over the next ${card.horizonMonths} months`]
      : []),
    `cross-validated AUC ${card.auc.toFixed(4)} ± ${card.aucStd.toFixed(4)} (${card.folds} folds; ${card.candidates.map((c) => `${c.kind} ${c.auc.toFixed(4)}`).join(', ')})`,
    `Brier ${card.brier.toFixed(4)}; lift at the top decile ${card.liftTopDecile.toFixed(2)}×; ${card.n.toLocaleString('en')} rows, ${card.positives.toLocaleString('en')} positive, ${card.features.length} features`,
  ];
  if (card.warnings.length) head.push('warnings:', ...card.warnings.map((w) => `  - ${w}`));
  return head.join('\n');
}
