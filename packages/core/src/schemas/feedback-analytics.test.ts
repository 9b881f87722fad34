import { describe, expect, it } from 'vitest';
import { welchTTest } from '../stats/significance.ts';
import {
  CommentsQuerySchema,
  compareAggregates,
  emptyAggregates,
  type MetricAggregates,
  matchSpans,
  meanSdFromSums,
  ScoresQuerySchema,
  sampleFlag,
  scoreCell,
  searchTerms,
  subtractAggregates,
} from './feedback-analytics.ts';

const nps = (promoters: number, passives: number, detractors: number): MetricAggregates => ({
  ...emptyAggregates(),
  n: promoters + passives + detractors,
  promoters,
  passives,
  detractors,
});

describe('minimum-sample flags (ANCHORS.md §3: privacy 5, reliability 30)', () => {
  it('hides below 5 and warns below 30', () => {
    expect([0, 4, 5, 29, 30, 1000].map((n) => sampleFlag(n))).toEqual([
      'hidden',
      'hidden',
      'unreliable',
      'unreliable',
      null,
      null,
    ]);
  });
});

describe('scoreCell', () => {
  it('NPS: p = .5, d = .2, n = 100 → +30 ± 15.3 (ANCHORS.md §3 worked example: ±15 at n = 100)', () => {
    const c = scoreCell('nps', nps(50, 30, 20));
    expect(c.score).toBeCloseTo(30, 10);
    expect(c.ci95![0]).toBeCloseTo(30 - 15.30780807504267, 9);
    expect(c.ci95![1]).toBeCloseTo(30 + 15.30780807504267, 9);
    expect([c.promoters, c.passives, c.detractors]).toEqual([0.5, 0.3, 0.2]);
    expect(c.flag).toBeNull();
  });

  it('CSAT: 60 of 100 in the top two boxes → 60 %, Wilson [50.20 %, 69.06 %]', () => {
    const c = scoreCell('csat', { ...emptyAggregates(), n: 100, top2: 60 });
    expect(c.score).toBe(0.6);
    expect(c.ci95![0]).toBeCloseTo(0.5020025867910618, 12);
    expect(c.ci95![1]).toBeCloseTo(0.6905987135675411, 12);
    expect(c.promoters).toBeNull();
  });

  it('CES: mean and t interval from Σx and Σx² equal those from the raw values', () => {
    // 1, 2, 3, 4, 5, 6, 7: mean 4, s = √(28/6); t(.975, 6) = 2.446911846.
    const c = scoreCell('ces', { ...emptyAggregates(), n: 7, sum: 28, sumSq: 140 });
    expect(c.score).toBe(4);
    const half = 2.446911846 * Math.sqrt(28 / 6 / 7);
    expect(c.ci95![0]).toBeCloseTo(4 - half, 6);
    expect(c.flag).toBe('unreliable');
  });

  it('withholds the score of a cell below the privacy minimum but keeps its n', () => {
    expect(scoreCell('nps', nps(3, 0, 1))).toMatchObject({ n: 4, score: null, ci95: null, flag: 'hidden' });
  });
});

describe('meanSdFromSums', () => {
  it('1, 2, 3, 4 → mean 2.5, s = √(5/3)', () => {
    const r = meanSdFromSums(4, 10, 30)!;
    expect(r.mean).toBe(2.5);
    expect(r.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(meanSdFromSums(0, 0, 0)).toBeNull();
  });
});

describe('compareAggregates', () => {
  it('NPS +30 (n 100) vs −10 (n 100): z = 0.4 / √(.61/100 + .69/100) = 3.508', () => {
    const r = compareAggregates('nps', nps(50, 30, 20), nps(30, 30, 40))!;
    expect(r.method).toBe('nps-z');
    expect(r.statistic).toBeCloseTo(3.508232077228117, 9);
    expect(r.delta).toBeCloseTo(40, 10);
    expect(r.significant).toBe(true);
  });

  it('CES uses Welch on the sums: same result as welchTTest on the summaries', () => {
    const a = { ...emptyAggregates(), n: 40, sum: 200, sumSq: 1080 };
    const b = { ...emptyAggregates(), n: 50, sum: 220, sumSq: 1050 };
    const r = compareAggregates('ces', a, b)!;
    const x = meanSdFromSums(40, 200, 1080)!;
    const y = meanSdFromSums(50, 220, 1050)!;
    const w = welchTTest({ n: 40, ...x }, { n: 50, ...y })!;
    expect(r.statistic).toBeCloseTo(w.statistic, 12);
    expect(r.p).toBeCloseTo(w.p, 12);
    expect(r.delta).toBeCloseTo(5 - 4.4, 12);
  });

  it('does not test when a side has fewer than 30 answers', () => {
    expect(
      compareAggregates(
        'csat',
        { ...emptyAggregates(), n: 29, top2: 20 },
        { ...emptyAggregates(), n: 300, top2: 10 },
      ),
    ).toBeNull();
  });

  it('subtracting a group from the total gives the rest', () => {
    expect(subtractAggregates(nps(50, 30, 20), nps(10, 5, 5))).toMatchObject(nps(40, 25, 15));
  });
});

describe('comment search', () => {
  it('splits words, drops case-insensitive duplicates', () => {
    expect(searchTerms('  Wait  wait hold ')).toEqual(['Wait', 'hold']);
    expect(searchTerms(undefined)).toEqual([]);
  });
  it('finds every hit case-insensitively and merges overlaps', () => {
    expect(matchSpans('Long wait, WAITING again', ['wait'])).toEqual([
      [5, 9],
      [11, 15],
    ]);
    expect(matchSpans('wait', ['wai', 'ait'])).toEqual([[0, 4]]);
    expect(matchSpans('<script>alert(1)</script>', ['script'])).toEqual([
      [1, 7],
      [18, 24],
    ]);
  });
});

describe('query schemas', () => {
  it('default the metric and dimension and refuse unknown ones, naming the field', () => {
    expect(ScoresQuerySchema.parse({})).toMatchObject({ metric: 'nps', by: 'journey', compare: 'rest' });
    const bad = ScoresQuerySchema.safeParse({ by: 'colour' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.path).toEqual(['by']);
  });
  it('coerce numbers from the query string and check their range', () => {
    expect(CommentsQuerySchema.parse({ npsMin: '7', limit: '10' })).toMatchObject({ npsMin: 7, limit: 10 });
    expect(CommentsQuerySchema.safeParse({ npsMax: '11' }).error!.issues[0]!.path).toEqual(['npsMax']);
    expect(CommentsQuerySchema.safeParse({ limit: 'many' }).error!.issues[0]!.path).toEqual(['limit']);
  });
});
