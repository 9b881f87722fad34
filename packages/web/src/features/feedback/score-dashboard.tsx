import {
  BREAKDOWN_DIMENSIONS,
  type BreakdownDimension,
  type Metric,
  type Scores,
  type Trend,
} from '@cx/core';
import { useState } from 'react';
import { formatInt, formatOne } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { queryString, shownOf, useGet } from '../../lib/use-get.ts';
import { Breakdown } from './breakdown.tsx';
import { formatScore, METRIC_LABEL } from './format-metric.ts';
import { FeedbackTrendChart } from './trend-chart.tsx';

const METRIC_NOTE: Record<Metric, string> = {
  nps: '% promoters (9–10) − % detractors (0–6); 95 % interval 1.96·√(Var/n)',
  csat: 'share answering 4–5 on 1–5; Wilson 95 % interval',
  ces: 'mean effort on 1–7 (7 = very easy); t 95 % interval',
};
const TEST_NOTE: Record<Metric, string> = {
  nps: 'NPS z-test',
  csat: 'two-proportion z-test',
  ces: 'Welch t-test',
};

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
}

export function ScoreDashboard({ period }: { period: PeriodQuery }) {
  const [metric, setMetric] = useState<Metric>('nps');
  const [grain, setGrain] = useState<'month' | 'week'>('month');
  const [by, setBy] = useState<BreakdownDimension>('journey');
  // "Against the previous period" needs a closed period (from and to); time dimensions always
  // compare each bucket with the one before.
  const [compareWish, setCompare] = useState<'rest' | 'previous'>('rest');
  const canCompare = Boolean(period.from && period.to) && by !== 'month' && by !== 'week';
  const compare = canCompare ? compareWish : 'rest';
  const [trend, retryTrend] = useGet<Trend>(
    `/api/feedback/trend${queryString({ metric, grain, ...period })}`,
  );
  const [scores, retryScores] = useGet<Scores>(
    `/api/feedback/scores${queryString({ metric, by, compare: compare === 'rest' ? undefined : compare, ...period })}`,
  );
  const t = shownOf(trend);
  const s = shownOf(scores);
  return (
    <>
      <div className="fb-controls">
        <fieldset className="segmented">
          <legend className="visually-hidden">Metric</legend>
          {(['nps', 'csat', 'ces'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
              {METRIC_LABEL[m]}
            </button>
          ))}
        </fieldset>
        <span className="method">{METRIC_NOTE[metric]}</span>
      </div>
      {t && <ScoreSummary trend={t} />}
      <section className="panel" aria-labelledby="fb-trend-title">
        <div className="panel-head">
          <h2 id="fb-trend-title">{METRIC_LABEL[metric]} trend</h2>
          <label className="inline-select">
            Bucket{' '}
            <select value={grain} onChange={(e) => setGrain(e.target.value as 'month' | 'week')}>
              <option value="month">Month</option>
              <option value="week">Week</option>
            </select>
          </label>
        </div>
        <p className="panel-note">
          Band: 95 % interval. ▲▼ a change from the previous {grain} that is significant at 5 % (
          {TEST_NOTE[metric]}
          ). Dashed: target; dotted: benchmark
          {t?.benchmark?.source.includes('illustrative') ? ' (illustrative, not published data)' : ''}.
        </p>
        <LoadStatus result={trend} retry={retryTrend} what="trend" />
        {t && (
          <div className={trend.state === 'ready' ? '' : 'stale'} aria-busy={trend.state === 'loading'}>
            <FeedbackTrendChart trend={t} />
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="fb-breakdown-title">
        <div className="panel-head">
          <h2 id="fb-breakdown-title">{METRIC_LABEL[metric]} breakdown</h2>
          {canCompare && (
            <label className="inline-select">
              Test against{' '}
              <select value={compare} onChange={(e) => setCompare(e.target.value as 'rest' | 'previous')}>
                <option value="rest">all other answers</option>
                <option value="previous">the previous period</option>
              </select>
            </label>
          )}
          <label className={canCompare ? 'inline-select next' : 'inline-select'}>
            By{' '}
            <select value={by} onChange={(e) => setBy(e.target.value as BreakdownDimension)}>
              {BREAKDOWN_DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="panel-note">
          Bars: score; whiskers: 95 % interval; dashed rule: target; dotted rule: benchmark. Each group is
          tested against{' '}
          {by === 'month' || by === 'week'
            ? 'the one before'
            : compare === 'previous'
              ? 'itself in the previous period of equal length'
              : 'all other answers'}{' '}
          ({TEST_NOTE[metric]}, Holm-adjusted over the groups) when both sides have at least{' '}
          {s?.minN.reliable ?? 30} answers; cells under {s?.minN.privacy ?? 5} answers are withheld.
        </p>
        <LoadStatus result={scores} retry={retryScores} what="breakdown" />
        {s && (
          <div className={scores.state === 'ready' ? '' : 'stale'} aria-busy={scores.state === 'loading'}>
            <div className="table-scroll">
              <Breakdown scores={s} />
            </div>
          </div>
        )}
      </section>
    </>
  );
}

function ScoreSummary({ trend }: { trend: Trend }) {
  const o = trend.overall;
  const { metric } = trend;
  return (
    <section className="fb-summary" aria-label={`${METRIC_LABEL[metric]} in the period`}>
      <p className="value" data-testid="feedback-score">
        {formatScore(metric, o.score)}
      </p>
      <div>
        <p className="sub">
          {o.ci95
            ? `95 % interval ${formatScore(metric, o.ci95[0])} to ${formatScore(metric, o.ci95[1])}`
            : 'no interval'}
        </p>
        {metric === 'nps' && o.promoters !== null && (
          <p className="sub">
            Promoters {formatOne(100 * o.promoters)} % · passives {formatOne(100 * (o.passives ?? 0))} % ·
            detractors {formatOne(100 * (o.detractors ?? 0))} %
          </p>
        )}
        <p className="sub" data-testid="feedback-n">
          n = {formatInt(o.n)}
          {o.flag === 'unreliable' && ` · fewer than ${trend.minN.reliable} answers: read with care`}
        </p>
      </div>
      <div className="refs">
        {trend.target && <p>{trend.target.label}</p>}
        {trend.benchmark && <p className="muted">{trend.benchmark.label}</p>}
      </div>
    </section>
  );
}
