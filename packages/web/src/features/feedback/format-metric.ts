import type { Metric } from '@cx/core';
import { formatNps, formatPct } from '../../lib/format.ts';

export const METRIC_LABEL: Record<Metric, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };

/** A score in its metric's unit: "+32", "78.5 %", "5.42". */
export function formatScore(metric: Metric, v: number | null): string {
  if (v === null) return '—';
  return metric === 'nps' ? formatNps(v) : metric === 'csat' ? formatPct(v) : v.toFixed(2);
}

/** Scale bounds of each metric, and the baseline its bars grow from. */
export const SCALE: Record<Metric, { min: number; max: number; base: number; step: number }> = {
  nps: { min: -100, max: 100, base: 0, step: 10 },
  csat: { min: 0, max: 1, base: 0, step: 0.05 },
  ces: { min: 1, max: 7, base: 1, step: 0.25 },
};

/** A difference in the metric's unit: NPS points, CSAT percentage points, CES points. */
export function formatDelta(metric: Metric, d: number): string {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '';
  const a = Math.abs(d);
  return metric === 'nps'
    ? `${sign}${a.toFixed(1)} pts`
    : metric === 'csat'
      ? `${sign}${(100 * a).toFixed(1)} pp`
      : `${sign}${a.toFixed(2)}`;
}

export function labelOf(v: string | null): string {
  return v === null ? '(not recorded)' : v.replaceAll('_', ' ');
}
