import { type DiscoverResult, UNRESTRICTED } from '@cx/core';
import type { Command } from 'commander';
import { discover } from '../../queries/journeys/discover.ts';
import { output } from '../context.ts';
import { registerJourneyAnalyses } from './journey-analyses.ts';
import { addLogOptions, journeyOptions, type LogFlags, withEventLog } from './journey-source.ts';

export function registerJourneys(program: Command): void {
  const journeys = program.command('journeys').description('Journey analytics (process mining)');
  addLogOptions(
    journeys
      .command('discover')
      .description(
        'Discover journeys: activities, start/end, directly-follows graph with times, variants, case durations. ' +
          'A file (XES, .xes.gz, CSV, Parquet) is analysed in a temporary in-memory warehouse; --store analyses the stored events.',
      ),
  )
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, flags: LogFlags) => {
      const opts = journeyOptions(flags);
      const result: DiscoverResult = await withEventLog(file, flags, (db) =>
        discover(db, UNRESTRICTED, opts),
      );
      output(Boolean(flags.json), result, () => formatDiscover(result));
    });
  registerJourneyAnalyses(journeys);
}

export function formatDiscover(r: DiscoverResult): string {
  const n = (x: number) => x.toLocaleString('en');
  const dur = (s: number | null) => (s === null ? '–' : `${(s / 86400).toFixed(2)} d`);
  const lines = [
    `${n(r.events)} events in ${n(r.cases)} cases, ${r.activities.length} activities, ${r.dfg.length} edges, ${r.variants.length} variants`,
    `case duration  mean ${dur(r.caseDurations.mean)}  median ${dur(r.caseDurations.median)}  min ${dur(r.caseDurations.min)}  max ${dur(r.caseDurations.max)}`,
    'top activities:',
    ...r.activities.slice(0, 10).map((a) => `  ${n(a.count).padStart(9)}  ${a.name}`),
    `start: ${r.startActivities.map((a) => `${a.name} (${n(a.count)})`).join(', ')}`,
    `end:   ${r.endActivities.map((a) => `${a.name} (${n(a.count)})`).join(', ')}`,
    'top edges (count, median):',
    ...r.dfg
      .slice(0, 10)
      .map((e) => `  ${n(e.count).padStart(9)}  ${dur(e.medianSeconds)}  ${e.from} → ${e.to}`),
    'top variants:',
    ...r.variants
      .slice(0, 5)
      .map(
        (v) =>
          `  ${n(v.count).padStart(9)}  ${((100 * v.count) / Math.max(r.cases, 1)).toFixed(1)}%  ${v.activities.join(' → ')}`,
      ),
  ];
  return lines.join('\n');
}
