import {
  AppError,
  type ConformanceResult,
  type FunnelDropOff,
  type FunnelResult,
  FunnelSpecSchema,
  inputError,
  isAppError,
  type JourneyModel,
  JourneyModelSchema,
  type PathsResult,
  PathsSpecSchema,
  parseDurationSeconds,
  UNRESTRICTED,
} from '@cx/core';
import type { Command } from 'commander';
import type { z } from 'zod';
import { checkModel, conformance } from '../../queries/journeys/conformance.ts';
import { exportEventsCsv, exportEventsXes } from '../../queries/journeys/export-events.ts';
import { parseJourneyFilter } from '../../queries/journeys/filter-sql.ts';
import { funnel, funnelDropOffCases } from '../../queries/journeys/funnel.ts';
import type { JourneyOptions } from '../../queries/journeys/options.ts';
import { paths } from '../../queries/journeys/paths.ts';
import { output } from '../context.ts';
import { startProgress } from '../progress.ts';
import { addLogOptions, journeyOptions, type LogFlags, readJsonArg, withEventLog } from './journey-source.ts';

interface FilterFlags extends LogFlags {
  filter?: string;
}

/** classifier, lifecycle and `--filter` (inline JSON or a file; errors name the file and field). */
function optionsOf(flags: FilterFlags): JourneyOptions {
  const opts = journeyOptions(flags);
  if (flags.filter === undefined) return opts;
  const { json, file } = readJsonArg(flags.filter, '--filter');
  try {
    return { ...opts, filter: parseJourneyFilter(json, 'filter') };
  } catch (e) {
    if (file && isAppError(e)) throw new AppError(e.code, `${file}, ${e.message}`, { ...e.details, file });
    throw e;
  }
}

/** Parses flags into a spec; a zod failure names the flag the field came from. */
function parseFlags<T extends z.ZodType>(
  schema: T,
  input: unknown,
  flagOf: Record<string, string>,
): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data as z.output<T>;
  const issue = r.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  throw inputError(issue.message, { field: flagOf[key] ?? key });
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const int = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw inputError(`"${v}" is not a whole number`, { field: flag });
  return n;
};

const filterOption = (cmd: Command) =>
  cmd.option(
    '--filter <json|file>',
    'journey filter as JSON, inline or in a file (same shape as the HTTP API)',
  );

