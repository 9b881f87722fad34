import {
  type DataScope,
  type FunnelBreakdown,
  type FunnelDropOff,
  type FunnelResult,
  type FunnelSpec,
  type FunnelStep,
  inputError,
} from '@cx/core';
import { journeySource } from './journey-index.ts';
import { type Db, eventsCte, type JourneyOptions, type Sql, secondsBetween } from './options.ts';

/**
 * Funnels in SQL (semantics in packages/core/src/journeys/funnel.ts). Every mode first builds one row
 * per funnel attempt — an occurrence of step 1 — with the time of each step it reached (t0 … tn−1,
 * NULL from the first step it missed), then keeps each case's best attempt; the aggregates are
 * computed over those rows.
 *
 * - ordered: a chain of ASOF joins on the case's step events ("the first step-k event after step
 *   k − 1"), O(n log n) however often a case repeats an activity;
 * - strict: lead(activity, k) over all events of the case — the next k events must be the steps;
 * - any-order: a RANGE window of `windowSeconds` from each step event counts the steps done in it.
 */

/** Breakdown attributes taken from the first step's event; the others come from the customer. */
const EVENT_BREAKDOWN: ReadonlySet<FunnelBreakdown> = new Set([
  'channel',
  'journey',
  'touchpoint',
  'source_system',
]);

const us = (col: string) => `epoch_us(${col})`;

/**
 * The case order (ts, then file order) as one comparable value, so ASOF joins can use it without a
 * window sort to number the events first: microseconds in the high 64 bits, `ord` (a non-negative
 * BIGINT, the row id) in the low ones.
 */
const ORDER_KEY = `(epoch_us(ts)::hugeint * 18446744073709551616 + ord)`;

/**
 * `best`: case_id, customer_id, bd, reached, t0 … t{n−1}; one row per case that did step 1. Also
 * `total`: the SQL of the number of cases in the analysed log, and `join` + `caseId`: what to add to
 * a query of `best` to show the case id.
 *
 * From the journey index (journey-index.ts) when it can answer and no breakdown needs an event
 * attribute: its stored positions replace the window or sort that numbers the events, and strict
 * funnels become equality joins on position + 1. The case's customer then comes from the index, and
 * the `case_id` column holds the index's integer case number (`ck`): the ASOF and hash joins are
 * then on integers, and the case id string is looked up only for the cases a caller lists.
 */
