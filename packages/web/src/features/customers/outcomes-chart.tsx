import type { CustomerOutcome } from '@cx/core';
import { useMemo } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';

/** Monthly revenue (bars) and products held (line, right axis); a churned month is marked red. */
export function OutcomesChart({ outcomes }: { outcomes: CustomerOutcome[] }) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      grid: { left: 48, right: 40, top: 30, bottom: 28 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: ['Revenue (EUR)', 'Products'] },
      xAxis: { type: 'category', data: outcomes.map((o) => o.period.slice(0, 7)) },
      yAxis: [
        { type: 'value', name: 'EUR', nameTextStyle: { align: 'right' } },
        { type: 'value', minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        {
          name: 'Revenue (EUR)',
          type: 'bar',
          color: '#2f6fb3',
          data: outcomes.map((o) => ({
            value: o.revenue,
            itemStyle: { color: o.churned ? '#c8443a' : '#2f6fb3' },
          })),
        },
        {
          name: 'Products',
          type: 'line',
          yAxisIndex: 1,
          step: 'end',
          color: '#1f8a70',
          data: outcomes.map((o) => o.products),
        },
      ],
    }),
    [outcomes],
  );
  if (outcomes.length === 0) return <p className="empty">No monthly outcomes on record.</p>;
  const first = outcomes[0]!;
  const last = outcomes.at(-1)!;
  return (
    <Chart
      option={option}
      height={230}
      label={`Revenue and products by month, ${first.period.slice(0, 7)} to ${last.period.slice(0, 7)}: revenue ${Math.round(first.revenue ?? 0)} to ${Math.round(last.revenue ?? 0)} EUR, products ${first.products ?? '?'} to ${last.products ?? '?'}`}
    />
  );
}
