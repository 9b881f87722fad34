import { describe, expect, it } from 'vitest';
import type { ScoreAggregate } from './score-file.ts';
import { compareGroupsToRest, type NpsScore, scoreOf } from './score-results.ts';

const agg = (n: number, over: Partial<ScoreAggregate> = {}): ScoreAggregate => ({
  group: null,
  n,
  promoters: n,
  passives: 0,
  detractors: 0,
  satisfied: n,
  mean: 4,
  sd: 1,
  ...over,
});

describe('minimum-n rules (ANCHORS.md §3: hide below 5, warn below 30)', () => {
  it('hides every score at n = 4, shows them with a warning at n = 5 and 29, plainly at n = 30', () => {
    expect(scoreOf('nps', agg(4))).toMatchObject({ n: 4, nps: null, promoters: null, hidden: true });
    expect(scoreOf('csat', agg(4))).toMatchObject({ n: 4, csat: null, satisfied: null, hidden: true });
    expect(scoreOf('ces', agg(4))).toMatchObject({ n: 4, mean: null, hidden: true });
    expect(scoreOf('nps', agg(5))).toMatchObject({
      nps: 100,
      warning: 'n = 5 is below 30: the score is unreliable',
    });
    expect((scoreOf('nps', agg(29)) as NpsScore).adjustedWald).toBeDefined();
    const ok = scoreOf('nps', agg(30));
    expect(ok.warning).toBeUndefined();
    expect('adjustedWald' in ok).toBe(false);
  });

  it('reports no answers as n = 0 with null scores', () => {
    expect(scoreOf('csat', agg(0, { satisfied: 0, promoters: 0 }))).toMatchObject({
      n: 0,
      csat: null,
      ci95: null,
    });
  });

  it('tests a group against the rest only when both sides have n ≥ 30', () => {
    const groups = [
      agg(40, { promoters: 30, detractors: 10 }),
      agg(29, { promoters: 5, detractors: 24 }),
      agg(40, { promoters: 10, detractors: 30 }),
    ];
    const r = compareGroupsToRest('nps', groups);
    expect(r[1]).toBeUndefined();
    expect(r[0]).toMatchObject({ method: 'nps-z', versus: 'rest' });
    expect(r[0]!.statistic).toBeGreaterThan(0);
    expect(r[2]!.statistic).toBeLessThan(0);
    // Holm over two tests: the smaller p doubled.
    const ps = [r[0]!.p, r[2]!.p];
    expect(Math.min(r[0]!.pHolm, r[2]!.pHolm)).toBeCloseTo(2 * Math.min(...ps), 12);
  });
});
