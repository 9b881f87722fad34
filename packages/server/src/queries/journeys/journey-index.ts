import type { DataScope } from '@cx/core';
import type { Warehouse } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';
import type { Frag } from './filter-sql.ts';
import { indexCaseFilter } from './index-case-filter.ts';
import { type Db, eventsCte, type JourneyOptions, type Sql, secondsBetween } from './options.ts';

/**
 * The journey index (DESIGN.md §2: "precompute what every journey query needs"): each event's
 * position in its case and its directly-follows successor (`journey_steps`), each case's variant
 * fingerprint and duration (`journey_cases`), and each variant's activity sequence
 * (`journey_variants`). With it the DFG is a GROUP BY over stored rows and variants a GROUP BY over
 * cases, instead of a window sort over every event per request.
 *
 * It is rebuilt whole (`rebuildJourneyIndex`) after loads — by `cxc import`, the demo seed and, in
 * the server, a background job — and used only while it is fresh: built at the warehouse's current
 * write count, or, after a restart, from events with the same fingerprint. Otherwise every query
 * takes the live path (window functions over the events), which gives the same numbers.
 *
 * It answers for the default journey view: case = case_id, activity = name, every lifecycle, a
 * scope restricted at most by region/segment (customer attributes) and journey — provided no case
 * mixes customers (journeys), since then such a scope would remove events inside a case — and the
 * case-level filters of index-case-filter.ts, which keep or drop whole cases. Event-level filters
 * and channel scopes remove events inside cases, so they change successors and go live.
 */

export interface JourneyIndexBuild {
  events: number;
  cases: number;
  variants: number;
  seconds: number;
}

/**
 * A case's variant fingerprint: the XOR over its steps of a hash of (activity, position). Each pair is
 * re-hashed on its own — `hash(a, b)` combines the two hashes in a way that XOR-ing over the case
 * would cancel, losing the order — so two sequences share a fingerprint only by a 2^-64 accident.
 */
export const VARIANT_FINGERPRINT = (activity: string, position: string): string =>
  `bit_xor(hash(xor(hash(${activity}), ${position}::ubigint)))`;

/** Sum of row hashes and a count: any insert, delete or re-keying of events changes it. */
const EVENTS_FINGERPRINT = `select count(*)::varchar || ':' || coalesce(sum(hash(event_id, case_id, customer_id, activity, ts))::varchar, '')
  as fp from events`;

interface Freshness {
  writeCount: number;
  fresh: boolean;
  mixedCustomerCases: number;
  /** Null for an index built before journeys were recorded per case. */
  mixedJourneyCases: number | null;
}
const known = new WeakMap<object, Freshness>();

const isWarehouse = (db: Db): db is Db & Pick<Warehouse, 'writeCount'> =>
  typeof (db as Partial<Warehouse>).writeCount === 'number';

