import type { Trend } from '@cx/core';
import { useMemo } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';
import { formatInt, formatMonth } from '../../lib/format.ts';
import './feedback-echarts.ts';
import { fillBuckets } from './fill-buckets.ts';
import { formatDelta, formatScore, METRIC_LABEL, SCALE } from './format-metric.ts';

const COLOR = { nps: '#2f6fb3', csat: '#1f8a70', ces: '#b5651d' } as const;

const bucketLabel = (b: string, grain: 'month' | 'week') =>
  grain === 'month' ? formatMonth(b) : `Week of ${b}`;

/**
 * Score per bucket with its 95 % interval as a band (two stacked series: lower bound, then width,
 * `stackStrategy: 'all'` so negative NPS bounds stack correctly), target and benchmark as dashed
 * lines, and a triangle on each bucket whose change from the previous one is significant.
 */
export function FeedbackTrendChart({ trend }: { trend: Trend }) {
  const { metric, grain } = trend;
  const buckets = useMemo(() => fillBuckets(trend.buckets, grain), [trend.buckets, grain]);
  const scale = SCALE[metric];
  const color = COLOR[metric];
  const option = useMemo<EChartsCoreOption>(() => {
    const refs = [trend.target?.value, trend.benchmark?.value].filter((v): v is number => v !== undefined);
    const values = buckets.flatMap((b) => (b.ci95 ? b.ci95 : b.score !== null ? [b.score] : [])).concat(refs);
    const lo = values.length ? Math.min(...values) : scale.min;
    const hi = values.length ? Math.max(...values) : scale.max;
    const pad = Math.max((hi - lo) * 0.1, scale.step);
    const yMin = Math.max(scale.min, Math.floor((lo - pad) / scale.step) * scale.step);
    const yMax = Math.min(scale.max, Math.ceil((hi + pad) / scale.step) * scale.step);
    const sig = buckets.map((b, i) =>
      b.significance?.significant && b.score !== null
        ? {
            value: [i, b.score],
            symbolRotate: b.significance.delta > 0 ? 0 : 180,
            itemStyle: { color: b.significance.delta > 0 ? '#1f8a70' : '#c8443a' },
          }
        : null,
    );
    const markLines = [
      trend.target && {
        yAxis: trend.target.value,
        name: trend.target.label,
        lineStyle: { color: '#1c2533', type: 'dashed', width: 1.5 },
        label: { formatter: trend.target.label, position: 'insideEndTop', color: '#1c2533' },
      },
      trend.benchmark && {
        yAxis: trend.benchmark.value,
        name: trend.benchmark.label,
        lineStyle: { color: '#8a5cc2', type: 'dotted', width: 1.5 },
        label: { formatter: trend.benchmark.label, position: 'insideEndBottom', color: '#6b45a0' },
      },
    ].filter(Boolean);
    return {
      animation: false,
      grid: { left: 52, right: 16, top: 16, bottom: 30 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const b = buckets[params[0]?.dataIndex ?? 0];
          if (!b) return '';
          const v = b.score === null ? `hidden (n < ${trend.minN.privacy})` : formatScore(metric, b.score);
          const ci = b.ci95
            ? `<br/>95 %: ${formatScore(metric, b.ci95[0])} to ${formatScore(metric, b.ci95[1])}`
            : '';
          const s = b.significance
            ? `<br/>vs previous: ${formatDelta(metric, b.significance.delta)}, ${b.significance.method}, p = ${b.significance.p.toFixed(3)}${b.significance.significant ? ' (significant)' : ''}`
            : '';
          return `<b>${bucketLabel(b.bucket, grain)}</b><br/>${METRIC_LABEL[metric]}: ${v}${ci}<br/>n = ${formatInt(b.n)}${s}`;
        },
      },
      xAxis: {
        type: 'category',
        data: buckets.map((b) => b.bucket),
        axisLabel: {
          formatter: (v: string) => (grain === 'month' ? formatMonth(v).replace(' 20', " '") : v.slice(5)),
          color: '#5b6677',
        },
        axisLine: { lineStyle: { color: '#c9d1dc' } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        min: yMin,
        max: yMax,
        splitNumber: 5,
        axisLabel: {
          formatter: (v: number) => formatScore(metric, v).replace(/\.0+ %$/, ' %'),
          color: '#5b6677',
        },
        splitLine: { lineStyle: { color: '#edf0f4' } },
      },
      series: [
        {
          name: 'lower',
          type: 'line',
          stack: 'ci',
          stackStrategy: 'all',
          data: buckets.map((b) => b.ci95?.[0] ?? '-'),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
        },
        {
          name: '95 % interval',
          type: 'line',
          stack: 'ci',
          stackStrategy: 'all',
          data: buckets.map((b) => (b.ci95 ? b.ci95[1] - b.ci95[0] : '-')),
          lineStyle: { opacity: 0 },
          areaStyle: { color, opacity: 0.16 },
          symbol: 'none',
          silent: true,
        },
        {
          name: METRIC_LABEL[metric],
          type: 'line',
          data: buckets.map((b) => b.score ?? '-'),
          color,
          lineStyle: { width: 2 },
          symbolSize: 5,
          connectNulls: false,
          markLine: { symbol: 'none', silent: true, data: markLines },
        },
        {
          name: 'Significant change',
          type: 'scatter',
          symbol: 'triangle',
          symbolSize: 13,
          data: sig.filter((s) => s !== null),
          z: 5,
        },
      ],
    };
  }, [trend, buckets, metric, grain, scale, color]);
  const significant = buckets.filter((b) => b.significance?.significant).length;
  const last = [...buckets].reverse().find((b) => b.score !== null);
  const label = last
    ? `${METRIC_LABEL[metric]} by ${grain} with 95 % intervals; ${bucketLabel(last.bucket, grain)}: ${formatScore(metric, last.score)} (n = ${formatInt(last.n)}); ${significant} significant changes marked`
    : `${METRIC_LABEL[metric]} by ${grain}: no answers`;
  return <Chart option={option} label={label} height={260} />;
}
