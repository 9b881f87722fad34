import { describe, expect, it } from 'vitest';
import { byCountThenEdge, byCountThenName, byCountThenSequence, compareCodePoints } from './discover.ts';

describe('journey sort orders (as the PM4Py reference files)', () => {
  it('compares strings by code point, not UTF-16 unit', () => {
    // U+FF5E (one unit) < U+1F600 (surrogate pair 0xD83D…) by code point; '<' on units says the opposite.
    expect('\u{1F600}' < '\uFF5E').toBe(true);
    expect(compareCodePoints('\uFF5E', '\u{1F600}')).toBe(-1);
    expect(compareCodePoints('B', 'a')).toBe(-1);
    expect(compareCodePoints('ab', 'ab')).toBe(0);
  });

  it('activities: count desc, then name', () => {
    const xs = [
      { name: 'b', count: 2 },
      { name: 'c', count: 5 },
      { name: 'a', count: 2 },
    ].sort(byCountThenName);
    expect(xs.map((x) => x.name)).toEqual(['c', 'a', 'b']);
  });

  it('edges: count desc, then from, then to', () => {
    const xs = [
      { from: 'b', to: 'a', count: 1 },
      { from: 'a', to: 'b', count: 1 },
      { from: 'a', to: 'a', count: 1 },
      { from: 'z', to: 'z', count: 3 },
    ].sort(byCountThenEdge);
    expect(xs.map((x) => x.from + x.to)).toEqual(['zz', 'aa', 'ab', 'ba']);
  });

  it('variants: count desc, then element by element with a shorter prefix first', () => {
    const xs = [
      { activities: ['a', 'b', 'c'], count: 1 },
      { activities: ['a', 'c'], count: 1 },
      { activities: ['a', 'b'], count: 1 },
      { activities: ['b'], count: 2 },
    ].sort(byCountThenSequence);
    expect(xs.map((x) => x.activities.join(''))).toEqual(['b', 'ab', 'abc', 'ac']);
  });
});
