import { text } from '@cx/core';
import { writeResult } from './lib.ts';
import { loadReviewSets } from './review-sets.ts';

/**
 * Enrichment throughput on one core: enrichComment (clean, truncate, PII redaction, language,
 * sentiment, themes with the default taxonomy) over the women's clothing reviews, repeated until
 * at least ENRICH_COMMENTS (default 50,000) comments. JS is single-threaded, so this is one core.
 * Target (issue 5): ≥ 5,000 comments/s. Reports wall-clock and CPU-time rates (equal on a quiet machine).
 */
const target = Number(process.env.ENRICH_COMMENTS ?? 50_000);
const sets = await loadReviewSets();
const comments = sets.find((s) => s.name === 'clothing')!.reviews.map((r) => r.text);
const opts = { taxonomy: text.DEFAULT_TAXONOMY };

// Warm-up: let the JIT compile the hot paths before timing.
for (let i = 0; i < 2000; i++) text.enrichComment(comments[i % comments.length], opts);

let n = 0;
let chars = 0;
let negative = 0;
const t0 = performance.now();
const c0 = process.cpuUsage();
while (n < target) {
  for (const c of comments) {
    const e = text.enrichComment(c, opts);
    if (e.sentiment === 'negative') negative++;
    chars += c.length;
    n++;
  }
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
// CPU seconds of this process: on a shared, oversubscribed machine wall time overstates the cost.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// The same without theme matching (another module), to show where the time goes.
const c1 = process.cpuUsage();
for (const c of comments) text.enrichComment(c);
const cpuNoThemes = process.cpuUsage(c1);

writeResult('enrichment', {
  comments: n,
  meanChars: Math.round(chars / n),
  seconds: Math.round(seconds * 100) / 100,
  commentsPerSecond: Math.round(n / seconds),
  cpuSeconds: Math.round(cpuSeconds * 100) / 100,
  commentsPerCpuSecond: Math.round(n / cpuSeconds),
  commentsPerCpuSecondWithoutThemes: Math.round(
    comments.length / ((cpuNoThemes.user + cpuNoThemes.system) / 1e6),
  ),
  negativeShare: Math.round((negative / n) * 1000) / 1000,
  target: 5000,
});
