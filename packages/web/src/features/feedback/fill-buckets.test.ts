import { describe, expect, it } from 'vitest';
import { fillBuckets } from './fill-buckets.ts';

const b = (bucket: string, n: number) => ({
  bucket,
  n,
  score: n,
  ci95: null,
  promoters: null,
  passives: null,
  detractors: null,
  flag: null,
  significance: null,
});

describe('fillBuckets', () => {
  it('adds the silent months between, across a year end', () => {
    const out = fillBuckets([b('2024-11', 40), b('2025-02', 50)], 'month');
    expect(out.map((x) => [x.bucket, x.n, x.score])).toEqual([
      ['2024-11', 40, 40],
      ['2024-12', 0, null],
      ['2025-01', 0, null],
      ['2025-02', 50, 50],
    ]);
  });
  it('adds missing Mondays for weeks and leaves a continuous series alone', () => {
    expect(fillBuckets([b('2024-01-01', 1), b('2024-01-22', 2)], 'week').map((x) => x.bucket)).toEqual([
      '2024-01-01',
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
    ]);
    expect(fillBuckets([b('2024-01', 1), b('2024-02', 2)], 'month')).toHaveLength(2);
  });
});
