import type { Command } from 'commander';
import { listLoads, undoLoad } from '../../ingestion/loads.ts';
import { output, withStores } from '../context.ts';

export function registerLoads(program: Command): void {
  const loads = program.command('loads').description('List or undo loads (every import is one load)');
  loads
    .command('list')
    .description('Loads, newest first, with their row counts')
    .option('--limit <n>', 'how many', '100')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      await withStores(async ({ warehouse }) => {
        const rows = await listLoads(warehouse, Math.max(1, Number(opts.limit) || 100));
        output(Boolean(opts.json), rows, () =>
          rows.length === 0
            ? 'no loads yet (import a file with `cxc import <file>`)'
            : [
                ['load id', 'status', 'kind', 'read', 'stored', 'dup', 'rejected', 'started', 'source'].join(
                  '\t',
                ),
                ...rows.map((l) =>
                  [
                    l.load_id,
                    l.status,
                    l.kind,
                    l.rows_read,
                    l.rows_stored,
                    l.rows_duplicate,
                    l.rows_rejected,
                    l.started_at,
                    l.source,
                  ].join('\t'),
                ),
              ].join('\n'),
        );
      });
    });
  loads
    .command('undo')
    .description('Delete every row a load stored, in one transaction')
    .argument('<id>', 'load id (see `cxc loads list`)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStores(async ({ warehouse }) => {
        const removed = await undoLoad(warehouse, id, new Date());
        const total = Object.values(removed).reduce((a, b) => a + b, 0);
        output(
          Boolean(opts.json),
          { loadId: id, removed },
          () =>
            `undid load ${id}: removed ${total.toLocaleString('en')} rows (${
              Object.entries(removed)
                .filter(([, n]) => n > 0)
                .map(([t, n]) => `${t} ${n}`)
                .join(', ') || 'none'
            })`,
        );
      });
    });
}
