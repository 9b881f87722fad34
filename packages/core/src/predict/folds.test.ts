import { describe, expect, it } from 'vitest';
import { stratifiedFolds, stratifiedSample, subsetRows } from './folds.ts';

const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 26 positives, 77 negatives

describe('stratified folds', () => {
  it('same seed same folds, another seed other folds', () => {
    expect(Array.from(stratifiedFolds(y, 5, 7))).toEqual(Array.from(stratifiedFolds(y, 5, 7)));
    expect(Array.from(stratifiedFolds(y, 5, 7))).not.toEqual(Array.from(stratifiedFolds(y, 5, 8)));
  });
  it('every fold holds ⌊m/k⌋ or ⌈m/k⌉ of each class', () => {
    const f = stratifiedFolds(y, 5, 0);
    for (let k = 0; k < 5; k++) {
      let pos = 0;
      let neg = 0;
      for (let i = 0; i < y.length; i++) if (f[i] === k) y[i] ? pos++ : neg++;
      expect([5, 6]).toContain(pos);
      expect([15, 16]).toContain(neg);
    }
  });
  it('refuses fewer than 2 folds', () => {
    expect(() => stratifiedFolds(y, 1)).toThrow(/folds/);
  });
});

describe('stratified sample', () => {
  it('keeps the positive share and returns sorted distinct rows', () => {
    const s = stratifiedSample(y, 40, 1);
    expect(s.length).toBe(40);
    expect(new Set(s).size).toBe(40);
    expect(Array.from(s)).toEqual(Array.from(s).sort((a, b) => a - b));
    let pos = 0;
    for (const i of s) pos += y[i]!;
    expect(pos).toBe(Math.round((40 * 26) / 103));
    const sub = subsetRows({ x: Float64Array.from(y, (_, i) => i), y, n: 103, p: 1, features: ['i'] }, s);
    expect(Array.from(sub.x)).toEqual(Array.from(s));
  });
});
