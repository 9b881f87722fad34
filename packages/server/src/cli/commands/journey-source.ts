import { readFileSync } from 'node:fs';
import { inputError } from '@cx/core';
import type { Command } from 'commander';
import { importFile } from '../../ingestion/import/import-file.ts';
import type { ColumnSource } from '../../ingestion/import/mapping.ts';
import type { JourneyOptions } from '../../queries/journeys/options.ts';
import { openStores } from '../../stores.ts';
import type { Warehouse } from '../../warehouse/port.ts';
import { withStores } from '../context.ts';

/**
 * Where a `cxc journeys …` command reads its events: an event log file, imported into a temporary
 * in-memory warehouse that is thrown away afterwards, or (`--store`) the events of the data directory.
 * Shared by discover, funnel, paths and conformance so they all accept the same file options.
 */
export interface LogFlags {
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

/** Adds the `[file]` argument and the options that say how to read it. */
export function addLogOptions(cmd: Command): Command {
  return cmd
    .argument('[file]', 'event log to analyse')
    .option('--store', 'analyse the events in the data directory instead of a file')
    .option('--case-column <name>', 'CSV/Parquet column of the case id (default case:concept:name)')
    .option('--activity-column <name>', 'column of the activity (default concept:name)')
    .option('--timestamp-column <name>', 'column of the timestamp (default time:timestamp)')
    .option('--separator <char>', 'CSV field separator ("\\t" for tab)')
    .option('--timestamp-format <format>', 'strptime format of timestamps, or epoch_ms / epoch_s')
    .option('--complete-only', 'keep only events whose lifecycle is complete (or absent)')
    .option('--classifier <name>', 'activity classifier: name (default, as PM4Py) or name+lifecycle');
}

/** The classifier and lifecycle options of the flags, validated. */
export function journeyOptions(flags: LogFlags): JourneyOptions {
  const classifier = flags.classifier ?? 'name';
  if (!(CLASSIFIERS as readonly string[]).includes(classifier)) {
    throw inputError(`unknown classifier "${classifier}"; use name or name+lifecycle`, {
      field: '--classifier',
    });
  }
  return {
    classifier: classifier as JourneyOptions['classifier'],
    completeOnly: Boolean(flags.completeOnly),
  };
}

/** Runs `fn` on the events of the file, or of the store with `--store`. */
export async function withEventLog<T>(
  file: string | undefined,
  flags: LogFlags,
  fn: (db: Warehouse) => Promise<T>,
): Promise<T> {
  if (flags.store) {
    if (file) throw inputError('give either a file or --store, not both', { field: '--store' });
    return withStores(({ warehouse }) => fn(warehouse));
  }
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
    return await fn(stores.warehouse);
  } finally {
    await stores.close();
  }
}

/**
 * A JSON document given on the command line: inline (starting with `{` or `[`) or a file path.
 * Errors name the flag, or the file.
 */
export function readJsonArg(value: string, flag: string): { json: unknown; file?: string } {
  const inline = /^\s*[{[]/.test(value);
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (e) {
      throw inputError(`cannot read ${value}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        field: flag,
      });
    }
  }
  try {
    return inline ? { json: JSON.parse(text) } : { json: JSON.parse(text), file: value };
  } catch (e) {
    throw inputError(`not valid JSON: ${(e as Error).message}`, inline ? { field: flag } : { file: value });
  }
}
