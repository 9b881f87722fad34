import type {
  AtRisk,
  PredictModels,
  Rollup,
  RollupDimension,
  StoreModelCard,
  StorePredictionTarget,
} from '@cx/core';
import { type MouseEvent, useMemo, useState } from 'react';
import { sendJson } from '../../lib/api.ts';
import { Chart } from '../../lib/chart.tsx';
import { FilterPicker, useFilterValues } from '../../lib/filter-select.tsx';
import { formatInt, formatPct } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { queryString, shownOf, useGet } from '../../lib/use-get.ts';
import { usePath } from '../../router.tsx';
import './predict.css';

const TARGET_LABEL: Record<StorePredictionTarget, string> = {
  churn: 'Churn within the horizon',
  cross_sell: 'Cross-sell: adds a product within the horizon',
};
const LEARNER_LABEL: Record<string, string> = {
  logistic: 'Logistic regression',
  gbdt: 'Gradient-boosted trees',
};
const DIMENSIONS: { id: RollupDimension; label: string }[] = [
  { id: 'segment', label: 'Segment' },
  { id: 'region', label: 'Region' },
  { id: 'journey', label: 'Most recent journey' },
  { id: 'owner', label: 'Journey owner' },
];

const eur = new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
const formatEur = (v: number) => eur.format(v);
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

/**
 * Churn and cross-sell prediction (issue 6 §3): the model cards (cross-validated AUC ± std, learner
 * chosen among the candidates, calibration, lift at the top decile, training date, cutoff, horizon and
 * features), management roll-ups by segment, region or journey, and the customers to call today with
 * the reasons in words, each linking to the Customer 360 page.
 */
export function PredictPage() {
  const [, navigate] = usePath();
  const [segment, setSegment] = useState('');
  const [region, setRegion] = useState('');
  const [by, setBy] = useState<RollupDimension>('segment');
  const [rollTarget, setRollTarget] = useState<StorePredictionTarget>('churn');
  const [version, setVersion] = useState(0);
  const values = useFilterValues();
  const scope = { segments: segment || undefined, regions: region || undefined };
  const [models, retryModels] = useGet<PredictModels>(`/api/predict/models?v=${version}`);
  const [rollup] = useGet<Rollup>(
    `/api/predict/rollup${queryString({ target: rollTarget, by, ...scope, v: version })}`,
  );
  const [atRisk] = useGet<AtRisk>(`/api/predict/at-risk${queryString({ limit: 25, ...scope, v: version })}`);
  const m = shownOf(models);
  const r = shownOf(rollup);
  const a = shownOf(atRisk);

  return (
    <div className="page predict-page">
      <header className="page-head">
        <h1>Churn &amp; cross-sell</h1>
        {a?.asOf && <p className="period">Scored on data before {a.asOf}</p>}
        <FilterPicker kind="segment" values={values} value={segment} onChange={setSegment} />
        <FilterPicker kind="region" values={values} value={region} onChange={setRegion} />
      </header>
      <LoadStatus result={models} retry={retryModels} what="models" announceReload={false} />
      {m && (
        <div className="predict-cards">
          {(['churn', 'cross_sell'] as const).map((t) => (
            <ModelCardView
              key={t}
              target={t}
              card={m.models.find((c) => c.target === t) ?? null}
              onTrained={() => setVersion((v) => v + 1)}
            />
          ))}
        </div>
      )}
      {r && (
        <RollupView
          r={r}
          by={by}
          setBy={setBy}
          target={rollTarget}
          setTarget={setRollTarget}
          stale={rollup.state !== 'ready'}
        />
      )}
      {a && <AtRiskView a={a} navigate={navigate} stale={atRisk.state !== 'ready'} />}
    </div>
  );
}

