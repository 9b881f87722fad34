import { describe, expect, it } from 'vitest';
import { describePeriod, periodOptions } from './period-select.tsx';

describe('period options', () => {
  const months = ['2024-11', '2024-12', '2025-01', '2025-02', '2025-03'];

  it('offers all data, the last 3 months with data (across a year end) and each year, newest first', () => {
    expect(periodOptions(months)).toEqual([
      { id: 'all', label: 'All data' },
      { id: 'last-3', label: 'Last 3 months', from: '2025-01-01' },
      { id: '2025', label: '2025', from: '2025-01-01', to: '2025-12-31' },
      { id: '2024', label: '2024', from: '2024-01-01', to: '2024-12-31' },
    ]);
  });

  it('offers only "All data" without data', () => {
    expect(periodOptions([])).toEqual([{ id: 'all', label: 'All data' }]);
  });

  it('describes a period by its months', () => {
    expect(describePeriod({ id: 'all', label: 'All data' }, months)).toBe('Nov 2024 – Mar 2025');
    expect(describePeriod({ id: '2024', label: '2024', from: '2024-01-01', to: '2024-12-31' }, months)).toBe(
      'Jan 2024 – Dec 2024',
    );
  });
});
