import { describe, expect, it } from 'vitest';
import {
  driverQuadrants,
  importancePerformance,
  ipaQuadrant,
  normalisePerformance,
  whatIf,
} from './importance-performance.ts';
import type { DriverResult } from './types.ts';

const result: DriverResult = {
  n: 100,
  r2: 0.5,
  vif: [1, 1, 1, 1],
  resamples: 200,
  warnings: [],
  weights: [
    // share, mean on 1–5 → performance (mean − 1)/4
    { name: 'speed', raw: 0.2, share: 0.4, sign: 1, correlation: 0.6, mean: 3.0, coefficient: 0.5 },
    {
      name: 'ease',
      raw: 0.15,
      share: 0.3,
      sign: 1,
      correlation: 0.5,
      mean: 4.6,
      coefficient: 0.3,
      coefficientCi: { low: 0.2, high: 0.4 },
    },
    { name: 'courtesy', raw: 0.05, share: 0.1, sign: 1, correlation: 0.2, mean: 4.8, coefficient: 0.1 },
    { name: 'competence', raw: 0.1, share: 0.2, sign: 1, correlation: 0.3, mean: 3.4, coefficient: 0.2 },
  ],
};

describe('importance–performance quadrants (Martilla & James 1977)', () => {
  it('normalises a mean on its scale to 0..1', () => {
    expect(normalisePerformance(4, { min: 1, max: 5 })).toBe(0.75);
    expect(normalisePerformance(0.8, { min: 0, max: 1 })).toBe(0.8);
    expect(() => normalisePerformance(3, { min: 5, max: 5 })).toThrow(/field scale/);
  });

  it('splits at the mean importance and mean performance, by hand', () => {
    // Shares 0.4, 0.3, 0.1, 0.2 → mean 0.25. Performance 0.5, 0.9, 0.95, 0.6 → mean 0.7375.
    const q = driverQuadrants(result, { min: 1, max: 5 });
    expect(q.importanceThreshold).toBeCloseTo(0.25, 12);
    expect(q.performanceThreshold).toBeCloseTo(0.7375, 12);
    expect(Object.fromEntries(q.points.map((p) => [p.name, p.quadrant]))).toEqual({
      speed: 'concentrate_here',
      ease: 'keep_up',
      courtesy: 'possible_overkill',
      competence: 'low_priority',
    });
  });

  it('a point on a threshold counts as high', () => {
    expect(ipaQuadrant(0.25, 0.5, 0.25, 0.5)).toBe('keep_up');
    expect(importancePerformance([]).points).toEqual([]);
  });
});

describe('what-if', () => {
  it('expected change = b_j · x, with the bootstrap interval of b_j scaled by x', () => {
    expect(whatIf(result, 'speed', 0.5)).toEqual({ driver: 'speed', change: 0.5, effect: 0.25 });
    const w = whatIf(result, 'ease', 2);
    expect(w.effect).toBeCloseTo(0.6, 12);
    expect(w.ci!.low).toBeCloseTo(0.4, 12);
    expect(w.ci!.high).toBeCloseTo(0.8, 12);
    // A worsening swaps the ends.
    const down = whatIf(result, 'ease', -1);
    expect(down.ci!.low).toBeCloseTo(-0.4, 12);
    expect(down.ci!.high).toBeCloseTo(-0.2, 12);
  });

  it('names an unknown driver and lists the known ones', () => {
    expect(() => whatIf(result, 'price', 1)).toThrow(
      /field driver: unknown driver "price"; the drivers are speed, ease, courtesy, competence/,
    );
  });
});
