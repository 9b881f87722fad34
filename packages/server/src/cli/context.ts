import { isAppError } from '@cx/core';
import { type Config, loadConfig } from '../config.ts';
import { openStores, type Stores } from '../stores.ts';

/** Opens the stores of the configured data directory, runs `fn`, and always closes them. */
export async function withStores<T>(fn: (stores: Stores, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const stores = await openStores(config);
  try {
    return await fn(stores, config);
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
