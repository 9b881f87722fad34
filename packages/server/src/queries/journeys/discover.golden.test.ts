import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DiscoverResult, DiscoverResultSchema, UNRESTRICTED } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../ingestion/import/import-file.ts';
import { openStores } from '../../stores.ts';
import { discover } from './discover.ts';
import { journeySource, rebuildJourneyIndex } from './journey-index.ts';

const LOGS = join(import.meta.dirname, '../../../../../../shared/data/eventlogs');

interface Perf {
  from: string;
  to: string;
  count: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  sum: number;
  stdev: number | null;
}
interface Reference {
  n_events: number;
  n_cases: number;
  activities: { name: string; count: number }[];
  start_activities: { name: string; count: number }[];
  end_activities: { name: string; count: number }[];
  dfg: { from: string; to: string; count: number }[];
  variants: { activities: string[]; count: number }[];
  case_duration_seconds: { mean: number; median: number; min: number; max: number };
  performance_dfg_seconds: Perf[];
}

const ref = (name: string) => JSON.parse(readFileSync(join(LOGS, name), 'utf8')) as Reference;

/** Seconds agree within 1e-6 relative or 1 ms absolute (README tolerance). */
function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  const ok = Math.abs(actual - expected) <= Math.max(1e-3, 1e-6 * Math.abs(expected));
  if (!ok) expect(actual, what).toBe(expected);
}

/** Discovery on the live path (window functions) or from the journey index built after the import. */
async function discoverFile(file: string, indexed: boolean): Promise<DiscoverResult> {
  const s = await openStores('memory');
  try {
    await importFile(s.warehouse, { path: join(LOGS, file) });
    if (indexed) await rebuildJourneyIndex(s.warehouse);
    expect((await journeySource(s.warehouse, UNRESTRICTED)).indexed).toBe(indexed);
    return DiscoverResultSchema.parse(await discover(s.warehouse, UNRESTRICTED));
  } finally {
    await s.close();
  }
}

/** Frequencies from one reference, durations and performance from another (the -tz one for XES). */
const CASES: [file: string, frequencies: string, performance: string][] = [
  ['running-example.xes', 'running-example.xes.pm4py.json', 'running-example.xes.pm4py.json'],
  ['running-example.csv', 'running-example.csv.pm4py.json', 'running-example.csv.pm4py.json'],
  ['receipt.xes', 'receipt.xes.pm4py.json', 'receipt.xes.pm4py-tz.json'],
  ['receipt.csv', 'receipt.csv.pm4py.json', 'receipt.csv.pm4py.json'],
  [
    'roadtraffic100traces.xes',
    'roadtraffic100traces.xes.pm4py.json',
    'roadtraffic100traces.xes.pm4py-tz.json',
  ],
];

describe.each(CASES)('journeys discover %s equals the PM4Py reference', (file, freqName, perfName) => {
  it.each([
    ['live', false],
    ['journey index', true],
  ])('counts, activities, start/end, DFG, variants, durations, performance DFG (%s)', async (_, indexed) => {
    const got = await discoverFile(file, indexed);
    const f = ref(freqName);
    const p = ref(perfName);
    expect(Object.keys(got)).toEqual([
      'events',
      'cases',
      'activities',
      'startActivities',
      'endActivities',
      'dfg',
      'variants',
      'caseDurations',
    ]);
    expect(got.events).toBe(f.n_events);
    expect(got.cases).toBe(f.n_cases);
    expect(got.activities).toEqual(f.activities);
    expect(got.startActivities).toEqual(f.start_activities);
    expect(got.endActivities).toEqual(f.end_activities);
    expect(got.dfg.map(({ from, to, count }) => ({ from, to, count }))).toEqual(f.dfg);
    expect(got.variants).toEqual(f.variants);

    for (const k of ['mean', 'median', 'min', 'max'] as const)
      close(got.caseDurations[k], p.case_duration_seconds[k], `caseDurations.${k}`);
    expect(got.dfg.map((e) => `${e.from}→${e.to}:${e.count}`)).toEqual(
      p.performance_dfg_seconds.map((e) => `${e.from}→${e.to}:${e.count}`),
    );
    p.performance_dfg_seconds.forEach((e, i) => {
      const g = got.dfg[i]!;
      const at = `${e.from}→${e.to}`;
      close(g.meanSeconds, e.mean, `${at} mean`);
      close(g.medianSeconds, e.median, `${at} median`);
      close(g.minSeconds, e.min, `${at} min`);
      close(g.maxSeconds, e.max, `${at} max`);
      close(g.sumSeconds, e.sum, `${at} sum`);
      close(g.stdevSeconds, e.stdev, `${at} stdev`);
    });
  });
});
