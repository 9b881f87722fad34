import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { inputError, text } from '@cx/core';
import type { Command } from 'commander';
import { csvReadSql, explainCsvError, readCsvHeader } from '../../ingestion/import/csv.ts';
import { quoteIdent } from '../../queries/feedback/score-file.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb.ts';
import { csvDialectFromFlags } from '../csv-flags.ts';

/**
 * `cxc text …`: text analytics on any CSV/TSV, without importing it. The group is shared: each
 * registrar gets it with `textCommand(program)` (get-or-create), so `text sentiment` (here) and
 * `text train|classify|themes` (another file) can be registered in any order.
 */
export function textCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'text') ??
    program
      .command('text')
      .description('Text analytics on a CSV/TSV of comments: sentiment, language, themes, classifiers')
  );
}

export interface TextFileFlags {
  textColumn: string;
  idColumn?: string;
  separator?: string;
  encoding?: string;
}

export interface SentimentLine {
  id: string | number;
  sentiment: text.SentimentLabel | null;
  score: number | null;
  language: text.DetectedLang;
}

const PAGE = 10_000;

/**
 * Reads the id and text columns with DuckDB (every cell as text, quoted line breaks handled) into a
 * private in-memory database, then scores page by page and hands out one result per data row in
 * file order. Rows without an id column get their 1-based data row number.
 */
export async function runTextSentiment(
  path: string,
  flags: TextFileFlags,
  emit: (line: SentimentLine) => void | Promise<void>,
): Promise<number> {
  const file = basename(path);
  const dialect = csvDialectFromFlags(path, flags);
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw inputError('no such file (or it is a directory)', { file: path });
  const header = await readCsvHeader(path, file, dialect);
  for (const [flag, col] of [
    ['--text-column', flags.textColumn],
    ['--id-column', flags.idColumn],
  ] as const) {
    if (col !== undefined && !header.includes(col))
      throw inputError(
        `the column "${col}" (${flag}) is not in the header; available columns: ${header.map((h) => `"${h}"`).join(', ')}`,
        { file, line: 1, field: col },
      );
  }
  const db = await openDuckDbWarehouse(':memory:');
  try {
    return await db.transaction(async (tx) => {
      const idExpr = flags.idColumn === undefined ? 'null' : quoteIdent(flags.idColumn);
      try {
        await tx.run(
          `create temp table cx_text_rows as select ${idExpr} as id, ${quoteIdent(flags.textColumn)} as t
           from ${csvReadSql(path, header, dialect)}`,
        );
      } catch (e) {
        throw await explainCsvError(e, path, file, dialect, header.length);
      }
      let n = 0;
      // Keyset paging on rowid (file order), so each page is a seek, not a rescan.
      for (let after = -1; ; ) {
        const rows = await tx.all<{ rid: number; id: string | null; t: string | null }>(
          `select rowid as rid, id, t from cx_text_rows where rowid > ? order by rowid limit ${PAGE}`,
          [after],
        );
        if (rows.length > 0) after = rows[rows.length - 1]!.rid;
        for (const r of rows) {
          n++;
          const e = text.enrichComment(r.t);
          await emit({
            id: flags.idColumn === undefined ? n : (r.id ?? ''),
            sentiment: e.sentiment,
            score: e.sentimentScore,
            language: e.language,
          });
        }
        if (rows.length < PAGE) break;
      }
      return n;
    });
  } finally {
    await db.close();
  }
}

/** Writes to stdout, waiting when the pipe is full so a huge file never piles up in memory. */
function writeOut(chunk: string): Promise<void> | undefined {
  if (process.stdout.write(chunk)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

export function registerText(program: Command): void {
  textCommand(program)
    .command('sentiment')
    .description(
      'Sentiment of every comment (rule-based, en/de/fr, no training): JSON lines {id, sentiment, score, language}; ' +
        'empty comments give sentiment null',
    )
    .argument('<file>', 'CSV or TSV file with a header line')
    .requiredOption('--text-column <name>', 'column holding the comment')
    .option('--id-column <name>', 'column holding the id (default: data row number, 1-based)')
    .option('--separator <char>', 'field separator (default "," or tab for .tsv; "\\t" for tab)')
    .option('--encoding <encoding>', 'utf8 (default) or latin1')
    .action(async (path: string, flags: TextFileFlags) => {
      // `… | head` closes the pipe early: that is the reader's choice, not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
        throw e;
      });
      let buf = '';
      await runTextSentiment(path, flags, async (line) => {
        buf += `${JSON.stringify(line)}\n`;
        if (buf.length > 1 << 16) {
          const b = buf;
          buf = '';
          await writeOut(b);
        }
      });
      if (buf) await writeOut(buf);
    });
}