export async function rebuildJourneyIndex(wh: Warehouse): Promise<JourneyIndexBuild> {
  const t0 = performance.now();
  const build = await wh.transaction(async (tx) => {
    for (const t of ['journey_steps', 'journey_cases', 'journey_variants', 'journey_index_state'])
      await tx.run(`delete from ${t}`);
    // Cases are numbered once per build: the windows, joins and ASOF joins of the journey queries then
    // partition on integers instead of case id strings (the ordered funnel at 10M events: ASOF joins
    // on case_id were most of its time).
    await tx.run(
      `create or replace temp table _cx_case_no as
       select case_id, (row_number() over ())::integer as cn from (select distinct case_id from events)`,
    );
    // Stored clustered by activity: a query for one activity's steps (a funnel step, a node click,
    // a paths anchor) then reads a few row groups, whose values are one activity each, instead of
    // comparing every step's activity string (the ordered funnel at 10M events: most of its time).
    await tx.run(
      `insert into journey_steps
       select n.cn, e.case_id, e.activity, e.ts, row_number() over c, lead(e.activity) over c,
              ${secondsBetween('e.ts', 'lead(e.ts) over c')}
       from events e join _cx_case_no n using (case_id) window c as (partition by n.cn order by e.ts, e.rowid)
       order by e.activity, n.cn`,
    );
    // The customer and journey of a case come from the events (journey_steps has none, to stay
    // narrow); each only when every event of the case has the same one.
    const single = (col: string) =>
      `case when count(distinct ${col}) = 1 and count(${col}) = count(*) then min(${col}) end`;
    await tx.run(
      `insert into journey_cases (cn, case_id, customer_id, fp, events, start_ts, dur, journey)
       with cust as (
         select case_id, ${single('customer_id')} as customer_id, ${single('journey')} as journey
         from events group by case_id
       ),
       agg as (
         select cn, any_value(case_id) as case_id, ${VARIANT_FINGERPRINT('activity', 'rn')} as fp, count(*)::int as events,
                min(ts) as start_ts, ${secondsBetween('min(ts)', 'max(ts)')} as dur
         from journey_steps group by cn
       )
       select a.cn, a.case_id, c.customer_id, a.fp, a.events, a.start_ts, a.dur, c.journey
       from agg a join cust c using (case_id)`,
    );
    await tx.run('drop table _cx_case_no');
    await tx.run(
      `insert into journey_variants
       with reps as (select fp, min(cn) as cn from journey_cases group by fp)
       select r.fp, list(s.activity order by s.rn) from reps r join journey_steps s using (cn) group by r.fp`,
    );
    // Cases whose events differ in (or only partly have) a customer / a journey: a customer-level or
    // journey scope would remove events inside them, so such scopes go live while there are any.
    const mixed = (col: string) => `count(*) filter (where n_${col} > 1 or has_${col} not in (0, n))`;
    const [counts] = await tx.all<{
      events: number;
      cases: number;
      variants: number;
      mixed: number;
      mixedJourney: number;
    }>(
      `select (select count(*) from journey_steps) as events, (select count(*) from journey_cases) as cases,
              (select count(*) from journey_variants) as variants, ${mixed('customer_id')} as mixed,
              ${mixed('journey')} as "mixedJourney"
       from (select count(*) as n, count(distinct customer_id) as n_customer_id, count(customer_id) as has_customer_id,
                    count(distinct journey) as n_journey, count(journey) as has_journey
             from events group by case_id)`,
    );
    const [fp] = await tx.all<{ fp: string }>(EVENTS_FINGERPRINT);
    const seconds = (performance.now() - t0) / 1000;
    await tx.run(
      `insert into journey_index_state (fingerprint, mixed_customer_cases, mixed_journey_cases, built_at, seconds)
       values (?, ?, ?, now(), ?)`,
      [fp!.fp, counts!.mixed, counts!.mixedJourney, seconds],
    );
    return { ...counts!, seconds };
  });
  // The build itself was a write: the index is fresh at the count after it.
  known.set(wh, {
    writeCount: wh.writeCount,
    fresh: true,
    mixedCustomerCases: Number(build.mixed),
    mixedJourneyCases: Number(build.mixedJourney),
  });
  return {
    events: Number(build.events),
    cases: Number(build.cases),
    variants: Number(build.variants),
    seconds: build.seconds,
  };
}

/** Whether the index is fresh for this warehouse (checked once per write count). */
async function freshness(db: Db): Promise<Freshness | null> {
  if (!isWarehouse(db)) return null;
  const cached = known.get(db);
  if (cached && cached.writeCount === db.writeCount) return cached;
  const writeCount = db.writeCount;
  const [state] = await db.all<{ fingerprint: string; mixed: number; mixedJourney: number | null }>(
    `select fingerprint, mixed_customer_cases as mixed, mixed_journey_cases as "mixedJourney"
     from journey_index_state limit 1`,
  );
  let fresh = false;
  if (state) {
    const [now] = await db.all<{ fp: string }>(EVENTS_FINGERPRINT);
    fresh = now!.fp === state.fingerprint;
  }
  const mixedJourney = state?.mixedJourney;
  const f = {
    writeCount,
    fresh,
    mixedCustomerCases: Number(state?.mixed ?? 0),
    mixedJourneyCases: mixedJourney === null || mixedJourney === undefined ? null : Number(mixedJourney),
  };
  known.set(db, f);
  return f;
}

export async function isJourneyIndexStale(wh: Warehouse): Promise<boolean> {
  return !(await freshness(wh))?.fresh;
}

