import { useMemo, useState } from 'react';
import { getJson, sendJson } from '../../lib/api.ts';
import { formatInt, formatPct } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { shownOf, useGet } from '../../lib/use-get.ts';
import { CsvImport } from './csv-import.tsx';
import { type LabelCount, type ModelInfo, SENTIMENT_TASK, THEME_TASK } from './text-api.ts';
import './taxonomy.css';

/**
 * The trainable classifier (issue 5): labels collected per task (in the comment explorer or from a
 * CSV), a Train button per task, and every model with its k-fold cross-validated accuracy and
 * macro-F1 — the honest estimate of how it does on comments it has not seen.
 */
const K = 5;
const POLL_MS = 700;

interface TaskLabels {
  task: string;
  total: number;
  labels: LabelCount[];
  smallest: number;
}

/** Folds: 5 when every label has 5 examples, else as many as the rarest label allows (≥ 2). */
const foldsFor = (t: TaskLabels) => Math.min(K, t.smallest);

export function ModelsView() {
  const [counts, retryCounts] = useGet<LabelCount[]>('/api/text/labels');
  const [models, retryModels] = useGet<ModelInfo[]>('/api/text/models');
  const [training, setTraining] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [latest, setLatest] = useState<ModelInfo | null>(null);

  const tasks = useMemo<TaskLabels[]>(() => {
    const by = new Map<string, LabelCount[]>();
    for (const c of shownOf(counts) ?? []) by.set(c.task, [...(by.get(c.task) ?? []), c]);
    return [...by].map(([task, labels]) => ({
      task,
      labels: labels.sort((a, b) => b.n - a.n),
      total: labels.reduce((s, l) => s + l.n, 0),
      smallest: Math.min(...labels.map((l) => l.n)),
    }));
  }, [counts]);

  const train = async (t: TaskLabels) => {
    setTraining((s) => ({ ...s, [t.task]: 'Training…' }));
    setErrors((s) => ({ ...s, [t.task]: '' }));
    try {
      const started = await sendJson<{ modelId: string; status: string }>('POST', '/api/text/models', {
        task: t.task,
        k: foldsFor(t),
      });
      // Training runs as a background job (202): poll the model until it is ready or has failed.
      const path = `/api/text/models/${encodeURIComponent(started.modelId)}`;
      let m = await getJson<ModelInfo>(path);
      while (m.status === 'training') {
        await new Promise((r) => setTimeout(r, POLL_MS));
        m = await getJson<ModelInfo>(path);
      }
      if (m.status === 'failed') throw new Error(m.error ?? 'the training failed');
      setLatest(m);
    } catch (e) {
      setErrors((s) => ({ ...s, [t.task]: (e as Error).message }));
    } finally {
      setTraining((s) => ({ ...s, [t.task]: '' }));
      retryModels();
    }
  };

  const [activeError, setActiveError] = useState('');
  // A ready sentiment or theme model can replace the lexicon / add themes for new comments at ingest.
  const setActive = async (m: ModelInfo, on: boolean) => {
    setActiveError('');
    try {
      const path = `/api/text/models/${encodeURIComponent(m.modelId)}/active`;
      await (on ? sendJson('PUT', path, {}) : sendJson('DELETE', path));
    } catch (e) {
      setActiveError((e as Error).message);
    }
    retryModels();
  };

  const ms = shownOf(models);
  return (
    <>
      <section className="panel" aria-labelledby="md-labels-title">
        <div className="panel-head">
          <h2 id="md-labels-title">Labelled comments</h2>
          <button type="button" className="md-small" onClick={retryCounts}>
            Refresh
          </button>
        </div>
        <p className="panel-note">
          Label comments in the comment explorer (the “Label…” menu on each comment). Every label needs at
          least 2 examples; with 5 or more each, the accuracy is estimated by 5-fold cross-validation.
        </p>
        <CsvImport onImported={retryCounts} />
        <LoadStatus result={counts} retry={retryCounts} what="labels" />
        {shownOf(counts) && tasks.length === 0 && <p className="muted">No labelled comments yet.</p>}
        {tasks.length > 0 && (
          <table className="tx-versions md-labels" aria-label="Labels per task">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Labels (comments)</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">
                  <span className="visually-hidden">Train</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((t) => {
                const why =
                  t.labels.length < 2
                    ? 'needs at least two different labels'
                    : t.smallest < 2
                      ? 'every label needs at least 2 comments'
                      : '';
                return (
                  <tr key={t.task} data-task={t.task}>
                    <th scope="row">{t.task}</th>
                    <td>
                      <ul className="tx-chips">
                        {t.labels.map((l) => (
                          <li key={l.label}>
                            <span className="tx-chip">
                              {l.label} <b>{formatInt(l.n)}</b>
                            </span>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="num">{formatInt(t.total)}</td>
                    <td className="md-train">
                      <button
                        type="button"
                        className="tx-primary"
                        disabled={!!training[t.task] || why !== ''}
                        title={why || `Train on ${t.total} comments, ${foldsFor(t)}-fold cross-validation`}
                        onClick={() => void train(t)}
                        aria-label={`Train ${t.task}`}
                      >
                        {training[t.task] || 'Train'}
                      </button>
                      {why && <span className="muted small"> {why}</span>}
                      {errors[t.task] && (
                        <span role="alert" className="tx-msg error">
                          {errors[t.task]}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      {latest?.metrics && (
        <section className="panel md-result" aria-labelledby="md-result-title" data-testid="model-result">
          <h2 id="md-result-title">Trained: {latest.task}</h2>
          <p>
            Cross-validated accuracy{' '}
            <strong data-testid="model-accuracy">{formatPct(latest.metrics.accuracy)}</strong>, macro-F1{' '}
            <strong data-testid="model-f1">{formatPct(latest.metrics.macroF1)}</strong>{' '}
            <span className="muted">
              ({latest.metrics.k}-fold, {formatInt(latest.nExamples)} comments, {latest.labels.length} labels)
            </span>
          </p>
        </section>
      )}
      <section className="panel" aria-labelledby="md-models-title">
        <h2 id="md-models-title">Models</h2>
        <LoadStatus result={models} retry={retryModels} what="models" />
        {activeError && (
          <p role="alert" className="tx-msg error">
            {activeError}
          </p>
        )}
        {ms && ms.length === 0 && <p className="muted">No model trained yet.</p>}
        {ms && ms.length > 0 && (
          <div className="table-scroll">
            <table className="tx-versions" aria-label="Trained models">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Trained</th>
                  <th scope="col" className="num">
                    Comments
                  </th>
                  <th scope="col">Labels</th>
                  <th scope="col" className="num">
                    Accuracy
                  </th>
                  <th scope="col" className="num">
                    Macro-F1
                  </th>
                  <th scope="col" className="num">
                    Folds
                  </th>
                  <th scope="col">Applied to new comments</th>
                </tr>
              </thead>
              <tbody>
                {ms.map((m) => (
                  <tr key={m.modelId} data-model-id={m.modelId}>
                    <th scope="row">{m.task}</th>
                    <td>
                      {m.createdAt.slice(0, 16).replace('T', ' ')} · {m.createdBy}
                    </td>
                    <td className="num">{formatInt(m.nExamples)}</td>
                    <td>{m.labels.join(', ')}</td>
                    <td className="num" title={m.error ?? undefined}>
                      {m.metrics ? formatPct(m.metrics.accuracy) : m.status}
                    </td>
                    <td className="num">{m.metrics ? formatPct(m.metrics.macroF1) : '—'}</td>
                    <td className="num">{m.metrics?.k ?? '—'}</td>
                    <td>
                      {m.active ? (
                        <>
                          <span className="md-active">{m.active}</span>{' '}
                          <button type="button" className="md-small" onClick={() => void setActive(m, false)}>
                            Stop
                          </button>
                        </>
                      ) : m.status === 'ready' && (m.task === SENTIMENT_TASK || m.task === THEME_TASK) ? (
                        <button
                          type="button"
                          className="md-small"
                          aria-label={`Apply model ${m.modelId} to new comments`}
                          onClick={() => void setActive(m, true)}
                        >
                          Apply
                        </button>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
