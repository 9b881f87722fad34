import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  AppError,
  combineFolds,
  type Dataset,
  type ErrorCode,
  type Evaluation,
  type FoldResult,
  type LearnerKind,
  planSelection,
  type SelectionPlan,
  type SerializedModel,
} from '@cx/core';
import type { FitRequest, FitWorkerInput, FitWorkerMessage, FitWorkerRequest } from './fit-worker.ts';

/**
 * Model selection on every core (issue 6: "training on 1M customers × 50 features under 2 minutes").
 * The cross-validation fits are independent, so a pool of worker threads runs them side by side:
 * core plans them (rows, folds, seeds — planSelection) and combines their results in task order
 * (combineFolds), so the evaluation is the same whatever the number of workers; then a worker refits
 * the chosen learner on all rows. The data sits in SharedArrayBuffers that every worker reads without
 * a copy (encodeTable builds it there with `shared: true`; otherwise it is copied there once), and
 * predictions come back as transferred buffers.
 *
 * Speculative refit: when the learners are compared on a sample of larger data, the refit on all
 * rows costs as much as the whole cross-validation and would leave every core but one idle. So the
 * refit of the costliest learner (gradient-boosted trees, the one that wins on large data in practice)
 * starts at once, beside the folds. If cross-validation chooses another learner, that fit is cancelled
 * and the chosen one refitted: the model is the same either way, only the time differs.
 */
export interface PoolOptions {
  folds?: number;
  seed?: number;
  learners?: readonly LearnerKind[];
  warnings?: readonly string[];
  maxRowsForSelection?: number;
  /** Worker threads; default one per core, at most one per fold fit. */
  workers?: number;
  /** Overall progress 0..1 and what is running. */
  onProgress?: (fraction: number, stage: string) => void;
  /**
   * Refit this learner on all rows while cross-validation runs (see above). Default 'auto': the
   * costliest candidate, when the data is larger than the selection sample and there are ≥ 2 workers.
   */
  speculate?: LearnerKind | 'auto' | false;
}

/** Relative cost of a fit by learner (measured, bench/predict), for progress and to start long fits first. */
const COST: Record<LearnerKind, number> = { gbdt: 5, logistic: 1 };

interface Job {
  req: FitWorkerRequest;
  onProgress: (f: number) => void;
  resolve: (m: FitWorkerMessage) => void;
  reject: (e: Error) => void;
}

