import { isAppError } from '@cx/core';
import { type Config, loadConfig } from '../config.ts';
import { isJourneyIndexStale, rebuildJourneyIndex } from '../queries/journeys/journey-index.ts';
import { openStores, type Stores } from '../stores.ts';

/** Opens the stores of the configured data directory, runs `fn`, and always closes them. */
/**
 * Opens the data directory's stores for one command. A command that wrote to the warehouse leaves the
 * journey index fresh behind it (the server would otherwise rebuild it on its next start), so that
 * the journey pages are fast right after `cxc import` or `cxc loads undo`.
 */
export async function withStores<T>(fn: (stores: Stores, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const stores = await openStores(config);
  const writesAtOpen = stores.warehouse.writeCount;
  try {
    const result = await fn(stores, config);
    if (stores.warehouse.writeCount !== writesAtOpen && (await isJourneyIndexStale(stores.warehouse))) {
      const build = await rebuildJourneyIndex(stores.warehouse);
      process.stderr.write(
        `journey index rebuilt: ${build.events.toLocaleString('en')} events, ${build.cases.toLocaleString('en')} cases in ${build.seconds.toFixed(1)} s\n`,
      );
    }
    return result;
  } finally {
    await stores.close();
  }
}

/** Prints a result: JSON when asked, else a human text. */
export function output(json: boolean, value: unknown, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
}

/** Turns any failure into one clear line on stderr and a non-zero exit, never a stack trace for input errors. */
export function reportFailure(e: unknown): never {
  if (isAppError(e)) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exit(e.code === 'bad_input' ? 2 : 1);
  }
  process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}
