import type { OverviewMonth } from '@cx/core';
import { useMemo } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';
import { formatInt, formatMonth } from '../../lib/format.ts';

export interface TrendSpec {
  id: string;
  title: string;
  /** What the interval is, named in the chart's description. */
  method: string;
  color: string;
  /** Bounds of the scale; the axis zooms to the data inside them, in multiples of `step`. */
  min: number;
  max: number;
  step: number;
  pick: (m: OverviewMonth) => { value: number | null; ci: [number, number] | null; n: number };
  format: (v: number) => string;
}

/**
 * One score per month as a line with its 95 % interval as a band. The band is drawn as two stacked
 * series (lower bound, then width) — `stackStrategy: 'all'` so negative NPS bounds stack correctly.
 */
export function TrendChart({ spec, months }: { spec: TrendSpec; months: OverviewMonth[] }) {
  const points = useMemo(() => months.map((m) => ({ month: m.month, ...spec.pick(m) })), [months, spec]);
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      grid: { left: 44, right: 12, top: 12, bottom: 28 },
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const p = points[params[0]?.dataIndex ?? 0];
          if (!p) return '';
          const v = p.value === null ? 'hidden (n < 5)' : spec.format(p.value);
          const ci = p.ci ? `<br/>95 %: ${spec.format(p.ci[0])} to ${spec.format(p.ci[1])}` : '';
          return `<b>${formatMonth(p.month)}</b><br/>${spec.title}: ${v}${ci}<br/>n = ${formatInt(p.n)}`;
        },
      },
      xAxis: {
        type: 'category',
        data: points.map((p) => p.month),
        axisLabel: { formatter: (v: string) => formatMonth(v).replace(' 20', " '"), color: '#5b6677' },
        axisLine: { lineStyle: { color: '#c9d1dc' } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        // Zoom to the data (and its bands) so month-to-month movement is visible, within the scale.
        min: ({ min, max }: { min: number; max: number }) =>
          Math.max(
            spec.min,
            Math.floor((min - Math.max((max - min) * 0.25, spec.step)) / spec.step) * spec.step,
          ),
        max: ({ min, max }: { min: number; max: number }) =>
          Math.min(
            spec.max,
            Math.ceil((max + Math.max((max - min) * 0.25, spec.step)) / spec.step) * spec.step,
          ),
        splitNumber: 4,
        axisLabel: { formatter: spec.format, color: '#5b6677' },
        splitLine: { lineStyle: { color: '#edf0f4' } },
      },
      series: [
        {
          name: 'lower',
          type: 'line',
          stack: spec.id,
          stackStrategy: 'all',
          data: points.map((p) => p.ci?.[0] ?? '-'),
          lineStyle: { opacity: 0 },
          symbol: 'none',
          silent: true,
        },
        {
          name: '95 % interval',
          type: 'line',
          stack: spec.id,
          stackStrategy: 'all',
          data: points.map((p) => (p.ci ? p.ci[1] - p.ci[0] : '-')),
          lineStyle: { opacity: 0 },
          areaStyle: { color: spec.color, opacity: 0.16 },
          symbol: 'none',
          silent: true,
        },
        {
          name: spec.title,
          type: 'line',
          data: points.map((p) => p.value ?? '-'),
          color: spec.color,
          lineStyle: { width: 2 },
          symbolSize: 5,
          connectNulls: false,
        },
      ],
    }),
    [points, spec],
  );
  const last = [...points].reverse().find((p) => p.value !== null);
  const label = last
    ? `${spec.title} by month with ${spec.method}; ${formatMonth(last.month)}: ${spec.format(last.value!)} (n = ${formatInt(last.n)})`
    : `${spec.title} by month: no answers`;
  return (
    <figure className="trend" aria-labelledby={`${spec.id}-title`}>
      <figcaption id={`${spec.id}-title`}>
        <h3>{spec.title}</h3>
        <span className="method">{spec.method}</span>
      </figcaption>
      <Chart option={option} label={label} height={200} />
    </figure>
  );
}