export class FitPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private readonly running = new Map<number, Job>();
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private failure: Error | null = null;
  private nextId = 1;
  private closed = false;

  /** Starts `size` workers sharing the plan's rows and folds, and `full` (all rows) when given. */
  constructor(plan: SelectionPlan, full: Dataset | null, size: number) {
    const input: FitWorkerInput = {
      entry: new URL('./fit-worker.ts', import.meta.url).href,
      sel: sharedDataset(plan.data),
      full: full ? sharedDataset(full) : null,
      fold: asShared(plan.fold),
      seed: plan.seed,
      cancel: this.cancel,
    };
    for (let w = 0; w < size; w++) {
      const worker = new Worker(new URL('./fit-worker-boot.mjs', import.meta.url), { workerData: input });
      worker.on('message', (m: FitWorkerMessage) => this.onMessage(worker, m));
      worker.once('error', (e) => this.fail(e));
      worker.once('exit', (code) => {
        if (!this.closed) this.fail(new Error(`a model-fitting worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  /** Queues one request; resolves with the worker's answer, rejects with the error it threw. */
  run(req: FitRequest, onProgress: (f: number) => void = () => {}) {
    return new Promise<FitWorkerMessage>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({
        req: { ...req, id: this.nextId++ } as FitWorkerRequest,
        onProgress,
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  /** Stops a running cancellable final fit at its next progress step (it rejects with "cancelled"). */
  cancelSpeculation(): void {
    Atomics.store(this.cancel, 0, 1);
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const worker = this.idle.shift()!;
      this.running.set(job.req.id, job);
      worker.postMessage(job.req);
    }
  }

  private onMessage(worker: Worker, m: FitWorkerMessage): void {
    const job = this.running.get(m.id);
    if (!job) return;
    if (m.type === 'progress') {
      job.onProgress(m.fraction);
      return;
    }
    this.running.delete(m.id);
    this.idle.push(worker);
    if (m.type === 'error') {
      job.reject(
        m.code
          ? new AppError(m.code as ErrorCode, m.message, (m.details ?? {}) as Record<string, unknown>)
          : new Error(m.message),
      );
    } else job.resolve(m);
    this.dispatch();
  }

  /** A worker crashed: everything running or queued fails with its error. */
  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const job of [...this.running.values(), ...this.queue]) job.reject(e);
    this.running.clear();
    this.queue.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The array itself when it is in shared memory already, else a copy there (made once per pool). */
function asShared<T extends Float64Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

const sharedDataset = (d: Dataset): Dataset => ({ ...d, x: asShared(d.x), y: asShared(d.y) });

export function poolSize(plan: SelectionPlan, workers?: number): number {
  const want = workers ?? availableParallelism();
  return Math.max(1, Math.min(want, plan.tasks.length));
}

/**
 * Cross-validates on the pool: the fold results in plan order (the long fits dispatched first, so
 * the short ones fill the gaps at the end). Progress in units of COST done.
 */
async function crossValidate(
  pool: FitPool,
  plan: SelectionPlan,
  onProgress: (unitsDone: number, stage: string) => void,
): Promise<FoldResult[]> {
  const partial = new Map<number, number>();
  let done = 0;
  let finished = 0;
  const report = () => {
    let running = 0;
    for (const v of partial.values()) running += v;
    onProgress(done + running, `cross-validation: ${finished} of ${plan.tasks.length} fits done`);
  };
  const order = plan.tasks
    .map((_, i) => i)
    .sort((a, b) => COST[plan.tasks[b]!.kind] - COST[plan.tasks[a]!.kind] || a - b);
  const results: FoldResult[] = new Array(plan.tasks.length);
  report();
  await Promise.all(
    order.map(async (t) => {
      const task = plan.tasks[t]!;
      const cost = COST[task.kind];
      const m = await pool.run({ type: 'fold', task }, (f) => {
        partial.set(t, f * cost);
        report();
      });
      if (m.type !== 'fold') throw new Error(`unexpected answer ${m.type} from a fold fit`);
      partial.delete(t);
      done += cost;
      finished++;
      results[t] = { pred: m.pred, auc: m.auc, seconds: m.seconds };
      report();
    }),
  );
  return results;
}

const cvUnits = (plan: SelectionPlan) => plan.tasks.reduce((s, t) => s + COST[t.kind], 0);

/** `evaluate` (evaluate.ts) on a pool of worker threads: the same Evaluation, on every core. */
export async function evaluateInPool(data: Dataset, options: PoolOptions = {}): Promise<Evaluation> {
  const plan = planSelection(data, { ...options, shared: true });
  const pool = new FitPool(plan, null, poolSize(plan, options.workers));
  const total = cvUnits(plan);
  try {
    const results = await crossValidate(pool, plan, (u, stage) => options.onProgress?.(u / total, stage));
    options.onProgress?.(1, 'done');
    return combineFolds(data, plan, results);
  } finally {
    await pool.close();
  }
}

/**
 * Cross-validates the learners on the pool and refits the chosen one on all rows in a worker: what
 * `cxc predict train` and the store models run.
 */
export async function selectAndFit(
  data: Dataset,
  options: PoolOptions = {},
): Promise<{ evaluation: Evaluation; model: SerializedModel; speculated: LearnerKind | null }> {
  const plan = planSelection(data, { ...options, shared: true });
  const full = plan.data === data ? null : data;
  const size = poolSize(plan, options.workers);
  const costliest = plan.kinds.reduce((a, b) => (COST[b] > COST[a] ? b : a));
  const speculate = options.speculate ?? 'auto';
  const guess =
    speculate === 'auto' ? (full && size > 1 ? costliest : null) : speculate === false ? null : speculate;

  // Progress: fold fits and the refit weighted by their expected cost (the refit's grows with its
  // rows); shown monotone, since a cancelled guess restarts the refit.
  const trainRows = (plan.data.n * (plan.folds - 1)) / plan.folds;
  const refitUnits = (kind: LearnerKind) => COST[kind] * Math.max(1, data.n / trainRows);
  const cvTotal = cvUnits(plan);
  let cvDone = 0;
  let refitKind: LearnerKind = guess ?? costliest;
  let refitDone = 0;
  let cvStage = '';
  let shown = 0;
  const report = () => {
    const w = refitUnits(refitKind);
    shown = Math.max(shown, Math.min(1, (cvDone + refitDone * w) / (cvTotal + w)));
    const refit = `fitting ${refitKind} on ${data.n.toLocaleString('en')} rows`;
    options.onProgress?.(shown, cvDone < cvTotal ? cvStage + (guess ? `; ${refit}` : '') : refit);
  };

  const pool = new FitPool(plan, full, size);
  try {
    // Queued first, so it starts at once on the first worker.
    const spec = guess
      ? pool.run({ type: 'final', kind: guess, cancellable: true }, (f) => {
          if (refitKind === guess) refitDone = f;
          report();
        })
      : null;
    spec?.catch(() => {}); // awaited below if the guess is right; otherwise its rejection is expected
    const results = await crossValidate(pool, plan, (u, stage) => {
      cvDone = u;
      cvStage = stage;
      report();
    });
    const evaluation = combineFolds(data, plan, results);
    let m: FitWorkerMessage;
    if (spec && guess === evaluation.model) m = await spec;
    else {
      if (spec) pool.cancelSpeculation();
      refitKind = evaluation.model;
      refitDone = 0;
      m = await pool.run({ type: 'final', kind: evaluation.model, cancellable: false }, (f) => {
        refitDone = f;
        report();
      });
    }
    if (m.type !== 'final') throw new Error(`unexpected answer ${m.type} from the final fit`);
    refitDone = 1;
    report();
    return { evaluation, model: m.model, speculated: guess };
  } finally {
    await pool.close();
  }
}
