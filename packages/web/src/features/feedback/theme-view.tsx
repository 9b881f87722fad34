import type { ThemeSummary, Themes } from '@cx/core';
import { useMemo } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';
import { formatInt, formatMonth, formatNps, formatPct } from '../../lib/format.ts';
import './feedback-echarts.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { queryString, shownOf, useGet } from '../../lib/use-get.ts';
import { labelOf } from './format-metric.ts';
import type { PeriodQuery } from './score-dashboard.tsx';

/** Sentiment −1..1 as a colour from red through grey to green (clamped; monthly strips double it for contrast). */
function sentimentColor(s: number | null): string {
  if (s === null) return '#9aa4b2';
  const t = Math.max(-1, Math.min(1, s));
  const mix = (a: number, b: number, k: number) => Math.round(a + (b - a) * k);
  const [from, to, k] = t < 0 ? [[154, 164, 178], [200, 68, 58], -t] : [[154, 164, 178], [31, 138, 112], t];
  return `rgb(${mix(from[0]!, to[0]!, k)}, ${mix(from[1]!, to[1]!, k)}, ${mix(from[2]!, to[2]!, k)})`;
}

/** Signed with a true minus; values that round to zero get no sign (no "−0.0"). */
function signed(v: number | null, digits = 1): string {
  if (v === null) return '—';
  const r = Math.abs(v).toFixed(digits);
  if (Number(r) === 0) return r;
  return `${v > 0 ? '+' : '−'}${r}`;
}
const tone = (v: number | null) => (v === null || Math.abs(v) < 0.05 ? '' : v < 0 ? 'neg' : 'pos');

export function ThemeView({ period }: { period: PeriodQuery }) {
  const [result, retry] = useGet<Themes>(`/api/feedback/themes${queryString({ ...period })}`);
  const data = shownOf(result);
  return (
    <>
      <LoadStatus result={result} retry={retry} what="themes" />
      {data && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          {data.themes.length === 0 ? (
            <section className="empty-state" aria-labelledby="fb-no-themes">
              <h2 id="fb-no-themes">No themes yet</h2>
              <p>
                {formatInt(data.comments)} comments in this period, {formatInt(data.enriched)} with sentiment
                or themes. Themes appear once comments are enriched.
              </p>
            </section>
          ) : (
            <>
              <section className="panel" aria-labelledby="fb-impact-title">
                <h2 id="fb-impact-title">Volume and impact on NPS</h2>
                <p className="panel-note">
                  Impact = NPS(all) − NPS(answers without the theme), in points: below zero the theme pulls
                  the NPS down. Colour: mean sentiment (red negative, green positive). NPS over all answers{' '}
                  {formatNps(data.nps.score)} (n = {formatInt(data.nps.n)}).
                </p>
                <ImpactChart themes={data.themes} />
              </section>
              <section className="panel" aria-labelledby="fb-themes-title">
                <h2 id="fb-themes-title">Themes</h2>
                <p className="panel-note">
                  {formatInt(data.comments)} comments, {formatInt(data.enriched)} enriched. Emerging: share in{' '}
                  {data.themes[0]?.emerging.current
                    ? formatMonth(data.themes[0].emerging.current)
                    : 'the latest month'}{' '}
                  rose significantly against the month before (two-proportion z-test, Holm-adjusted, both
                  months ≥ {data.minN.reliable} comments).
                </p>
                <div className="table-scroll">
                  <ThemeTable themes={data.themes} privacy={data.minN.privacy} />
                </div>
              </section>
            </>
          )}
        </div>
      )}
    </>
  );
}

function ImpactChart({ themes }: { themes: ThemeSummary[] }) {
  const shown = themes.filter((t) => t.impact !== null);
  const option = useMemo<EChartsCoreOption>(() => {
    const maxShare = Math.max(...shown.map((t) => t.share), 0.01);
    return {
      animation: false,
      grid: { left: 56, right: 24, top: 20, bottom: 42 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const t = shown[p.dataIndex];
          if (!t) return '';
          return `<b>${labelOf(t.theme)}</b><br/>volume ${formatInt(t.volume)} (${formatPct(t.share)})<br/>impact on NPS ${signed(t.impact)} pts<br/>NPS with theme ${formatNps(t.nps.score)} (n = ${formatInt(t.nps.n)})<br/>sentiment ${signed(t.sentiment.mean, 2)}`;
        },
      },
      xAxis: {
        type: 'value',
        name: 'comments with the theme',
        nameLocation: 'middle',
        nameGap: 26,
        min: 0,
        axisLabel: { color: '#5b6677' },
        splitLine: { lineStyle: { color: '#edf0f4' } },
      },
      yAxis: {
        type: 'value',
        name: 'impact on NPS (points)',
        nameLocation: 'middle',
        nameGap: 40,
        axisLabel: { color: '#5b6677', formatter: (v: number) => signed(v).replace('.0', '') },
        splitLine: { lineStyle: { color: '#edf0f4' } },
      },
      series: [
        {
          type: 'scatter',
          data: shown.map((t) => ({
            value: [t.volume, t.impact],
            symbolSize: 12 + 30 * Math.sqrt(t.share / maxShare),
            itemStyle: { color: sentimentColor(t.sentiment.mean), opacity: 0.85, borderColor: '#fff' },
            label: {
              show: true,
              formatter: labelOf(t.theme),
              position: 'right',
              color: '#1c2533',
              fontSize: 11,
            },
          })),
          markLine: {
            symbol: 'none',
            silent: true,
            data: [{ yAxis: 0 }],
            lineStyle: { color: '#9aa4b2' },
            label: { show: false },
          },
        },
      ],
    };
  }, [shown]);
  const worst = [...shown].sort((a, b) => a.impact! - b.impact!)[0];
  const label = worst
    ? `Themes by volume and impact on NPS; most negative: ${labelOf(worst.theme)} ${signed(worst.impact)} points`
    : 'Themes by volume and impact on NPS: no theme has enough answers';
  return <Chart option={option} label={label} height={340} />;
}

