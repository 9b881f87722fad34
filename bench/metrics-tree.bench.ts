import { loadavg } from 'node:os';
import { seedDemo } from '../packages/server/src/demo/seed.ts';
import { createApp } from '../packages/server/src/http/app.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, writeResult } from './lib.ts';

/**
 * The Drivers page's request: POST /api/drivers/node with 1,000 bootstrap resamples on the demo
 * company (20,000 customers ≈ 21,000 survey responses), cold (first request for the node) and
 * warm (answered from the cache, which lives until the next warehouse write).
 */
const customers = Number(process.env.DEMO_CUSTOMERS ?? 20_000);
const stores = await openStores('memory');
try {
  await seedDemo(stores.warehouse, { customers, seed: 42 });
  const app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date() },
    config: { maxBodyBytes: 1 << 20 },
  });
  const post = async (nodeId: string) => {
    const res = await app.request('/api/drivers/node', {
      method: 'POST',
      body: JSON.stringify({ nodeId, resamples: 1000 }),
      headers: { 'content-type': 'application/json' },
    });
    if (res.status !== 200) throw new Error(`${nodeId}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { n: number; method: string; children: unknown[] };
  };
  const nodes: Record<string, unknown>[] = [];
  for (const nodeId of [
    'nps',
    'billing_question',
    'billing_question/hotline',
    'billing_question/hotline/speed',
    'tech_support/hotline/competence',
  ]) {
    // CPU time next to wall time: on a shared 2-core machine the wall time is mostly waiting.
    const cpu0 = process.cpuUsage();
    const cold = await timed(() => post(nodeId));
    const cpu = process.cpuUsage(cpu0);
    const warm = await timed(() => post(nodeId));
    nodes.push({
      nodeId,
      method: cold.value.method,
      responses: cold.value.n,
      drivers: cold.value.children.length,
      coldSeconds: Math.round(cold.seconds * 1000) / 1000,
      coldCpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
      warmSeconds: Math.round(warm.seconds * 1000) / 1000,
    });
  }
  const [counted] = await stores.warehouse.all<{ total: number }>(
    'select count(*)::integer as total from feedback',
  );
  writeResult('metrics-tree', {
    customers,
    feedback: counted?.total,
    resamples: 1000,
    loadAverage: loadavg()[0],
    nodes,
  });
} finally {
  await stores.close();
}
