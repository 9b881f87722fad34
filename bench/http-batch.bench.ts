import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApiKey } from '../packages/server/src/app-store/api-keys.ts';
import { systemClock } from '../packages/server/src/deps.ts';
import { createApp } from '../packages/server/src/http/app.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { withPeakRss, writeResult } from './lib.ts';

/**
 * HTTP batch ingestion over localhost (issue 3 target: ≥ 20k events/s with 1,000-message batches,
 * nothing lost, nothing duplicated when a batch is retried). The server runs in this process with
 * an on-disk warehouse in a temp dir; the client is plain `fetch` with a few requests in flight.
 * Env: HTTP_BENCH_BATCHES (200), HTTP_BENCH_SIZE (1000), HTTP_BENCH_CONCURRENCY (8),
 * HTTP_BENCH_RETRY (20 batches re-sent), HTTP_BENCH_TIME_LIMIT_S (300), HTTP_BENCH_PROFILE (dir for a CPU
 * profile of the server).
 */
const BATCHES = Number(process.env.HTTP_BENCH_BATCHES ?? 200);
const SIZE = Number(process.env.HTTP_BENCH_SIZE ?? 1000);
const CONCURRENCY = Number(process.env.HTTP_BENCH_CONCURRENCY ?? 8);
const RETRY = Math.min(BATCHES, Number(process.env.HTTP_BENCH_RETRY ?? 20));
const TIME_LIMIT_MS = Number(process.env.HTTP_BENCH_TIME_LIMIT_S ?? 300) * 1000;
const USERS = 20_000;

const ACTIVITIES = [
  'Viewed Page',
  'Searched',
  'Added to Cart',
  'Started Checkout',
  'Order Completed',
  'Called Support',
  'Opened Ticket',
];
const CHANNELS = ['web', 'app', 'call_centre', 'shop', 'email', 'chat'];
const JOURNEYS = ['onboarding', 'purchase', 'billing question', 'complaint', 'cancellation'];

/** A deterministic batch: a mix of identified and anonymous customers, varied properties. */
function makeBatch(b: number): string {
  const t0 = Date.UTC(2024, 0, 1);
  const batch = [];
  for (let i = 0; i < SIZE; i++) {
    const n = b * SIZE + i;
    const user = (n * 7919) % USERS;
    const anonymous = n % 5 === 0;
    batch.push({
      type: 'track',
      messageId: `bench-${b}-${i}`,
      ...(anonymous ? { anonymousId: `anon-${user}` } : { userId: `user-${user}` }),
      event: ACTIVITIES[n % ACTIVITIES.length],
      timestamp: new Date(t0 + n * 37_000).toISOString(),
      properties: {
        channel: CHANNELS[n % CHANNELS.length],
        journey: JOURNEYS[user % JOURNEYS.length],
        value: n % 100,
        page: `/p/${n % 50}`,
      },
      context: { library: { name: 'bench' } },
    });
  }
  return JSON.stringify({ batch, sentAt: new Date().toISOString() });
}

/**
 * The server runs in a child process (as in production, it does not share its event loop with the
 * client); the parent is the client. They talk over IPC: the child reports its URL and key, and
 * counts the warehouse on request.
 */
