import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStores, type Stores } from '../packages/server/src/stores.ts';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** Writes bench/results/<name>.json with the machine it ran on, and prints a one-line summary. */
export function writeResult(name: string, result: Record<string, unknown>): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const doc = {
    name,
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    ...result,
  };
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`${name}: ${JSON.stringify(result)}\n`);
}

/** Wall time of an async function in seconds, and its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** Samples the resident set size while `fn` runs; returns the peak in MiB. */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ peakRssMiB: number; value: T }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { peakRssMiB: Math.round(peak / 2 ** 20), value };
  } finally {
    clearInterval(timer);
  }
}

/**
 * Stores in a fresh temporary data directory — a DuckDB file, as `npm start` and `cxc` use, not an
 * in-memory database, which DuckDB does not compress (and compression is what lets a scan skip the
 * row groups a filter rules out). `dispose` closes them and deletes the directory.
 */
export async function openFileStores(
  label: string,
): Promise<{ stores: Stores; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `cx-bench-${label}-`));
  const stores = await openStores({
    dataDir: dir,
    warehousePath: join(dir, 'cx.duckdb'),
    appStorePath: join(dir, 'app.sqlite'),
    dbThreads: undefined,
  });
  return {
    stores,
    dispose: async () => {
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