async function bestAttempts(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  spec: FunnelSpec,
): Promise<Sql & { total: string; join: string; caseId: string }> {
  const eventBreakdown = spec.breakdownBy !== undefined && EVENT_BREAKDOWN.has(spec.breakdownBy);
  const src = eventBreakdown ? null : await journeySource(db, scope, opts);
  const indexed = src?.indexed === true;
  const ev = indexed ? { sql: '', params: src!.params } : eventsCte(scope, opts);
  const n = spec.steps.length;
  const windowUs = Math.round(spec.windowSeconds * 1e6);
  if (!Number.isFinite(windowUs) || windowUs <= 0)
    throw inputError('must be a positive number', { field: 'windowSeconds' });
  const params: string[] = [...ev.params];
  const bdExpr =
    spec.breakdownBy && EVENT_BREAKDOWN.has(spec.breakdownBy)
      ? `${spec.breakdownBy}::varchar`
      : 'null::varchar';
  const ts = Array.from({ length: n }, (_, k) => `t${k}`);
  const ctes: string[] = [indexed ? src!.ctes : `ev as (${ev.sql})`];
  const distinct = [...new Set(spec.steps)];
  const marks = distinct.map(() => '?').join(', ');
  // The step events, positioned in their case: by the index's position, or by (ts, file order).
  const stepEvents = indexed
    ? `s as (select ck as case_id, activity, ts, rn as ord, null::varchar as customer_id, null::varchar as bd, rn as pos
             from steps where activity in (${marks}))`
    : `s as (select case_id, activity, ts, ord, customer_id, ${bdExpr} as bd, ${ORDER_KEY} as pos
             from ev where activity in (${marks}))`;
  // One step's events (case_id, pos, ts). From the index each step reads the stored steps with its
  // own `activity = ?`, which the scan applies to the activity-clustered table (journey-index.ts);
  // through one shared `s` every step row's activity would be compared with all the steps first.
  const oneStep = indexed ? `(${src!.stepsWhere('activity = ?')})` : '(select * from s where activity = ?)';
  const eventsOf = indexed
    ? `select ck as case_id, rn as pos, ts from ${oneStep}`
    : `select case_id, pos, ts from ${oneStep}`;
  const firstStep = indexed
    ? `select ck as case_id, null::varchar as customer_id, null::varchar as bd, rn as p0, ts as t0 from ${oneStep}`
    : `select case_id, customer_id, bd, pos as p0, ts as t0 from ${oneStep}`;

  if (spec.mode === 'ordered') {
    if (!indexed) {
      ctes.push(stepEvents);
      params.push(...distinct);
    }
    ctes.push(`a0 as (${firstStep})`);
    params.push(spec.steps[0]!);
    for (let k = 1; k < n; k++) {
      // The first step-k event after step k − 1; beyond the window the attempt stops here (any later
      // occurrence is later still). Only attempts still going enter the next join — the ones that
      // stopped are set aside and come back in `att` — so each ASOF join sorts fewer rows, and an
      // attempt that stopped cannot match again (ASOF does not promise that a NULL matches nothing).
      const inWindow = `${us('x.ts')} - ${us('a.t0')} <= ${windowUs}`;
      ctes.push(
        `a${k} as materialized (
           select a.*, case when ${inWindow} then x.pos end as p${k}, case when ${inWindow} then x.ts end as t${k}
           from a${k - 1} a asof left join (${eventsOf}) x on a.case_id = x.case_id and a.p${k - 1} < x.pos
           ${k > 1 ? `where a.p${k - 1} is not null` : ''})`,
      );
      params.push(spec.steps[k]!);
    }
    // Each attempt once: from the join where it stopped (p_k null), or from the last join.
    const attempts = Array.from({ length: n - 1 }, (_, i) => {
      const k = i + 1;
      const cols = ts.map((t, j) => (j <= k ? t : `null as ${t}`)).join(', ');
      return `select case_id, customer_id, bd, p0 as start, ${cols} from a${k}${k < n - 1 ? ` where p${k} is null` : ''}`;
    });
    ctes.push(`att as (${attempts.join(' union all ')})`);
  } else if (spec.mode === 'strict' && indexed) {
    // Step k is the event at position p_{k−1} + 1, if it is the right activity and in the window.
    ctes.push(`a0 as (${firstStep})`);
    params.push(spec.steps[0]!);
    for (let k = 1; k < n; k++) {
      // Only equalities in ON, so this stays a hash join; the window is checked after it.
      const ok = `x.pos is not null and ${us('x.ts')} - ${us('a.t0')} <= ${windowUs}`;
      ctes.push(
        `a${k} as (select a.*, case when ${ok} then x.pos end as p${k}, case when ${ok} then x.ts end as t${k}
                   from a${k - 1} a left join (${eventsOf}) x
                     on x.case_id = a.case_id and x.pos = a.p${k - 1} + 1)`,
      );
      params.push(spec.steps[k]!);
    }
    ctes.push(`att as (select case_id, customer_id, bd, p0 as start, ${ts.join(', ')} from a${n - 1})`);
  } else if (spec.mode === 'strict') {
    const leads = Array.from({ length: n - 1 }, (_, i) => i + 1)
      .map((k) => `lead(activity, ${k}) over w as x${k}, lead(ts, ${k}) over w as y${k}`)
      .join(', ');
    ctes.push(
      `w as (select case_id, activity, ts, customer_id, ${bdExpr} as bd,
                    row_number() over w as pos, ${leads}
             from ev window w as (partition by case_id order by ts, ord))`,
    );
    // t_k is set only when t_{k−1} is: the run of consecutive steps breaks at the first miss.
    const cols = ['ts as t0'];
    const conds: string[] = [];
    for (let k = 1; k < n; k++) {
      conds.push(`x${k} = ? and ${us(`y${k}`)} - ${us('ts')} <= ${windowUs}`);
      cols.push(`case when ${conds.join(' and ')} then y${k} end as t${k}`);
    }
    const stepParams: string[] = [];
    for (let k = 1; k < n; k++) for (let j = 1; j <= k; j++) stepParams.push(spec.steps[j]!);
    ctes.push(
      `att as (select case_id, customer_id, bd, pos as start, ${cols.join(', ')} from w where activity = ?)`,
    );
    params.push(...stepParams, spec.steps[0]!);
  } else {
    // any-order: counts per distinct step activity in [anchor, anchor + window]; repeated steps need
    // as many occurrences as they appear in the funnel.
    const mult = distinct.map((a) => spec.steps.filter((s) => s === a).length);
    const counts = distinct.map((_, i) => `count(*) filter (where activity = ?) over fr as c${i}`).join(', ');
    ctes.push(
      stepEvents.replace(/^s as/, 's0 as'),
      `s as (select *, ${counts} from s0
             window fr as (partition by case_id order by ${us('ts')} range between current row and ${windowUs} following))`,
    );
    params.push(...distinct, ...distinct);
    const reached = distinct.map((_, i) => `least(c${i}, ${mult[i]})`).join(' + ');
    ctes.push(
      `anc as (select case_id, customer_id, bd, pos as start, ts as t0, ${reached} as reached from s
               qualify row_number() over (partition by case_id order by ${reached} desc, pos) = 1)`,
    );
    // The k-th step done is the k-th of the anchor window's step events that is still needed.
    const multCase = distinct.map((_, i) => `when ?::varchar then ${mult[i]}`).join(' ');
    ctes.push(
      `done as (select case_id, ts, row_number() over (partition by case_id order by ts, ord) as k from (
                  select s.case_id, s.ts, s.ord from s join anc on s.case_id = anc.case_id
                  where ${us('s.ts')} >= ${us('anc.t0')} and ${us('s.ts')} - ${us('anc.t0')} <= ${windowUs}
                  qualify row_number() over (partition by s.case_id, s.activity order by s.ts, s.ord)
                          <= case s.activity ${multCase} end))`,
    );
    params.push(...distinct);
    const pivot = ts.map((t, k) => `max(done.ts) filter (where done.k = ${k + 1}) as ${t}`).join(', ');
    ctes.push(
      `att as (select anc.case_id, any_value(anc.customer_id) as customer_id, any_value(anc.bd) as bd,
                      any_value(anc.start) as start, ${pivot}
               from anc join done on anc.case_id = done.case_id group by anc.case_id)`,
    );
  }

  const reachedExpr = ts.map((t) => `(${t} is not null)::int`).join(' + ');
  const fromCustomer = spec.breakdownBy !== undefined && !EVENT_BREAKDOWN.has(spec.breakdownBy);
  const customer = indexed ? 'jc.customer_id' : 'att.customer_id';
  ctes.push(
    // A case's best attempt: the furthest, then the earliest. Nearly every case has one attempt, so
    // only the cases with several go through the window sort.
    `multi as (select case_id from att group by case_id having count(*) > 1)`,
    `best0 as (select * from att where case_id not in (select case_id from multi)
               union all
               select * from att where case_id in (select case_id from multi)
               qualify row_number() over (partition by case_id order by ${reachedExpr} desc, start) = 1)`,
    `best as (select att.case_id, ${customer} as customer_id,
                     ${fromCustomer ? `cu.${spec.breakdownBy}::varchar` : 'att.bd'} as bd, ${reachedExpr} as reached, ${ts.join(', ')}
              from best0 att
              ${indexed ? 'left join journey_cases jc on jc.cn = att.case_id' : ''}
              ${fromCustomer ? `left join customers cu on cu.customer_id = ${customer}` : ''})`,
  );
  const total = indexed ? 'select count(*) from cases' : 'select count(distinct case_id) from ev';
  // Only the few cases a caller lists need their id: the join to it is left to the caller.
  const caseIds = indexed
    ? { join: 'left join journey_cases jc on jc.cn = best.case_id', caseId: 'jc.case_id' }
    : { join: '', caseId: 'best.case_id' };
  return { sql: ctes.join(',\n'), params, total, ...caseIds };
}

