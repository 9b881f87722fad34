import { inputError } from '@cx/core';
import type { Command } from 'commander';
import { seedDemo } from '../../demo/seed.ts';
import { output, withStores } from '../context.ts';

function integer(raw: string, flag: string): number {
  if (!/^-?\d+$/.test(raw.trim()))
    throw inputError(`${flag} must be an integer, got "${raw}"`, { field: flag });
  return Number(raw);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Generate the demo company (a telecom operator, 18 months) into the configured data directory',
    )
    .option('--customers <n>', 'number of customers', '20000')
    .option('--seed <s>', 'random seed: the same customers and seed give the same data', '42')
    .option('--replace', 'replace demo data already in the store instead of refusing')
    .option('--json', 'print JSON: {"loadId", "counts": {"events": n, …}, "seconds"}')
    .action(async (opts: { customers: string; seed: string; replace?: boolean; json?: boolean }) => {
      const customers = integer(opts.customers, '--customers');
      const seed = integer(opts.seed, '--seed');
      await withStores(async ({ warehouse }, config) => {
        const result = await seedDemo(warehouse, {
          customers,
          seed,
          progress: true,
          replace: Boolean(opts.replace),
        });
        output(Boolean(opts.json), result, () =>
          [
            `demo company generated into ${config.dataDir} in ${result.seconds.toFixed(1)} s (load ${result.loadId}; undo with \`cxc loads undo ${result.loadId}\`)`,
            ...Object.entries(result.counts).map(([t, n]) => `${t.padEnd(14)} ${n.toLocaleString('en')}`),
          ].join('\n'),
        );
      });
    });
}
