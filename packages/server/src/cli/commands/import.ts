import { join } from 'node:path';
import { inputError, isTableKind, TABLE_KINDS } from '@cx/core';
import type { Command } from 'commander';
import { type ImportSummary, importFile } from '../../ingestion/import/import-file.ts';
import { parseMapFlags } from '../../ingestion/import/mapping.ts';
import { currentTextAnalysis } from '../../text/current-analysis.ts';
import { output, withStores } from '../context.ts';
import { startProgress } from '../progress.ts';

interface ImportFlags {
  kind?: string;
  map: string[];
  mapping?: string;
  format?: 'csv' | 'tsv' | 'jsonl' | 'parquet' | 'xes';
  separator?: string;
  encoding?: string;
  timestampFormat?: string;
  sourceSystem?: string;
  skipInvalid?: boolean;
  deadLetter?: string;
  dryRun?: boolean;
  json?: boolean;
}

const FORMATS = ['csv', 'tsv', 'jsonl', 'parquet', 'xes'];

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import a CSV/TSV, JSONL, Parquet or XES (.xes, .xes.gz) file as one load (all or nothing)')
    .argument('<file>', 'the file to import')
    .option(
      '--kind <kind>',
      `table to fill: ${TABLE_KINDS.join('|')} (default events, or the mapping file's kind)`,
    )
    .option(
      '--map <target=source>',
      'map a table column to a source column (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [],
    )
    .option('--mapping <file>', 'mapping file (JSON; see examples/)')
    .option('--format <format>', `${FORMATS.join('|')} (default: from the file name)`)
    .option('--separator <char>', 'CSV field separator (default "," or tab for .tsv; "\\t" for tab)')
    .option('--encoding <encoding>', 'utf8 (default) or latin1')
    .option(
      '--timestamp-format <format>',
      'strptime format of timestamps, e.g. "%d/%m/%Y %H:%M", or epoch_ms / epoch_s',
    )
    .option('--source-system <name>', 'source_system of the rows (default: the file name)')
    .option('--skip-invalid', 'store the valid rows; set invalid ones aside as dead letters')
    .option('--dead-letter <file>', 'dead-letter file (default <data dir>/dead-letters/<load id>.jsonl)')
    .option('--dry-run', 'read, validate and count, then store nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (path: string, flags: ImportFlags) => {
      if (flags.kind !== undefined && !isTableKind(flags.kind)) {
        throw inputError(`unknown kind "${flags.kind}"; use one of ${TABLE_KINDS.join(', ')}`, {
          field: '--kind',
        });
      }
      if (flags.format !== undefined && !FORMATS.includes(flags.format)) {
        throw inputError(`unknown format "${flags.format}"; use one of ${FORMATS.join(', ')}`, {
          field: '--format',
        });
      }
      const encoding = flags.encoding?.toLowerCase().replace(/[-_]/g, '');
      if (encoding !== undefined && !['utf8', 'latin1', 'iso88591'].includes(encoding)) {
        throw inputError(`unknown encoding "${flags.encoding}"; use utf8 or latin1`, { field: '--encoding' });
      }
      const separator = flags.separator === '\\t' || flags.separator === 'tab' ? '\t' : flags.separator;
      await withStores(async ({ warehouse, appStore }, config) => {
        const progress = startProgress(`import ${path}`);
        let summary: ImportSummary;
        try {
          summary = await importFile(warehouse, {
            path,
            kind: flags.kind as never,
            format: flags.format,
            mapping: flags.mapping,
            map: flags.map.length ? parseMapFlags(flags.map) : undefined,
            separator,
            encoding: encoding === undefined ? undefined : encoding === 'utf8' ? 'utf8' : 'latin1',
            timestampFormat: flags.timestampFormat,
            sourceSystem: flags.sourceSystem,
            skipInvalid: flags.skipInvalid,
            deadLetterFile: flags.deadLetter,
            deadLetterDir: join(config.dataDir, 'dead-letters'),
            dryRun: flags.dryRun,
            ...(await currentTextAnalysis(appStore)),
            onProgress: (done, total) => progress.update(done, total),
          });
        } finally {
          progress.stop();
        }
        output(Boolean(flags.json), summary, () => formatSummary(summary));
      });
    });
}

export function formatSummary(s: ImportSummary): string {
  const n = (x: number) => x.toLocaleString('en');
  const lines = [
    `${s.dryRun ? 'dry run (nothing stored)' : `load ${s.loadId}`}: ${s.file} → ${s.kind} (${s.format})`,
    `  rows read       ${n(s.rowsRead)}`,
    `  stored          ${n(s.rowsStored)}`,
    `  duplicate       ${n(s.rowsDuplicate)}`,
    `  rejected        ${n(s.rowsRejected)}`,
    `  time            ${s.seconds.toFixed(2)} s (${n(s.rowsPerSecond)} rows/s)`,
  ];
  if (s.bagColumns.length) lines.push(`  into JSON       ${s.bagColumns.join(', ')}`);
  if (s.ignoredColumns.length) lines.push(`  not stored      ${s.ignoredColumns.join(', ')}`);
  if (s.deadLetterFile) lines.push(`  dead letters    ${s.deadLetterFile}`);
  return lines.join('\n');
}