interface AggRow {
  g: number;
  bd: string | null;
  [k: string]: unknown;
}

function seriesFrom(
  r: AggRow,
  spec: FunnelSpec,
): Pick<FunnelResult, 'steps' | 'medianSecondsToConvert' | 'p90SecondsToConvert'> {
  const n = spec.steps.length;
  const cases = spec.steps.map((_, k) => Number(r[`c${k}`] ?? 0));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const steps: FunnelStep[] = spec.steps.map((activity, k) => ({
    activity,
    cases: cases[k]!,
    customers: Number(r[`u${k}`] ?? 0),
    conversionFromStart: cases[0] ? cases[k]! / cases[0] : null,
    conversionFromPrevious: k === 0 ? (cases[0] ? 1 : null) : cases[k - 1] ? cases[k]! / cases[k - 1]! : null,
    dropOff: k < n - 1 ? cases[k]! - cases[k + 1]! : 0,
    medianSecondsFromPrevious: k === 0 ? null : num(r[`m${k}`]),
    p90SecondsFromPrevious: k === 0 ? null : num(r[`q${k}`]),
  }));
  return { steps, medianSecondsToConvert: num(r.mconv), p90SecondsToConvert: num(r.qconv) };
}

/** The funnel of the scope: cases per step, conversion, drop-off, times; optionally broken down. */
export async function funnel(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  spec: FunnelSpec,
): Promise<FunnelResult> {
  const n = spec.steps.length;
  const b = await bestAttempts(db, scope, opts, spec);
  // Cases per step and the step times' median and p90 (both from one sort of each time).
  const caseAggs: string[] = [];
  const cols: string[] = [];
  for (let k = 0; k < n; k++) {
    caseAggs.push(`count(t${k})::bigint as c${k}`);
    cols.push(`c${k}`, `u${k}`);
    if (k > 0) {
      caseAggs.push(`quantile_cont(${secondsBetween(`t${k - 1}`, `t${k}`)}, [0.5, 0.9]) as mq${k}`);
      cols.push(`mq${k}[1] as m${k}`, `mq${k}[2] as q${k}`);
    }
  }
  caseAggs.push(`quantile_cont(${secondsBetween('t0', `t${n - 1}`)}, [0.5, 0.9]) as mqconv`);
  cols.push('mqconv[1] as mconv', 'mqconv[2] as qconv');
  // Customers per step: the steps a case reached are always a prefix (t_k is set only when t_{k−1}
  // is), so a customer reached step k when their best case did — one grouping by customer instead
  // of a distinct count per step. A case without a customer counts as a customer of its own.
  const cust = `coalesce(customer_id, '\u0001case:' || case_id)`;
  const custAggs = Array.from({ length: n }, (_, k) => `count(*) filter (where r > ${k})::bigint as u${k}`);
  const sql = spec.breakdownBy
    ? `with ${b.sql},
       per_case as (select grouping(bd)::int as g, bd, ${caseAggs.join(', ')} from best group by grouping sets ((), (bd))),
       per_cust as (select g, bd, ${custAggs.join(', ')} from (
                      select grouping(bd)::int as g, bd, max(reached) as r from best
                      group by grouping sets ((${cust}), (bd, ${cust}))) group by g, bd)
       select per_case.g, per_case.bd, ${cols.join(', ')}
       from per_case left join per_cust on per_cust.g = per_case.g and per_cust.bd is not distinct from per_case.bd`
    : `with ${b.sql},
       per_case as (select ${caseAggs.join(', ')} from best),
       per_cust as (select ${custAggs.join(', ')} from (select max(reached) as r from best group by ${cust}))
       select 1 as g, null as bd, ${cols.join(', ')} from per_case, per_cust`;
  const rows = await db.all<AggRow>(sql, b.params);
  // The same CTEs (and parameters); only the ones the total needs are evaluated.
  const [tot] = await db.all<{ n: number }>(`with ${b.sql} select (${b.total})::bigint as n`, b.params);
  const overall = rows.find((r) => Number(r.g) === 1 || !spec.breakdownBy);
  const empty: AggRow = { g: 1, bd: null };
  const result: FunnelResult = {
    mode: spec.mode,
    windowSeconds: spec.windowSeconds,
    totalCases: Number(tot?.n ?? 0),
    ...seriesFrom(overall ?? empty, spec),
  };
  if (spec.breakdownBy) {
    result.breakdownBy = spec.breakdownBy;
    result.breakdown = rows
      .filter((r) => Number(r.g) === 0)
      .map((r) => ({ value: r.bd ?? null, ...seriesFrom(r, spec) }))
      .sort(
        (x, y) =>
          y.steps[0]!.cases - x.steps[0]!.cases ||
          (x.value === null ? 1 : y.value === null ? -1 : x.value < y.value ? -1 : x.value > y.value ? 1 : 0),
      );
  }
  return result;
}