/** The parts of a request the index cannot answer (its case-level filters: index-case-filter.ts). */
function needsLivePath(scope: DataScope, opts: JourneyOptions): boolean {
  return (
    (opts.caseNotion !== undefined && opts.caseNotion.kind !== 'case_id') ||
    (opts.classifier !== undefined && opts.classifier !== 'name') ||
    Boolean(opts.completeOnly) ||
    Boolean(scope.channels?.length)
  );
}

/** The index's predicate on `journey_cases c` for the request's filter, or null to go live. */
async function indexFilter(db: Db, scope: DataScope, opts: JourneyOptions): Promise<Frag | null> {
  if (needsLivePath(scope, opts)) return null;
  const filter = indexCaseFilter(opts.filter);
  if (!filter) return null;
  const f = await freshness(db);
  if (!f?.fresh) return null;
  const customerScoped = Boolean(scope.regions?.length || scope.segments?.length);
  if (customerScoped && f.mixedCustomerCases !== 0) return null;
  if (scope.journeys?.length && f.mixedJourneyCases !== 0) return null;
  return filter;
}

/**
 * The steps of the scope: CTE bodies `steps` (ck, case_id, activity, ts, rn, nxt, d) and `cases`
 * (ck, case_id, fp, events, start_ts, dur) — `ck` is the case key to join and partition on: the
 * integer case number from the index, the case id itself on the live path — plus `variantsOf(fpTable)` giving the activity sequence of
 * each fingerprint in a CTE of fingerprints. From the index when it can answer, live otherwise.
 */
export interface JourneySource {
  indexed: boolean;
  /** CTE definitions to put after WITH (names: ev?, steps, cases). */
  ctes: string;
  params: string[];
  /**
   * A query of the rows of `steps` that meet `cond` (SQL on its columns). From the index it reads
   * the stored table itself, so a condition on the activity is applied by the scan — DuckDB
   * materialises a CTE that is read several times, and then filters the materialised rows.
   */
  stepsWhere(cond: string): string;
  /** SQL of `fp, activities` for the fingerprints in `fps` (a CTE or table with an fp column). */
  variantsOf(fps: string): string;
}

export async function journeySource(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions = {},
): Promise<JourneySource> {
  const filter = await indexFilter(db, scope, opts);
  if (filter) {
    const s = scopeSql(scope, 'c', 'events');
    const everyCase = s.sql === 'true' && filter.sql === 'true';
    // `steps` is the stored table itself: read where used, never materialised — DuckDB would
    // otherwise copy every step (with its strings) once per query when a query reads it twice.
    const stepsWhere = (cond: string) =>
      `select s.cn as ck, s.case_id, s.activity, s.ts, s.rn, s.nxt, s.d from journey_steps s
       where ${cond}${everyCase ? '' : ' and s.cn in (select ck from cases)'}`;
    return {
      indexed: true,
      ctes: `cases as (select c.cn as ck, c.case_id, c.fp, c.events, c.start_ts, c.dur from journey_cases c
                       where ${s.sql} and ${filter.sql}),
             steps as ${everyCase ? 'not materialized ' : ''}(${stepsWhere('true')})`,
      params: [...s.params, ...filter.params],
      stepsWhere,
      variantsOf: (fps) =>
        `select v.fp, v.activities from journey_variants v where v.fp in (select fp from ${fps})`,
    };
  }
  const ev: Sql = eventsCte(scope, opts);
  return {
    indexed: false,
    ctes: `ev as (${ev.sql}),
           steps as materialized (
             select case_id as ck, case_id, activity, ts, row_number() over c as rn, lead(activity) over c as nxt,
                    ${secondsBetween('ts', 'lead(ts) over c')} as d
             from ev window c as (partition by case_id order by ts, ord)
           ),
           cases as materialized (
             select case_id as ck, case_id, ${VARIANT_FINGERPRINT('activity', 'rn')} as fp, count(*)::int as events, min(ts) as start_ts,
                    ${secondsBetween('min(ts)', 'max(ts)')} as dur
             from steps group by case_id
           )`,
    params: ev.params,
    stepsWhere: (cond) => `select * from steps where ${cond}`,
    variantsOf: (fps) =>
      `select r.fp, list(s.activity order by s.rn) as activities
       from (select fp, min(case_id) as case_id from cases where fp in (select fp from ${fps}) group by fp) r
       join steps s using (case_id) group by r.fp`,
  };
}