function ThemeTable({ themes, privacy }: { themes: ThemeSummary[]; privacy: number }) {
  return (
    <table className="fb-themes">
      <caption className="visually-hidden">Themes by volume</caption>
      <thead>
        <tr>
          <th scope="col">Theme</th>
          <th scope="col" className="num">
            Comments
          </th>
          <th scope="col" className="num">
            Share
          </th>
          <th scope="col">Sentiment</th>
          <th scope="col" className="num">
            NPS with theme
          </th>
          <th scope="col" className="num">
            Impact on NPS
          </th>
          <th scope="col">Share by month</th>
          <th scope="col">Sentiment by month</th>
          <th scope="col" title="Share in the latest month with at least 30 comments, vs the month before">
            This month
          </th>
        </tr>
      </thead>
      <tbody>
        {themes.map((t) => {
          const total = t.sentiment.negative + t.sentiment.neutral + t.sentiment.positive;
          const pct = (x: number) => `${total ? (100 * x) / total : 0}%`;
          const max = Math.max(...t.monthly.map((m) => m.share ?? 0), 0.0001);
          return (
            <tr key={t.theme}>
              <th scope="row">{labelOf(t.theme)}</th>
              <td className="num">{formatInt(t.volume)}</td>
              <td className="num muted">{formatPct(t.share)}</td>
              <td>
                <span
                  className="sent-bar"
                  title={`${t.sentiment.negative} negative, ${t.sentiment.neutral} neutral, ${t.sentiment.positive} positive`}
                >
                  <span className="neg" style={{ width: pct(t.sentiment.negative) }} />
                  <span className="neu" style={{ width: pct(t.sentiment.neutral) }} />
                  <span className="pos" style={{ width: pct(t.sentiment.positive) }} />
                </span>
                <span className="muted small"> {signed(t.sentiment.mean, 2)}</span>
              </td>
              <td
                className="num"
                title={t.nps.score === null ? `Withheld: fewer than ${privacy} answers` : undefined}
              >
                {formatNps(t.nps.score)} <span className="muted small">n {formatInt(t.nps.n)}</span>
              </td>
              <td
                className={`num ${tone(t.impact)}`}
                title={
                  t.impactCi95
                    ? `95 % interval ${signed(t.impactCi95[0])} to ${signed(t.impactCi95[1])} points`
                    : undefined
                }
              >
                {signed(t.impact)}
                {t.impactCi95 && (
                  <span className="muted small">
                    {' '}
                    ±{((t.impactCi95[1] - t.impactCi95[0]) / 2).toFixed(1)}
                  </span>
                )}
              </td>
              <td>
                <span
                  className="spark"
                  role="img"
                  aria-label={`Share by month: ${t.monthly.map((m) => `${formatMonth(m.month)} ${formatPct(m.share, 0)}`).join(', ')}`}
                >
                  {t.monthly.slice(-12).map((m) => (
                    <span key={m.month} style={{ height: `${Math.max(2, (100 * (m.share ?? 0)) / max)}%` }} />
                  ))}
                </span>
              </td>
              <td>
                <span
                  className="heat"
                  role="img"
                  aria-label={`Mean sentiment by month: ${t.monthly.map((m) => `${formatMonth(m.month)} ${signed(m.sentiment, 2)}`).join(', ')}`}
                >
                  {t.monthly.slice(-12).map((m) => (
                    <span
                      key={m.month}
                      title={`${formatMonth(m.month)}: ${signed(m.sentiment, 2)}`}
                      style={{
                        background: m.sentiment === null ? '#eef1f5' : sentimentColor(m.sentiment * 2),
                      }}
                    />
                  ))}
                </span>
              </td>
              <td>
                {t.emerging.emerging ? (
                  <span
                    className="badge emerging"
                    title={`${formatPct(t.emerging.previousShare)} → ${formatPct(t.emerging.share)}, p = ${t.emerging.test?.p.toPrecision(2)}`}
                  >
                    Emerging
                  </span>
                ) : (
                  <span className="muted small">
                    {t.emerging.share === null
                      ? '—'
                      : `${formatPct(t.emerging.share, 0)}${t.emerging.previousShare === null ? '' : ` vs ${formatPct(t.emerging.previousShare, 0)}`}`}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