/**
 * The cases behind a drop-off: those that reached steps[stepIndex] but not steps[stepIndex + 1]
 * (0-based), the most recent first; `total` counts them all.
 */
export async function funnelDropOffCases(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  spec: FunnelSpec,
  stepIndex: number,
  limit = 100,
): Promise<FunnelDropOff> {
  const n = spec.steps.length;
  if (!Number.isInteger(stepIndex) || stepIndex < 0 || stepIndex > n - 2)
    throw inputError(`must be an integer from 0 to ${n - 2} (the last step has no drop-off)`, {
      field: 'stepIndex',
    });
  if (!Number.isInteger(limit) || limit < 1)
    throw inputError('must be a positive integer', { field: 'limit' });
  const b = await bestAttempts(db, scope, opts, spec);
  const rows = await db.all<{
    case_id: string;
    customer_id: string | null;
    reached_at: string;
    total: number;
  }>(
    `with ${b.sql}
     select ${b.caseId}::varchar as case_id, best.customer_id::varchar as customer_id, t${stepIndex} as reached_at,
            count(*) over ()::bigint as total
     from best ${b.join} where t${stepIndex} is not null and t${stepIndex + 1} is null
     order by t${stepIndex} desc, 1 limit ${limit}`,
    b.params,
  );
  return {
    stepIndex,
    total: Number(rows[0]?.total ?? 0),
    cases: rows.map((r) => ({
      caseId: r.case_id,
      customerId: r.customer_id ?? null,
      reachedAt: new Date(r.reached_at).toISOString(),
    })),
  };
}
