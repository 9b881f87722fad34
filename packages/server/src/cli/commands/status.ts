import type { Command } from 'commander';
import { tableCounts } from '../../queries/table-counts.ts';
import { output, withStores } from '../context.ts';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('Row counts per warehouse table')
    .option('--json', 'print JSON: {"events": n, "customers": n, …}')
    .action(async (opts: { json?: boolean }) => {
      await withStores(async ({ warehouse }, config) => {
        const counts = await tableCounts(warehouse);
        output(Boolean(opts.json), counts, () =>
          [
            `data directory: ${config.dataDir}`,
            ...Object.entries(counts).map(([t, n]) => `${t.padEnd(14)} ${n.toLocaleString('en')}`),
          ].join('\n'),
        );
      });
    });
}
