import type { DriverLink, DriverLinkChild } from '@cx/core';
import { formatNps } from '../../lib/format.ts';

/** How a link's weight reads on the tree and in tables: a share with its interval, or NPS points. */
const pct = (x: number) => `${Math.round(100 * x)} %`;
const signed = (x: number, digits = 1) => {
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s.replace('-', '−');
};

export function weightText(link: DriverLink, c: DriverLinkChild): string {
  if (!c.included) return 'left out';
  if (link.method === 'impact') {
    const unit = c.npsPoints !== null ? ' pts' : '';
    return `${signed(c.raw)}${unit} [${c.ci ? `${signed(c.ci.low)}, ${signed(c.ci.high)}` : '—'}]`;
  }
  const r = (x: number) => Math.round(100 * x);
  return `${pct(c.share)} [${c.shareCi ? `${r(c.shareCi.low)}–${r(c.shareCi.high)}` : '—'}]`;
}

export function headlineText(link: DriverLink): string {
  const h = link.parent.headline;
  if (h === null) return '—';
  if (link.measure === 'nps') return `NPS ${formatNps(h)}`;
  return `mean ${h.toFixed(2)}`;
}

export const QUADRANT_LABEL: Record<NonNullable<DriverLinkChild['quadrant']>, string> = {
  concentrate_here: 'Concentrate here',
  keep_up: 'Keep up the good work',
  low_priority: 'Low priority',
  possible_overkill: 'Possible overkill',
};

export const fixed = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits).replace('-', '−');

/** Three significant digits: coefficients range from 0.01 (KPIs) to 30 (NPS points per CSAT point). */
export const sig = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x)
    ? '—'
    : Math.abs(x) >= 100
      ? x.toFixed(0).replace('-', '−')
      : Number(x.toPrecision(3)).toString().replace('-', '−');

export { signed };
