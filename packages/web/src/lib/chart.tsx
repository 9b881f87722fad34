import { useEffect, useRef } from 'react';
import { type EChartsCoreOption, echarts } from './echarts.ts';

/**
 * An ECharts chart as a React component. The chart is an image to assistive technology, so callers
 * give it a label that states what it shows (and the page offers the numbers as text elsewhere).
 */
export function Chart({
  option,
  label,
  height = 240,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
