import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../main.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the cockpit and the API (never generates demo data)')
    .option('--port <n>', 'port (default CX_PORT or 3000)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig();
      if (opts.port) config.port = Number(opts.port);
      await startServer(config, { seedDemoIfEmpty: false });
    });
  program
    .command('start', { hidden: true })
    .description('What `npm start` runs: seed the demo company when the store is empty, then serve')
    .action(async () => {
      await startServer(loadConfig(), { seedDemoIfEmpty: true });
    });
}
