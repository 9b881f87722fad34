import { type DiscoverResult, inputError, UNRESTRICTED } from '@cx/core';
import type { Command } from 'commander';
import { importFile } from '../../ingestion/import/import-file.ts';
import type { ColumnSource } from '../../ingestion/import/mapping.ts';
import { discover, type JourneyOptions } from '../../queries/journeys/discover.ts';
import { openStores } from '../../stores.ts';
import { output, withStores } from '../context.ts';

interface DiscoverFlags {
  store?: boolean;
  caseColumn?: string;
  activityColumn?: string;
  timestampColumn?: string;
  separator?: string;
  timestampFormat?: string;
  completeOnly?: boolean;
  classifier?: string;
  json?: boolean;
}

const CLASSIFIERS = ['name', 'name+lifecycle'] as const;

export function registerJourneys(program: Command): void {
  const journeys = program.command('journeys').description('Journey analytics (process mining)');
  journeys
    .command('discover')
    .description(
      'Discover journeys: activities, start/end, directly-follows graph with times, variants, case durations. ' +
        'A file (XES, .xes.gz, CSV, Parquet) is analysed in a temporary in-memory warehouse; --store analyses the stored events.',
    )
    .argument('[file]', 'event log to analyse')
    .option('--store', 'analyse the events in the data directory instead of a file')
    .option('--case-column <name>', 'CSV/Parquet column of the case id (default case:concept:name)')
    .option('--activity-column <name>', 'column of the activity (default concept:name)')
    .option('--timestamp-column <name>', 'column of the timestamp (default time:timestamp)')
    .option('--separator <char>', 'CSV field separator ("\\t" for tab)')
    .option('--timestamp-format <format>', 'strptime format of timestamps, or epoch_ms / epoch_s')
    .option('--complete-only', 'keep only events whose lifecycle is complete (or absent)')
    .option('--classifier <name>', 'activity classifier: name (default, as PM4Py) or name+lifecycle')
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, flags: DiscoverFlags) => {
      const classifier = flags.classifier ?? 'name';
      if (!(CLASSIFIERS as readonly string[]).includes(classifier)) {
        throw inputError(`unknown classifier "${classifier}"; use name or name+lifecycle`, {
          field: '--classifier',
        });
      }
      const opts: JourneyOptions = {
        classifier: classifier as JourneyOptions['classifier'],
        completeOnly: Boolean(flags.completeOnly),
      };
      let result: DiscoverResult;
      if (flags.store) {
        if (file) throw inputError('give either a file or --store, not both', { field: '--store' });
        result = await withStores(({ warehouse }) => discover(warehouse, UNRESTRICTED, opts));
      } else {
        if (!file) throw inputError('give an event log file, or --store', { field: 'file' });
        const map: Record<string, ColumnSource> = {};
        if (flags.caseColumn) map.case_id = flags.caseColumn;
        if (flags.activityColumn) map.activity = flags.activityColumn;
        if (flags.timestampColumn) map.ts = flags.timestampColumn;
        const separator = flags.separator === '\\t' || flags.separator === 'tab' ? '\t' : flags.separator;
        const stores = await openStores('memory');
        try {
          await importFile(stores.warehouse, {
            path: file,
            map: Object.keys(map).length ? map : undefined,
            separator,
            timestampFormat: flags.timestampFormat,
          });
          result = await discover(stores.warehouse, UNRESTRICTED, opts);
        } finally {
          await stores.close();
        }
      }
      output(Boolean(flags.json), result, () => formatDiscover(result));
    });
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
