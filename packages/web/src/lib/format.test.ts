import { describe, expect, it } from 'vitest';
import { formatMonth, formatNps, formatPct } from './format.ts';

describe('formatting', () => {
  it('writes NPS as a signed whole number with a true minus sign', () => {
    expect([formatNps(17.4), formatNps(-8.6), formatNps(0.2), formatNps(null)]).toEqual([
      '+17',
      '−9',
      '0',
      '—',
    ]);
  });
  it('writes shares as percentages and months by name', () => {
    expect(formatPct(0.7753)).toBe('77.5 %');
    expect(formatMonth('2026-01')).toBe('Jan 2026');
  });
});