if (process.env.HTTP_BENCH_SERVER) {
  const dir = mkdtempSync(join(tmpdir(), 'cx-http-bench-'));
  const stores = await openStores({
    dataDir: dir,
    warehousePath: join(dir, 'cx.duckdb'),
    appStorePath: join(dir, 'app.sqlite'),
    dbThreads: undefined,
  });
  const app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: systemClock,
    config: { maxBodyBytes: 5 * 1024 * 1024 },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { secret } = await createApiKey(stores.appStore, 'bench', new Date());
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/batch`, key: secret });
  let cpu0 = process.cpuUsage();
  process.on('message', async (msg: string) => {
    if (msg === 'start') {
      cpu0 = process.cpuUsage();
      return;
    }
    if (msg !== 'count') return;
    // CPU seconds of the server process (all threads, DuckDB's included) since the client's 'start':
    // wall time is disturbed by other work on a shared machine, CPU time much less.
    const cpu = process.cpuUsage(cpu0);
    const serverCpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(2));
    const [counts] = await stores.warehouse.all(
      "select count(*) as n, count(distinct event_id) as distinct_ids, count(distinct customer_id) as customers from events where event_id like 'bench-%'",
    );
    const [loads] = await stores.warehouse.all(
      "select count(*) as loads from loads where kind = 'batch' and status = 'done'",
    );
    server.close();
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
    process.send?.({ ...counts, ...loads, serverCpuSeconds }, () => process.exit(0));
  });
} else {
  await runClient();
}

async function runClient(): Promise<void> {
  const child = fork(
    join(dirname(fileURLToPath(import.meta.url)), '../bin/run-ts.js'),
    [fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, HTTP_BENCH_SERVER: '1' },
      // HTTP_BENCH_PROFILE=dir writes a CPU profile of the server process there.
      execArgv: process.env.HTTP_BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HTTP_BENCH_PROFILE}`]
        : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; key: string }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = ready.url;
  const auth = `Basic ${Buffer.from(`${ready.key}:`).toString('base64')}`;

  try {
    const bodies = Array.from({ length: BATCHES }, (_, b) => makeBatch(b));
    const bodyMiB = bodies.reduce((s, x) => s + x.length, 0) / 2 ** 20;

    /** Sends the given batches with CONCURRENCY requests in flight; returns per-batch latencies and totals. */
    async function send(indexes: number[], deadline: number) {
      const latencies: number[] = [];
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      let next = 0;
      async function worker() {
        while (next < indexes.length) {
          if (Date.now() > deadline) throw new Error(`time limit of ${TIME_LIMIT_MS / 1000} s exceeded`);
          const b = indexes[next++]!;
          const t = performance.now();
          const res = await fetch(url, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: bodies[b],
          });
          if (res.status !== 200) throw new Error(`batch ${b}: HTTP ${res.status} ${await res.text()}`);
          const r = (await res.json()) as typeof totals;
          latencies.push(performance.now() - t);
          totals.accepted += r.accepted;
          totals.duplicates += r.duplicates;
          totals.rejected += r.rejected;
        }
      }
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      latencies.sort((a, b) => a - b);
      return { latencies, totals };
    }
    const pct = (xs: number[], p: number) =>
      Math.round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0);

    const deadline = Date.now() + TIME_LIMIT_MS;
    child.send('start');
    const clientCpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { peakRssMiB, value: first } = await withPeakRss(() => send([...Array(BATCHES).keys()], deadline));
    const seconds = (performance.now() - t0) / 1000;
    const clientCpu = process.cpuUsage(clientCpu0);

    // Retry a slice spread over the run (as a client would after lost responses): all duplicates.
    const retryIdx = Array.from({ length: RETRY }, (_, i) => Math.floor((i * BATCHES) / RETRY));
    const t1 = performance.now();
    const retry = await send(retryIdx, Date.now() + TIME_LIMIT_MS);
    const retrySeconds = (performance.now() - t1) / 1000;

    type Stored = {
      n: number;
      distinct_ids: number;
      customers: number;
      loads: number;
      serverCpuSeconds: number;
    };
    const stored = await new Promise<Stored>((resolve) => {
      child.once('message', (m) => resolve(m as Stored));
      child.send('count');
    });
    const expected = BATCHES * SIZE;
    const ok =
      stored.n === expected &&
      stored.distinct_ids === expected &&
      first.totals.accepted === expected &&
      retry.totals.duplicates === RETRY * SIZE &&
      retry.totals.accepted === 0 &&
      stored.loads === BATCHES + RETRY;
    writeResult('http-batch', {
      batches: BATCHES,
      batchSize: SIZE,
      concurrency: CONCURRENCY,
      events: expected,
      requestMiB: Number(bodyMiB.toFixed(1)),
      seconds: Number(seconds.toFixed(2)),
      eventsPerSec: Math.round(expected / seconds),
      // First run and retries together: server process (all threads) and client process.
      serverCpuSeconds: stored.serverCpuSeconds,
      serverCpuMicrosPerEvent: Math.round((stored.serverCpuSeconds * 1e6) / ((BATCHES + RETRY) * SIZE)),
      clientCpuSecondsFirstRun: Number(((clientCpu.user + clientCpu.system) / 1e6).toFixed(2)),
      targetEventsPerSec: 20_000,
      batchLatencyMs: {
        p50: pct(first.latencies, 50),
        p95: pct(first.latencies, 95),
        max: pct(first.latencies, 100),
      },
      retriedBatches: RETRY,
      retryEventsPerSec: Math.round((RETRY * SIZE) / retrySeconds),
      retryDuplicates: retry.totals.duplicates,
      storedEvents: stored.n,
      storedDistinctEventIds: stored.distinct_ids,
      customers: stored.customers,
      nothingLostNothingDuplicated: ok,
      clientPeakRssMiB: peakRssMiB,
      loadsRecorded: stored.loads,
    });
    if (!ok) {
      process.stderr.write('http-batch: stored events do not match the messages sent\n');
      process.exitCode = 1;
    }
  } finally {
    // The server exits by itself after counting; kill it only if the run failed before that.
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    }
  }
}