export function registerJourneyAnalyses(journeys: Command): void {
  filterOption(
    addLogOptions(
      journeys
        .command('funnel')
        .description(
          'Funnel over ordered steps within a conversion window: cases per step, conversion, drop-off, median and P90 times. ' +
            'Modes: ordered (anything may happen between steps), strict (steps are consecutive events), any-order.',
        ),
    ),
  )
    .requiredOption('--steps <A,B,C>', 'the steps: 2 to 10 activities, comma-separated')
    .option(
      '--window <duration>',
      'conversion window from the first step: 30m, 12h, 7d, 2w or seconds',
      '14d',
    )
    .option('--mode <mode>', 'ordered (default), strict or any-order', 'ordered')
    .option('--breakdown <attribute>', 'channel, journey, touchpoint, source_system, segment or region')
    .option(
      '--drop-off <step>',
      'list the cases that reached step <step> (1-based) but not the next one',
      int('--drop-off'),
    )
    .option('--limit <n>', 'how many drop-off cases to list', int('--limit'), 50)
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string | undefined,
        flags: FilterFlags & {
          steps: string;
          window: string;
          mode: string;
          breakdown?: string;
          dropOff?: number;
          limit: number;
        },
      ) => {
        const windowSeconds = parseDurationSeconds(flags.window);
        if (windowSeconds === null)
          throw inputError(`"${flags.window}" is not a duration such as 30m, 12h, 7d or 2w`, {
            field: '--window',
          });
        const spec = parseFlags(
          FunnelSpecSchema,
          { steps: list(flags.steps), windowSeconds, mode: flags.mode, breakdownBy: flags.breakdown },
          { steps: '--steps', windowSeconds: '--window', mode: '--mode', breakdownBy: '--breakdown' },
        );
        const opts = optionsOf(flags);
        if (flags.dropOff !== undefined) {
          const n = spec.steps.length;
          if (flags.dropOff < 1 || flags.dropOff >= n)
            throw inputError(`must be a step from 1 to ${n - 1} (the last step has no drop-off)`, {
              field: '--drop-off',
            });
          const stepIndex = flags.dropOff - 1;
          const r = await withEventLog(file, flags, (db) =>
            funnelDropOffCases(db, UNRESTRICTED, opts, spec, stepIndex, flags.limit),
          );
          output(Boolean(flags.json), r, () => formatDropOff(r, spec.steps));
          return;
        }
        const r = await withEventLog(file, flags, (db) => funnel(db, UNRESTRICTED, opts, spec));
        output(Boolean(flags.json), r, () => formatFunnel(r));
      },
    );

  filterOption(
    addLogOptions(
      journeys
        .command('paths')
        .description(
          'Paths after or before an anchor activity (from its first occurrence in each case): top paths with % of cases and customers, and Sankey links.',
        ),
    ),
  )
    .requiredOption('--anchor <activity>', 'the touchpoint to look from')
    .option('--direction <after|before>', 'after (default) or before the anchor', 'after')
    .option('--depth <n>', 'steps to follow, 1 to 5', int('--depth'), 3)
    .option('--top <n>', 'how many paths to show', int('--top'), 10)
    .option('--json', 'print the result as JSON')
    .action(
      async (
        file: string | undefined,
        flags: FilterFlags & { anchor: string; direction: string; depth: number; top: number },
      ) => {
        const spec = parseFlags(
          PathsSpecSchema,
          { anchor: flags.anchor, direction: flags.direction, depth: flags.depth, top: flags.top },
          { anchor: '--anchor', direction: '--direction', depth: '--depth', top: '--top' },
        );
        const opts = optionsOf(flags);
        const r = await withEventLog(file, flags, (db) => paths(db, UNRESTRICTED, opts, spec));
        output(Boolean(flags.json), r, () => formatPaths(r));
      },
    );

  filterOption(
    addLogOptions(
      journeys
        .command('conformance')
        .description(
          'Compare the cases with a designed journey (JSON: startActivities, endActivities, transitions [{from, to, maxSeconds?}], expectedOrder?): ' +
            'share of conforming cases and the deviations with their counts and cost in time.',
        ),
    ),
  )
    .requiredOption('--model <file|json>', 'the designed journey, a JSON file (or inline JSON)')
    .option('--json', 'print the result as JSON')
    .action(async (file: string | undefined, flags: FilterFlags & { model: string }) => {
      const model = readModel(flags.model);
      const opts = optionsOf(flags);
      const r = await withEventLog(file, flags, (db) => conformance(db, UNRESTRICTED, opts, model));
      output(Boolean(flags.json), r, () => formatConformance(r));
    });
  filterOption(
    addLogOptions(
      journeys
        .command('export')
        .description(
          'Export the events (of a file, or of the store) as XES or CSV with the standard XES names ' +
            '(case:concept:name, concept:name, time:timestamp, lifecycle:transition, org:resource), for PM4Py, ProM, Disco or Celonis.',
        ),
    ),
  )
    .requiredOption('--out <file>', 'where to write (.xes or .csv)')
    .option('--format <xes|csv>', 'default: from the extension of --out')
    .option('--json', 'print the summary as JSON')
    .action(async (file: string | undefined, flags: FilterFlags & { out: string; format?: string }) => {
      const format = flags.format ?? /\.(xes|csv)$/i.exec(flags.out)?.[1]?.toLowerCase();
      if (format !== 'xes' && format !== 'csv') {
        throw inputError('give --format xes or csv, or an --out file ending in .xes or .csv', {
          field: '--format',
        });
      }
      const opts = optionsOf(flags);
      const progress = startProgress(`export ${flags.out}`, 0, 'events');
      try {
        const r = await withEventLog(file, flags, (db) =>
          format === 'csv'
            ? exportEventsCsv(db, UNRESTRICTED, opts, flags.out)
            : exportEventsXes(db, UNRESTRICTED, opts, flags.out, { onProgress: (n) => progress.update(n) }),
        );
        progress.stop();
        output(
          Boolean(flags.json),
          r,
          () =>
            `${r.events.toLocaleString('en')} events in ${r.cases.toLocaleString('en')} cases → ${r.path}`,
        );
      } finally {
        progress.stop();
      }
    });
}

