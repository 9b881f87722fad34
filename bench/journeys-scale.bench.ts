import { FunnelSpecSchema, JourneyModelSchema, PathsSpecSchema, UNRESTRICTED } from '@cx/core';
import { conformance } from '../packages/server/src/queries/journeys/conformance.ts';
import { directlyFollows } from '../packages/server/src/queries/journeys/dfg.ts';
import { funnel } from '../packages/server/src/queries/journeys/funnel.ts';
import { rebuildJourneyIndex } from '../packages/server/src/queries/journeys/journey-index.ts';
import { paths } from '../packages/server/src/queries/journeys/paths.ts';
import { variants } from '../packages/server/src/queries/journeys/variants.ts';
import { openFileStores, timed, writeResult } from './lib.ts';

/**
 * Journey analyses from the warehouse at scale (issue 4 acceptance): DFG with performance, variants,
 * a 4-step funnel (each mode) and paths, on generated logs of JOURNEY_SCALE_EVENTS events (default
 * 1M and 10M), 10 events per case (100k / 1M cases), 20 activities.
 *
 * The journey index is rebuilt after generating, as after every import, and the queries read it
 * (journeySource in queries/journeys/journey-index.ts); its build time is reported too.
 *
 * The log is generated in SQL and shaped like real journey logs, where a few routes carry most cases
 * and the rest form a long tail (BPI receipt: 116 variants for 1,434 cases): each case follows one
 * of 2,000 routes, drawn with a strong skew (route = ⌊2000·u³⌋); on a route, step j is the happy-path
 * activity j (0–9) or one of 10 detours (activities 10–19); 2 % of cases then have one step
 * replaced at random (the noise that makes a long tail of rare variants). Event j happens 1–2 h after
 * event j − 1, so a 1-day funnel window matters for the late steps. Each query runs once to warm up, then
 * is timed `JOURNEY_SCALE_RUNS` times (default 2); the minimum is reported (less noise from other
 * processes on a shared machine).
 */
const sizes = (process.env.JOURNEY_SCALE_EVENTS ?? '1000000,10000000').split(',').map(Number);
const runs = Number(process.env.JOURNEY_SCALE_RUNS ?? 2);
const perCase = 10;

const funnelSpec = (mode: string) =>
  FunnelSpecSchema.parse({
    steps: ['activity 0', 'activity 2', 'activity 5', 'activity 9'],
    windowSeconds: 86_400,
    mode,
  });
const pathsSpec = PathsSpecSchema.parse({ anchor: 'activity 2', direction: 'after', depth: 3, top: 10 });
/** The happy path as the designed journey: activity i → i + 1 within 2 h. */
const model = JourneyModelSchema.parse({
  startActivities: ['activity 0'],
  endActivities: ['activity 9'],
  transitions: Array.from({ length: 9 }, (_, i) => ({
    from: `activity ${i}`,
    to: `activity ${i + 1}`,
    maxSeconds: 7200,
  })),
  expectedOrder: ['activity 0', 'activity 5', 'activity 9'],
});

/** Activity of event i (case i // perCase, step i % perCase); see the header for the shape. */
const route = `floor(2000 * pow((hash(i // ${perCase}, 7) % 1000000) / 1e6, 3))::bigint`;
const noisy = `hash(i // ${perCase}, 8) % 100 < 2 and hash(i // ${perCase}, 9) % ${perCase} = i % ${perCase}`;
const activitySql = `case when ${noisy} then hash(i, 3) % 20
  when hash(${route}, i % ${perCase}) % 10 < 6 then i % ${perCase} else 10 + hash(${route}, i % ${perCase}, 2) % 10 end`;

const results: Record<string, unknown>[] = [];
for (const events of sizes) {
  const { stores, dispose } = await openFileStores('journeys');
  const wh = stores.warehouse;
  const gen = await timed(() =>
    wh.run(
      `insert into events (event_id, customer_id, case_id, ts, activity, channel, load_id)
       select 'e' || i, 'u' || (i // ${perCase} // 2), 'c' || (i // ${perCase}),
              timestamptz '2024-01-01' + to_seconds((i // ${perCase}) * 30 + (i % ${perCase}) * 3600 + hash(i) % 3600),
              'activity ' || ${activitySql},
              case when hash(i // ${perCase}) % 3 = 0 then 'app' else 'web' end, 'bench'
       from range(${events}) t(i)`,
    ),
  );
  // The journey index (positions, successors, variants per case) is built after every load, as
  // `cxc import` does; the queries below read it.
  const index = await timed(() => rebuildJourneyIndex(wh));
  const queries: Record<string, () => Promise<unknown>> = {
    dfg: () => directlyFollows(wh, UNRESTRICTED),
    variants: () => variants(wh, UNRESTRICTED),
    funnelOrdered: () => funnel(wh, UNRESTRICTED, {}, funnelSpec('ordered')),
    funnelStrict: () => funnel(wh, UNRESTRICTED, {}, funnelSpec('strict')),
    funnelAnyOrder: () => funnel(wh, UNRESTRICTED, {}, funnelSpec('any-order')),
    paths: () => paths(wh, UNRESTRICTED, {}, pathsSpec),
    conformance: () => conformance(wh, UNRESTRICTED, {}, model),
  };
  const out: Record<string, unknown> = {
    events,
    cases: events / perCase,
    generateSeconds: round(gen.seconds),
    journeyIndexBuildSeconds: round(index.seconds),
  };
  for (const [name, fn] of Object.entries(queries)) {
    const warm = await timed(fn);
    let best = warm.seconds;
    let cpu = Number.POSITIVE_INFINITY;
    for (let r = 0; r < runs; r++) {
      const c0 = process.cpuUsage();
      best = Math.min(best, (await timed(fn)).seconds);
      const c = process.cpuUsage(c0);
      cpu = Math.min(cpu, (c.user + c.system) / 1e6);
    }
    out[`${name}Seconds`] = round(best);
    // CPU time of all threads: steadier than wall time when other processes share the cores.
    if (runs > 0) out[`${name}CpuSeconds`] = round(cpu);
    if (name === 'funnelOrdered') {
      const f = warm.value as Awaited<ReturnType<typeof funnel>>;
      out.funnelOrderedCases = f.steps.map((s) => s.cases);
    }
    if (name === 'variants') out.variants = (warm.value as unknown[]).length;
    process.stderr.write(`${events} events: ${name} ${round(best)} s (cpu ${round(cpu)} s)\n`);
  }
  results.push(out);
  await dispose();
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

writeResult('journeys-scale', {
  targets: { dfgSeconds: 1, funnelOrderedSeconds: 1, variantsSeconds: 3, atEvents: 10_000_000 },
  note: 'min of JOURNEY_SCALE_RUNS runs after a warm-up (wall and CPU seconds of all threads); DuckDB file in a temporary data directory (as npm start uses), default threads',
  runs: results,
});
