import type { JourneyMap } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { designedJourney, happyPath } from './defaults.ts';

const edge = (from: string, to: string, count: number) => ({
  from,
  to,
  count,
  meanSeconds: 1,
  medianSeconds: 1,
  minSeconds: 1,
  maxSeconds: 1,
  sumSeconds: count,
  stdevSeconds: null,
});
const map: JourneyMap = {
  events: 0,
  cases: 100,
  variants: 3,
  activities: [],
  startActivities: [
    { name: 'a', count: 70 },
    { name: 'x', count: 20 },
    { name: 'y', count: 10 },
  ],
  endActivities: [
    { name: 'c', count: 85 },
    { name: 'b', count: 15 },
  ],
  dfg: [edge('a', 'b', 60), edge('b', 'a', 50), edge('b', 'c', 40), edge('a', 'c', 10), edge('x', 'c', 4)],
  caseDurations: { mean: null, median: null, min: null, max: null },
};

describe('journey view defaults', () => {
  it('follows the busiest edges from the main start without revisiting', () => {
    expect(happyPath(map, 5)).toEqual(['a', 'b', 'c']);
    expect(happyPath(map, 2)).toEqual(['a', 'b']);
    expect(happyPath({ ...map, startActivities: [] }, 3)).toEqual([]);
  });

  it('designs a journey from the starts and ends of 80 % of cases and transitions of ≥ 5 % of them', () => {
    expect(designedJourney(map)).toEqual({
      startActivities: ['a', 'x'],
      endActivities: ['c'],
      transitions: [
        { from: 'a', to: 'b' },
        { from: 'b', to: 'a' },
        { from: 'b', to: 'c' },
        { from: 'a', to: 'c' },
      ],
    });
  });
});