/** Reads and validates a journey model; errors name the file and the field. */
export function readModel(value: string): JourneyModel {
  const { json, file } = readJsonArg(value, '--model');
  const where = (field: string) => (file ? { file, field } : { field: `--model ${field}` });
  const r = JourneyModelSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    let field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    if (issue.code === 'unrecognized_keys') field = [field, issue.keys[0]].filter(Boolean).join('.');
    const message =
      issue.code === 'unrecognized_keys' ? `unknown field "${issue.keys.join('", "')}"` : issue.message;
    throw inputError(message, where(field || '(model)'));
  }
  checkModel(r.data, '', file);
  return r.data;
}

/** 45 s, 12.5 min, 3.2 h, 2.1 d. */
export function formatSeconds(s: number | null): string {
  if (s === null) return '–';
  if (Math.abs(s) < 90) return `${Number(s.toFixed(1))} s`;
  if (Math.abs(s) < 5400) return `${(s / 60).toFixed(1)} min`;
  if (Math.abs(s) < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)} %`);
const n = (x: number) => x.toLocaleString('en');

export function formatFunnel(r: FunnelResult): string {
  const first = r.steps[0]!.cases;
  const last = r.steps[r.steps.length - 1]!.cases;
  const head = `${r.mode} funnel, window ${formatSeconds(r.windowSeconds)}: ${n(first)} of ${n(r.totalCases)} cases entered, ${n(last)} converted (${pct(first ? last / first : null)}); time to convert median ${formatSeconds(r.medianSecondsToConvert)}, P90 ${formatSeconds(r.p90SecondsToConvert)}`;
  const rows = r.steps.map(
    (s, i) =>
      `  ${String(i + 1).padStart(2)}  ${n(s.cases).padStart(9)}  ${pct(s.conversionFromStart).padStart(8)}  ${pct(s.conversionFromPrevious).padStart(8)}  ${n(s.dropOff).padStart(9)}  ${formatSeconds(s.medianSecondsFromPrevious).padStart(9)}  ${formatSeconds(s.p90SecondsFromPrevious).padStart(9)}  ${s.activity}`,
  );
  const lines = [
    head,
    '  step      cases     start  previous   drop-off     median        P90  activity',
    ...rows,
  ];
  for (const b of r.breakdown ?? []) {
    lines.push(
      `  ${r.breakdownBy} = ${b.value ?? '(none)'}: ${b.steps.map((s) => n(s.cases)).join(' → ')}  (median ${formatSeconds(b.medianSecondsToConvert)})`,
    );
  }
  return lines.join('\n');
}

export function formatDropOff(r: FunnelDropOff, steps: readonly string[]): string {
  return [
    `${n(r.total)} cases reached step ${r.stepIndex + 1} (${steps[r.stepIndex]}) but not ${steps[r.stepIndex + 1]}${r.total > r.cases.length ? `; the latest ${r.cases.length}` : ''}:`,
    ...r.cases.map((c) => `  ${c.caseId}  ${c.customerId ?? '–'}  ${c.reachedAt}`),
  ].join('\n');
}

export function formatPaths(r: PathsResult): string {
  return [
    `${n(r.cases)} cases (${n(r.customers)} customers) with ${r.anchor}; ${n(r.distinctPaths)} distinct paths ${r.direction} it, depth ${r.depth}:`,
    '      cases  customers  path (customers as % of those with the anchor)',
    ...r.paths.map(
      (p) =>
        `  ${n(p.cases).padStart(9)}  ${pct(p.shareOfCustomers).padStart(9)}  ${p.activities.join(' → ')}`,
    ),
  ].join('\n');
}

export function formatConformance(r: ConformanceResult): string {
  const label = (d: ConformanceResult['deviations'][number]) =>
    d.from !== undefined ? `${d.from} → ${d.to}` : (d.activity ?? '');
  return [
    `${n(r.conformingCases)} of ${n(r.cases)} cases conform (${pct(r.share)}); mean case duration ${formatSeconds(r.meanCaseSecondsConforming)} conforming, ${formatSeconds(r.meanCaseSecondsDeviating)} deviating`,
    '      cases  occurrences  extra time  deviation',
    ...r.deviations.map(
      (d) =>
        `  ${n(d.cases).padStart(9)}  ${n(d.occurrences).padStart(11)}  ${formatSeconds(d.extraSeconds).padStart(10)}  ${d.kind} ${label(d)}`,
    ),
  ].join('\n');
}
