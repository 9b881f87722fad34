import { CommentsQuerySchema, UNRESTRICTED } from '@cx/core';
import { searchComments } from '../packages/server/src/queries/feedback/comments.ts';
import { scoreBreakdown } from '../packages/server/src/queries/feedback/score-breakdown.ts';
import { scoreTrend } from '../packages/server/src/queries/feedback/score-trend.ts';
import { themesSummary } from '../packages/server/src/queries/feedback/themes-summary.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { timed, writeResult } from './lib.ts';

/**
 * Feedback analytics over FEEDBACK_ROWS (default 1M) responses generated in SQL (issue 5: "score
 * breakdowns over 1M responses under 300 ms"): 100k customers in 3 segments × 4 regions, 6
 * journeys, 5 channels, two years, NPS/CSAT/CES on every row, a comment with sentiment and 1–2
 * themes on 30 %. Each query runs once to warm, then RUNS times; p50 and p95 in milliseconds.
 */
const rows = Number(process.env.FEEDBACK_ROWS ?? 1_000_000);
const runs = Number(process.env.RUNS ?? 15);
const stores = await openStores('memory');
const wh = stores.warehouse;

const t0 = performance.now();
await wh.run(
  `insert into customers (customer_id, segment, region, source_system, load_id)
   select 'c' || i, ['consumer', 'business', 'premium'][1 + i % 3], ['north', 'south', 'east', 'west'][1 + (i // 3) % 4],
          'bench', 'bench'
   from range(100000) t(i)`,
);
await wh.run(
  `insert into feedback (response_id, customer_id, ts, survey_id, journey, touchpoint, channel, nps, csat, ces,
                         comment, language, sentiment, sentiment_score, themes, source_system, load_id)
   select 'r' || i, 'c' || (hash(i) % 100000),
          timestamptz '2024-01-01' + to_seconds((hash(i * 7) % (730 * 86400))::bigint),
          'tx_' || j, j, j || ' step ' || (i % 4), ['web', 'app', 'call_centre', 'shop', 'chat'][1 + (hash(i * 3) % 5)::bigint],
          (hash(i * 11) % 11)::integer, 1 + (hash(i * 13) % 5)::integer, 1 + (hash(i * 17) % 7)::integer,
          case when c then ['I waited ' || (i % 50) || ' minutes on hold', 'Friendly and competent staff',
                            'The invoice was wrong again', 'App keeps crashing', 'Quick and easy'][1 + (hash(i * 19) % 5)::bigint] end,
          case when c then 'en' end,
          case when c then ['negative', 'positive', 'negative', 'negative', 'positive'][1 + (hash(i * 19) % 5)::bigint] end,
          case when c then [-0.6, 0.7, -0.5, -0.8, 0.6][1 + (hash(i * 19) % 5)::bigint] end,
          case when c then [['waiting_time'], ['staff_courtesy', 'staff_competence'], ['billing'], ['app_website'],
                            ['ease']][1 + (hash(i * 19) % 5)::bigint] end,
          'bench', 'bench'
   from (select i, ['billing', 'onboarding', 'support', 'moving', 'upgrade', 'complaint'][1 + (hash(i * 5) % 6)::bigint] as j,
                hash(i * 23) % 10 < 3 as c
         from range(${rows}) t(i))`,
);
const generateSeconds = (performance.now() - t0) / 1000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]! * 10) / 10;
};
const period = {};
const queries: Record<string, () => Promise<unknown>> = {
  npsByJourney: () =>
    scoreBreakdown(wh, { metric: 'nps', by: 'journey', compare: 'rest' }, UNRESTRICTED, period),
  npsByChannel: () =>
    scoreBreakdown(wh, { metric: 'nps', by: 'channel', compare: 'rest' }, UNRESTRICTED, period),
  npsByMonth: () => scoreBreakdown(wh, { metric: 'nps', by: 'month', compare: 'rest' }, UNRESTRICTED, period),
  npsByRegion: () =>
    scoreBreakdown(wh, { metric: 'nps', by: 'region', compare: 'rest' }, UNRESTRICTED, period),
  npsByTheme: () => scoreBreakdown(wh, { metric: 'nps', by: 'theme', compare: 'rest' }, UNRESTRICTED, period),
  cesByJourney: () =>
    scoreBreakdown(wh, { metric: 'ces', by: 'journey', compare: 'rest' }, UNRESTRICTED, period),
  npsByJourneyScoped: () =>
    scoreBreakdown(wh, { metric: 'nps', by: 'journey', compare: 'rest' }, { regions: ['north'] }, period),
  npsTrendWeekly: () => scoreTrend(wh, 'nps', 'week', UNRESTRICTED, period),
  commentSearch: () =>
    searchComments(wh, CommentsQuerySchema.parse({ q: 'invoice wrong', limit: '25' }), UNRESTRICTED, period),
  commentFilter: () =>
    searchComments(
      wh,
      CommentsQuerySchema.parse({ category: 'detractor', theme: 'waiting_time', limit: '25' }),
      UNRESTRICTED,
      period,
    ),
  themesSummary: () => themesSummary(wh, UNRESTRICTED, period),
};
const results: Record<string, { p50Ms: number; p95Ms: number }> = {};
for (const [name, fn] of Object.entries(queries)) {
  await fn(); // warm
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) ms.push((await timed(fn)).seconds * 1000);
  results[name] = { p50Ms: pct(ms, 0.5), p95Ms: pct(ms, 0.95) };
  process.stderr.write(`${name}: p50 ${results[name].p50Ms} ms, p95 ${results[name].p95Ms} ms\n`);
}
await stores.close();
const breakdowns = ['npsByJourney', 'npsByChannel', 'npsByMonth'] as const;
writeResult('feedback-breakdown', {
  rows,
  runs,
  generateSeconds: Math.round(generateSeconds * 10) / 10,
  targetMs: 300,
  breakdownsUnderTarget: breakdowns.every((b) => results[b]!.p95Ms < 300),
  results,
});
