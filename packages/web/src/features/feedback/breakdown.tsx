import type { Metric, Scores } from '@cx/core';
import { formatInt, formatPct } from '../../lib/format.ts';
import { formatDelta, formatScore, labelOf, SCALE } from './format-metric.ts';

/**
 * The breakdown as a table whose middle column is a bar chart: a bar from the baseline to the score,
 * whiskers for the 95 % interval, the target as a dashed rule. Sorted by score (time dimensions
 * chronologically); withheld and low-n cells are marked in words, not only by colour. The
 * benchmark is a dotted rule.
 */
export function Breakdown({ scores }: { scores: Scores }) {
  const { metric, groups } = scores;
  if (!groups.length) return <p className="empty">No answers in this selection.</p>;
  const scale = SCALE[metric];
  const ends = groups.flatMap((g) => (g.ci95 ? g.ci95 : g.score !== null ? [g.score] : []));
  if (scores.target) ends.push(scores.target.value);
  if (scores.benchmark) ends.push(scores.benchmark.value);
  ends.push(scale.base);
  const pad = scale.step;
  const lo = Math.max(scale.min, Math.floor((Math.min(...ends) - pad) / scale.step) * scale.step);
  const hi = Math.min(scale.max, Math.ceil((Math.max(...ends) + pad) / scale.step) * scale.step);
  const x = (v: number) => `${(100 * (Math.min(hi, Math.max(lo, v)) - lo)) / (hi - lo || 1)}%`;
  const base = Math.min(hi, Math.max(lo, scale.base));
  const tested = groups.some((g) => g.significance);
  return (
    <table className="fb-breakdown">
      <caption className="visually-hidden">
        {scoreName(metric)} by {scores.by}, with 95 % intervals and significance
      </caption>
      <thead>
        <tr>
          <th scope="col">{scores.by[0]!.toUpperCase() + scores.by.slice(1)}</th>
          <th scope="col" className="num">
            {scoreName(metric)}
          </th>
          <th scope="col" className="bar-col">
            <span className="axis">
              <span>{formatScore(metric, lo)}</span>
              <span>{formatScore(metric, hi)}</span>
            </span>
          </th>
          <th scope="col" className="num">
            95 % interval
          </th>
          <th scope="col" className="num">
            n
          </th>
          <th scope="col" className="num">
            Share
          </th>
          <th scope="col">
            {tested
              ? `vs ${groups.find((g) => g.significance)?.significance?.against === 'previous' ? 'previous' : 'rest'}`
              : 'Test'}
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => {
          const s = g.significance;
          const score = g.score;
          return (
            <tr key={g.group ?? '∅'} className={g.flag ?? ''}>
              <th scope="row">{labelOf(g.group)}</th>
              <td
                className={`num score ${metric === 'nps' && score !== null ? (score >= 0 ? 'pos' : 'neg') : ''}`}
              >
                {formatScore(metric, score)}
              </td>
              <td className="bar-col">
                <span className="track" aria-hidden="true">
                  {score !== null && (
                    <span
                      className="bar"
                      style={{
                        left: x(Math.min(base, score)),
                        width: `calc(${x(Math.max(base, score))} - ${x(Math.min(base, score))})`,
                      }}
                    />
                  )}
                  {g.ci95 && (
                    <span
                      className="whisker"
                      style={{ left: x(g.ci95[0]), width: `calc(${x(g.ci95[1])} - ${x(g.ci95[0])})` }}
                    />
                  )}
                  {scores.target && <span className="target" style={{ left: x(scores.target.value) }} />}
                  {scores.benchmark && (
                    <span className="benchmark" style={{ left: x(scores.benchmark.value) }} />
                  )}
                </span>
              </td>
              <td className="num muted">
                {g.ci95 ? `${formatScore(metric, g.ci95[0])} to ${formatScore(metric, g.ci95[1])}` : '—'}
              </td>
              <td className="num">
                {formatInt(g.n)}
                {g.flag === 'unreliable' && (
                  <span
                    className="low-n"
                    title={`Fewer than ${scores.minN.reliable} answers: read with care`}
                  >
                    {' '}
                    low n
                  </span>
                )}
                {g.flag === 'hidden' && (
                  <span className="low-n" title={`Fewer than ${scores.minN.privacy} answers: score withheld`}>
                    {' '}
                    hidden
                  </span>
                )}
              </td>
              <td className="num muted">{formatPct(g.share)}</td>
              <td className="sig">
                {s ? (
                  <span
                    className={s.significant ? (s.delta > 0 ? 'up' : 'down') : 'ns'}
                    title={`${s.method}, p = ${s.p.toPrecision(2)}, Holm-adjusted p = ${s.pAdjusted.toPrecision(2)}`}
                  >
                    {s.significant ? (s.delta > 0 ? '▲ ' : '▼ ') : ''}
                    {formatDelta(metric, s.delta)}
                    {s.significant ? '' : ' (n.s.)'}
                  </span>
                ) : (
                  <span className="muted">not tested</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export const scoreName = (m: Metric) => (m === 'nps' ? 'NPS' : m === 'csat' ? 'CSAT' : 'CES');
