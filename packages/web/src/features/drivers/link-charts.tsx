import type { DriverLink } from '@cx/core';
import { CustomChart, ScatterChart } from 'echarts/charts';
import { MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { useMemo } from 'react';
import { Chart } from '../../lib/chart.tsx';
import { echarts } from '../../lib/echarts.ts';
import { QUADRANT_LABEL } from './format-link.ts';

// The parts this page needs beyond the shared set: whiskers (custom series), the quadrant scatter
// and its threshold lines and labelled areas. echarts.use is idempotent and global.
echarts.use([CustomChart, ScatterChart, MarkLineComponent, MarkAreaComponent]);

/** The parts of ECharts' callback arguments used here. */
interface CustomApi {
  value(i: number): number;
  coord(v: number[]): number[];
  size(v: number[]): number[];
}
interface LabelParams {
  name: string;
  value: unknown;
  componentType: string;
}

const short = (label: string) => (label.length > 28 ? `${label.slice(0, 27)}…` : label);

/** Children's weights as horizontal bars with their 95 % interval as whiskers. */
export function WeightsChart({ link }: { link: DriverLink }) {
  const impact = link.method === 'impact';
  const option = useMemo(() => {
    const rows = link.children.filter((c) => c.included).toReversed();
    const value = (c: (typeof rows)[number]) => (impact ? c.raw : 100 * c.share);
    const ci = (c: (typeof rows)[number]) =>
      impact ? c.ci : c.shareCi ? { low: 100 * c.shareCi.low, high: 100 * c.shareCi.high } : null;
    return {
      grid: { left: 170, right: 30, top: 10, bottom: 30 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: impact ? 'points' : '% of R²', nameLocation: 'middle', nameGap: 22 },
      // Labels at the left edge, not on the zero line, so negative impacts do not cover them.
      yAxis: { type: 'category', data: rows.map((c) => short(c.label)), axisLine: { onZero: false } },
      series: [
        {
          type: 'bar',
          name: impact ? 'Impact' : 'Share of explained variance',
          data: rows.map((c) => ({
            value: Number(value(c).toFixed(2)),
            itemStyle: {
              color: c.notSignificant ? '#b8c2cc' : c.sign < 0 && !impact ? '#c0504d' : '#2f6fab',
            },
          })),
          barMaxWidth: 22,
        },
        {
          type: 'custom',
          name: '95 % interval',
          // Both ends count for the axis extent, so a whisker never leaves the chart.
          encode: { x: [1, 2], y: 0 },
          data: rows.map((c, i) => {
            const x = ci(c);
            return x ? [i, x.low, x.high] : [i, Number.NaN, Number.NaN];
          }),
          renderItem: (_: unknown, api: CustomApi) => {
            const y = api.value(0);
            const [x1 = Number.NaN, y1 = 0] = api.coord([api.value(1), y]);
            const [x2 = Number.NaN, y2 = 0] = api.coord([api.value(2), y]);
            if (!Number.isFinite(x1) || !Number.isFinite(x2)) return null;
            const h = (api.size([0, 1])[1] ?? 20) * 0.25;
            const style = { stroke: '#222', lineWidth: 1.5 };
            return {
              type: 'group',
              children: [
                { type: 'line', shape: { x1, y1, x2, y2 }, style },
                { type: 'line', shape: { x1, y1: y1 - h, x2: x1, y2: y1 + h }, style },
                { type: 'line', shape: { x1: x2, y1: y2 - h, x2, y2: y2 + h }, style },
              ],
            };
          },
          z: 10,
        },
      ],
    };
  }, [link, impact]);
  const n = link.children.filter((c) => c.included).length;
  return (
    <Chart
      option={option}
      height={Math.max(140, 40 + 34 * n)}
      label={`Weights of the ${n} drivers of ${link.label}, with 95 % intervals (the table below lists the numbers)`}
    />
  );
}

/** Importance (share) against performance (0..1), the cross-hairs at the means, quadrants named. */
export function QuadrantChart({ link }: { link: DriverLink }) {
  const option = useMemo(() => {
    const pts = link.children.filter((c) => c.quadrant !== null && c.performance.normalised !== null);
    const ti = 100 * link.thresholds.importance;
    const tp = 100 * (link.thresholds.performance ?? 0.5);
    const maxI = Math.ceil((Math.max(ti * 2, ...pts.map((c) => 100 * c.share)) * 1.1) / 10) * 10;
    const corner = (name: string, x0: number, x1: number, y0: number, y1: number, pos: string) => [
      { name, xAxis: x0, yAxis: y0, label: { position: pos, color: '#667', fontSize: 11 } },
      { xAxis: x1, yAxis: y1 },
    ];
    return {
      grid: { left: 50, right: 20, top: 20, bottom: 45 },
      tooltip: {
        formatter: (p: LabelParams) =>
          p.componentType === 'series' && Array.isArray(p.value)
            ? `${p.name}<br/>importance ${Number(p.value[1]).toFixed(1)} %<br/>performance ${Number(p.value[0]).toFixed(0)} / 100`
            : '',
      },
      xAxis: {
        type: 'value',
        name: 'Performance (0–100)',
        nameLocation: 'middle',
        nameGap: 28,
        min: 0,
        max: 100,
      },
      yAxis: { type: 'value', name: 'Importance (%)', min: 0, max: Math.ceil(maxI) },
      series: [
        {
          type: 'scatter',
          symbolSize: 12,
          data: pts.map((c) => ({
            name: c.label,
            value: [100 * c.performance.normalised!, 100 * c.share],
            itemStyle: { color: c.quadrant === 'concentrate_here' ? '#c0504d' : '#2f6fab' },
          })),
          label: {
            show: true,
            position: 'right',
            formatter: (p: LabelParams) => short(p.name),
            fontSize: 11,
          },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { type: 'dashed', color: '#888' },
            label: { show: false },
            data: [{ xAxis: tp }, { yAxis: ti }],
          },
          markArea: {
            silent: true,
            itemStyle: { color: 'rgba(0,0,0,0)' },
            data: [
              corner(QUADRANT_LABEL.concentrate_here, 0, tp, ti, Math.ceil(maxI), 'insideTopLeft'),
              corner(QUADRANT_LABEL.keep_up, tp, 100, ti, Math.ceil(maxI), 'insideTopRight'),
              corner(QUADRANT_LABEL.low_priority, 0, tp, 0, ti, 'insideBottomLeft'),
              corner(QUADRANT_LABEL.possible_overkill, tp, 100, 0, ti, 'insideBottomRight'),
            ],
          },
        },
      ],
    };
  }, [link]);
  return (
    <Chart
      option={option}
      height={300}
      label={`Importance–performance quadrant of the drivers of ${link.label} (quadrants listed in the table)`}
    />
  );
}
