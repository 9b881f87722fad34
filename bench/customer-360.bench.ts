import { summarizeCustomer } from '@cx/core';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { customerFile } from '../packages/server/src/queries/customers/customer-file.ts';
import { searchCustomers } from '../packages/server/src/queries/customers/search.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, writeResult } from './lib.ts';

/**
 * Customer 360 latency: the whole customer file (8 queries) + extractive summary, and the search by
 * an external id, for 40 customers spread over the store. `CX_BENCH_CUSTOMERS` sets the demo size:
 * 20,000 is the demo (≈ 0.48M events), 42,000 gives ≈ 1M events.
 */
const customers = Number(process.env.CX_BENCH_CUSTOMERS ?? 42_000);
const SAMPLES = 40;

const stores = await openStores('memory');
try {
  const seeded = await timed(() => seedDemo(stores.warehouse, { customers, seed: 42 }));
  const wh = stores.warehouse;
  const [{ events } = { events: 0 }] = await wh.all<{ events: number }>(
    'select count(*) as events from events',
  );
  const ids = await wh.all<{ customer_id: string; external_id: string }>(
    `select customer_id, min(external_id) as external_id from identities
     where hash(customer_id) % ${Math.max(1, Math.floor(customers / SAMPLES))} = 0 group by 1 order by 1 limit ${SAMPLES}`,
  );
  const now = new Date('2026-07-01T00:00:00Z');
  const fileMs: number[] = [];
  const searchMs: number[] = [];
  let maxEvents = 0;
  for (const { customer_id, external_id } of ids) {
    const f = await timed(async () => {
      const file = await customerFile(wh, stores.appStore, customer_id, {}, now);
      summarizeCustomer(file);
      return file;
    });
    fileMs.push(f.seconds * 1000);
    maxEvents = Math.max(
      maxEvents,
      f.value.timeline.reduce((s, c) => s + c.events.length, 0),
    );
    const s = await timed(() => searchCustomers(wh, { q: external_id, limit: 25, offset: 0 }, {}));
    searchMs.push(s.seconds * 1000);
  }
  const q = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  };
  writeResult('customer-360', {
    customers,
    events,
    seedSeconds: Math.round(seeded.seconds),
    samples: ids.length,
    maxEventsPerCustomer: maxEvents,
    fileMs: { median: q(fileMs, 0.5), p95: q(fileMs, 0.95) },
    searchByExternalIdMs: { median: q(searchMs, 0.5), p95: q(searchMs, 0.95) },
  });
} finally {
  await stores.close();
}
