import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demo } from '@cx/core';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, withPeakRss, writeResult } from './lib.ts';

/**
 * The demo company that `npm start` seeds: 20,000 customers generated and loaded into a DuckDB file,
 * as on first start. Also the pure generation time, to separate it from the load.
 */
const customers = Number(process.env.DEMO_CUSTOMERS ?? 20_000);

const gen = await timed(async () => {
  let events = 0;
  for (const b of demo.generateDemo({ customers, seed: 42 })) events += b.rows.events.length;
  return events;
});

const dir = mkdtempSync(join(tmpdir(), 'cx-demo-bench-'));
try {
  const stores = await openStores({
    dataDir: dir,
    warehousePath: join(dir, 'cx.duckdb'),
    appStorePath: join(dir, 'app.sqlite'),
    dbThreads: undefined,
  });
  const { peakRssMiB, value } = await withPeakRss(() =>
    timed(() => seedDemo(stores.warehouse, { customers, seed: 42 })),
  );
  const close = await timed(() => stores.close());
  const result = value.value;
  const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
  writeResult('demo', {
    customers,
    seed: 42,
    generateOnlySeconds: Math.round(gen.seconds * 100) / 100,
    generateAndLoadSeconds: Math.round(value.seconds * 100) / 100,
    closeSeconds: Math.round(close.seconds * 100) / 100,
    rows,
    rowsPerSecond: Math.round(rows / value.seconds),
    eventsPerSecond: Math.round(result.counts.events! / value.seconds),
    counts: result.counts,
    peakRssMiB,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
