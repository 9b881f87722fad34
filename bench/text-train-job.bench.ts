import { createApp } from '../packages/server/src/http/app.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { addLabels } from '../packages/server/src/text/model-store.ts';
import { writeResult } from './lib.ts';
import { loadReviewSets } from './review-sets.ts';

/**
 * Background training (issue 5): 20,000 labelled clothing reviews (sentiment from the rating), then
 * POST /api/text/models. Measures how fast the request returns, how long the worker-thread training
 * takes, and the event loop's worst delay meanwhile — the server must keep answering while it trains.
 */
const N = 20_000;
const clothing = (await loadReviewSets()).find((s) => s.name === 'clothing')!.reviews.slice(0, N);
const stores = await openStores('memory');
const now = new Date();
const app = createApp({
  ...stores,
  logger: silentLogger(),
  clock: { now: () => now },
  config: { maxBodyBytes: 5 << 20 },
});
await addLabels(
  stores.appStore,
  'sentiment',
  clothing.map((r) => ({ text: r.text, label: r.label })),
  { actor: 'bench', now, source: 'api' },
);

let maxLagMs = 0;
let last = performance.now();
const tick = setInterval(() => {
  const t = performance.now();
  maxLagMs = Math.max(maxLagMs, t - last - 20);
  last = t;
}, 20);

const t0 = performance.now();
const res = await app.request('/api/text/models', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ task: 'sentiment', k: 5 }),
});
const postMs = performance.now() - t0;
const { modelId } = (await res.json()) as { modelId: string };
// While it trains, other requests are answered: the slowest GET is recorded.
let slowestGetMs = 0;
let polls = 0;
let final: { status: string; metrics: { accuracy: number; macroF1: number } | null } = {
  status: 'training',
  metrics: null,
};
while (final.status === 'training') {
  await new Promise((r) => setTimeout(r, 250));
  const g0 = performance.now();
  final = (await (await app.request(`/api/text/models/${modelId}`)).json()) as typeof final;
  slowestGetMs = Math.max(slowestGetMs, performance.now() - g0);
  polls++;
}
const trainSeconds = (performance.now() - t0) / 1000;
clearInterval(tick);
await stores.close();
const result = {
  labels: clothing.length,
  postStatus: res.status,
  postMs: Math.round(postMs),
  status: final.status,
  trainSeconds: Number(trainSeconds.toFixed(1)),
  accuracy: final.metrics?.accuracy,
  macroF1: final.metrics?.macroF1,
  polls,
  slowestGetMs: Math.round(slowestGetMs),
  maxEventLoopLagMs: Math.round(maxLagMs),
};
writeResult('text-train-job', result);
process.stderr.write(`${JSON.stringify(result)}\n`);