function ModelCardView({
  target,
  card,
  onTrained,
}: {
  target: StorePredictionTarget;
  card: StoreModelCard | null;
  onTrained: () => void;
}) {
  const [training, setTraining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const train = () => {
    setTraining(true);
    setError(null);
    // Again = with the same cutoff, horizon and (at most) the positives it was trained on; the first
    // training uses the server's defaults and its refusal names the counts.
    const again = card
      ? {
          ...(card.cutoff ? { cutoff: card.cutoff } : {}),
          ...(card.horizonMonths ? { horizonMonths: card.horizonMonths } : {}),
          minPositives: Math.min(500, card.positives),
        }
      : {};
    sendJson('POST', '/api/predict/train', { target, ...again }).then(
      () => {
        setTraining(false);
        onTrained();
      },
      (e: Error) => {
        setTraining(false);
        setError(e.message);
      },
    );
  };
  const headingId = `card-${target}`;
  return (
    <section className="panel model-card" aria-labelledby={headingId}>
      <h2 id={headingId}>{TARGET_LABEL[target]}</h2>
      {!card && <p className="empty-state">No model trained yet.</p>}
      {card && (
        <>
          <div className="model-head">
            <p className="model-auc">
              <span className="value" data-testid={`auc-${target}`}>
                AUC {card.auc.toFixed(3)}
              </span>{' '}
              <span className="muted">
                ± {card.aucStd.toFixed(3)} over {card.folds} folds
              </span>
            </p>
            <p className="muted">
              {LEARNER_LABEL[card.model] ?? card.model} chosen by cross-validation · lift at the top decile{' '}
              {card.liftTopDecile.toFixed(2)}× · Brier {card.brier.toFixed(4)}
            </p>
          </div>
          <table className="journeys model-candidates">
            <caption className="visually-hidden">Candidate learners</caption>
            <thead>
              <tr>
                <th scope="col">Learner</th>
                <th scope="col" className="num">
                  AUC
                </th>
                <th scope="col" className="num">
                  ± std
                </th>
              </tr>
            </thead>
            <tbody>
              {card.candidates.map((c) => (
                <tr key={c.kind} className={c.kind === card.model ? 'chosen' : ''}>
                  <th scope="row">
                    {LEARNER_LABEL[c.kind] ?? c.kind}
                    {c.kind === card.model ? ' (chosen)' : ''}
                  </th>
                  <td className="num">{c.auc.toFixed(3)}</td>
                  <td className="num">{c.aucStd.toFixed(3)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CalibrationChart card={card} />
          <dl className="model-facts">
            <dt>Trained</dt>
            <dd>{card.trainedAt.slice(0, 16).replace('T', ' ')} UTC</dd>
            <dt>Features from</dt>
            <dd>before {card.cutoff ?? '—'}</dd>
            <dt>Label</dt>
            <dd>the {card.horizonMonths ?? '?'} months after</dd>
            <dt>Training rows</dt>
            <dd>
              {formatInt(card.n)} customers, {formatInt(card.positives)} positive (
              {formatPct(card.positives / card.n)})
            </dd>
            <dt>Scored</dt>
            <dd>
              {card.scored
                ? `${formatInt(card.scored)} customers on data before ${card.scoredAsOf}`
                : 'not yet'}
            </dd>
          </dl>
          <details>
            <summary>{card.features.length} features</summary>
            <p className="feature-list">{card.features.join(', ')}</p>
          </details>
          {card.warnings.length > 0 && (
            <ul className="model-warnings">
              {card.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <p>
        <button type="button" onClick={train} disabled={training}>
          {training ? 'Training…' : card ? 'Train again' : 'Train'}
        </button>
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

function CalibrationChart({ card }: { card: StoreModelCard }) {
  const option = useMemo(() => {
    const pts = card.calibration.map((b) => [b.predicted, b.observed]);
    const max = Math.max(0.05, ...card.calibration.flatMap((b) => [b.predicted, b.observed])) * 1.05;
    return {
      animation: false,
      grid: { left: 48, right: 12, top: 40, bottom: 36 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { value: [number, number] }) =>
          `predicted ${formatPct(p.value[0])}<br/>observed ${formatPct(p.value[1])}`,
      },
      legend: { top: 0, data: ['Deciles (out of fold)', 'Perfect calibration'] },
      xAxis: {
        type: 'value',
        name: 'predicted',
        nameLocation: 'middle',
        nameGap: 24,
        min: 0,
        max,
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      yAxis: {
        type: 'value',
        name: 'observed',
        min: 0,
        max,
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
      },
      series: [
        {
          name: 'Perfect calibration',
          type: 'line',
          data: [
            [0, 0],
            [max, max],
          ],
          showSymbol: false,
          lineStyle: { type: 'dashed', color: '#9aa3af' },
          itemStyle: { color: '#9aa3af' },
        },
        {
          name: 'Deciles (out of fold)',
          type: 'line',
          data: pts,
          symbolSize: 7,
          itemStyle: { color: '#2563eb' },
        },
      ],
    };
  }, [card]);
  return (
    <Chart
      option={option}
      height={220}
      label={`Calibration of the ${card.target} model: predicted against observed rate per decile of prediction, with the diagonal`}
    />
  );
}

function RollupView({
  r,
  by,
  setBy,
  target,
  setTarget,
  stale,
}: {
  r: Rollup;
  by: RollupDimension;
  setBy: (b: RollupDimension) => void;
  target: StorePredictionTarget;
  setTarget: (t: StorePredictionTarget) => void;
  stale: boolean;
}) {
  const churn = target === 'churn';
  const option = useMemo(
    () => ({
      animation: false,
      grid: { left: 130, right: 24, top: 8, bottom: 24 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatEur(v) },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatEur(v) } },
      yAxis: { type: 'category', inverse: true, data: r.rows.map((x) => x.group) },
      series: [
        {
          type: 'bar',
          name: churn ? 'Revenue at risk' : 'Cross-sell potential',
          data: r.rows.map((x) => x.atRisk),
          itemStyle: { color: churn ? '#c8443a' : '#1f8a70' },
        },
      ],
    }),
    [r, churn],
  );
  return (
    <section className={`panel ${stale ? 'stale' : ''}`} aria-labelledby="rollup-h">
      <h2 id="rollup-h">{churn ? 'Expected churn and revenue at risk' : 'Cross-sell potential'}</h2>
      <div className="rollup-controls">
        <label className="period-select">
          Model{' '}
          <select
            aria-label="Model"
            value={target}
            onChange={(e) => setTarget(e.target.value as StorePredictionTarget)}
          >
            <option value="churn">Churn</option>
            <option value="cross_sell">Cross-sell</option>
          </select>
        </label>
        <label className="period-select">
          Group by{' '}
          <select aria-label="Group by" value={by} onChange={(e) => setBy(e.target.value as RollupDimension)}>
            {DIMENSIONS.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="panel-note">
        {r.asOf
          ? `Customers active on ${r.asOf}; expected ${churn ? 'churners' : 'buyers'} within ${r.horizonMonths} months = Σ p. `
          : 'No scores yet: train the model. '}
        Value = last monthly revenue × 12.{' '}
        {churn
          ? 'Revenue at risk = Σ P(churn) × value.'
          : 'Potential = Σ P(buy) × 12 × the mean monthly revenue one more product adds in the segment.'}{' '}
        {by === 'owner' &&
          'Owner = the owner of the customer’s most recent journey, as named in the metrics tree.'}
      </p>
      <div className="predict-grid">
        <table className="journeys" aria-label={`${churn ? 'Churn' : 'Cross-sell'} by ${by}`}>
          <thead>
            <tr>
              <th scope="col">{DIMENSIONS.find((d) => d.id === by)?.label}</th>
              <th scope="col" className="num">
                Customers
              </th>
              <th scope="col" className="num">
                Expected {churn ? 'churners' : 'buyers'}
              </th>
              <th scope="col" className="num">
                Rate
              </th>
              <th scope="col" className="num">
                Annual value
              </th>
              <th scope="col" className="num">
                {churn ? 'Revenue at risk' : 'Potential'}
              </th>
            </tr>
          </thead>
          <tbody>
            {[...r.rows, r.total].map((x) => (
              <tr key={x.group} className={x === r.total ? 'total-row' : ''}>
                <th scope="row">{x.group}</th>
                <td className="num">{formatInt(x.customers)}</td>
                <td className="num">{x.expected.toFixed(1)}</td>
                <td className="num">{formatPct(x.rate)}</td>
                <td className="num">{formatEur(x.value)}</td>
                <td className="num">{formatEur(x.atRisk)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.rows.length > 0 && (
          <Chart
            option={option}
            height={Math.max(160, 30 * r.rows.length + 40)}
            label={`${churn ? 'Revenue at risk' : 'Cross-sell potential'} by ${by}`}
          />
        )}
      </div>
    </section>
  );
}

function AtRiskView({ a, navigate, stale }: { a: AtRisk; navigate: (to: string) => void; stale: boolean }) {
  const open = (e: MouseEvent, id: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(`/customers/${encodeURIComponent(id)}`);
  };
  return (
    <section className={`panel ${stale ? 'stale' : ''}`} aria-labelledby="at-risk-h">
      <h2 id="at-risk-h">Customers to call today</h2>
      <p className="panel-note">
        Highest revenue at risk first: P(churn) × annual value. Reasons are the three features that move the
        customer’s risk most (additive contributions of the model).
      </p>
      {a.rows.length === 0 ? (
        <p className="empty-state">No churn scores yet.</p>
      ) : (
        <table className="journeys at-risk" aria-label="Customers to call today">
          <thead>
            <tr>
              <th scope="col">Customer</th>
              <th scope="col">Segment</th>
              <th scope="col" className="num">
                P(churn)
              </th>
              <th scope="col" className="num">
                Annual value
              </th>
              <th scope="col" className="num">
                Revenue at risk
              </th>
              <th scope="col">Last contact</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {a.rows.map((x) => (
              <tr key={x.customerId} data-testid={`at-risk-${x.customerId}`}>
                <th scope="row">
                  <a
                    href={`/customers/${encodeURIComponent(x.customerId)}`}
                    onClick={(e) => open(e, x.customerId)}
                  >
                    {x.customerId}
                  </a>
                </th>
                <td>
                  {x.segment ?? '—'}
                  <span className="muted"> · {x.region ?? '—'}</span>
                </td>
                <td className="num" data-testid="probability">
                  {formatPct(x.probability)}
                </td>
                <td className="num">{formatEur(x.value)}</td>
                <td className="num" data-testid="revenue-at-risk">
                  {formatEur(x.revenueAtRisk)}
                </td>
                <td className="nowrap">{day(x.lastContact)}</td>
                <td>
                  <ul className="reasons">
                    {x.reasons.map((reason) => (
                      <li key={reason.feature} className={reason.contribution > 0 ? 'up' : 'down'}>
                        {reason.text}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
