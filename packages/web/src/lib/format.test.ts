import { describe, expect, it } from 'vitest';
import { formatDuration, formatMonth, formatNps, formatPct } from './format.ts';

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
  it('writes durations at a readable unit', () => {
    expect([0, 45, 90, 720, 3_600 * 3.4, 86_400 * 2.1, 86_400 * 12].map(formatDuration)).toEqual([
      '0 s',
      '45 s',
      '1.5 min',
      '12 min',
      '3.4 h',
      '2.1 d',
      '12 d',
    ]);
    expect(formatDuration(null)).toBe('—');
  });
});
