import type { Trend } from '@cx/core';

type Bucket = Trend['buckets'][number];

const empty = (bucket: string): Bucket => ({
  bucket,
  n: 0,
  score: null,
  ci95: null,
  promoters: null,
  passives: null,
  detractors: null,
  flag: 'hidden',
  significance: null,
});

function next(b: string, grain: 'month' | 'week'): string {
  if (grain === 'month') {
    const [y, m] = b.split('-').map(Number) as [number, number];
    return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return new Date(Date.parse(`${b}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The API lists only buckets with answers; a chart needs every month (week) in between, or a gap
 * of three silent months would look like one step. Missing buckets get n = 0 and no score.
 */
export function fillBuckets(buckets: readonly Bucket[], grain: 'month' | 'week'): Bucket[] {
  const out: Bucket[] = [];
  for (const b of buckets) {
    const prev = out.at(-1);
    // Guard against a malformed key looping forever: at most 520 filler buckets per gap.
    for (
      let k = prev ? next(prev.bucket, grain) : b.bucket, i = 0;
      k < b.bucket && i < 520;
      k = next(k, grain), i++
    )
      out.push(empty(k));
    out.push(b);
  }
  return out;
}
