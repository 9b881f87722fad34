import {
  type AttributeFilterSchema,
  type CaseNotion,
  CaseNotionSchema,
  inputError,
  type JourneyFilter,
  JourneyFilterSchema,
} from '@cx/core';
import type { z } from 'zod';
import { marks } from '../sql-marks.ts';

/**
 * Compiles a journey filter and a case notion (issue 4 §1–2) into SQL on the classified events.
 *
 * Order of application — fixed and documented, unlike PM4Py, which applies filters in the order the
 * caller chains them, so that one JSON filter always means one thing:
 *
 *  1. the data scope, `completeOnly` and the classifier (the base events, `options.ts`);
 *  2. the case notion: case_id (default), customer + journey, or customer sessions split by a gap;
 *  3. event-level projections, all ANDed: attributes with `level: 'event'`, `timeRange` with
 *     `mode: 'events'`, then `activities.keep` / `activities.remove`;
 *  4. case-level filters on the projected cases, all ANDed and each judged on the same projected log
 *     (so their mutual order does not matter): time range (contained / intersecting / started /
 *     completed), variants `include`, start / end activities, with / without activities, case-level
 *     attributes (segment and region through the customers table), case size, case duration,
 *     directly-follows and eventually-follows relations, feedback themes;
 *  5. last, `variants.top` / `variants.coverage` rank the variants of the cases still kept — "the
 *     top 5 variants of business customers", not "business customers among the overall top 5".
 *
 * Values always travel as positional `?` parameters (numbers as strings with a cast, so `Sql.params`
 * stays `string[]`); column names come only from the fixed whitelist below.
 */

export interface Frag {
  sql: string;
  params: string[];
}

/** Every column the classified events CTE yields, in order. */
export const EVENT_COLUMNS = [
  'case_id',
  'activity',
  'ts',
  'ord',
  'customer_id',
  'channel',
  'journey',
  'touchpoint',
  'resource',
  'source_system',
  'lifecycle',
] as const;
const COLS = EVENT_COLUMNS.join(', ');
const REST = EVENT_COLUMNS.slice(1).join(', ');

type AttributeFilter = z.infer<typeof AttributeFilterSchema>;
type AttributeField = AttributeFilter['field'];

/** The attribute whitelist: event columns directly, customer columns through the customers table. */
const ATTRIBUTE_COLUMNS: Record<AttributeField, { column: string; customer: boolean }> = {
  channel: { column: 'channel', customer: false },
  journey: { column: 'journey', customer: false },
  touchpoint: { column: 'touchpoint', customer: false },
  source_system: { column: 'source_system', customer: false },
  resource: { column: 'resource', customer: false },
  lifecycle: { column: 'lifecycle', customer: false },
  segment: { column: 'segment', customer: true },
  region: { column: 'region', customer: true },
};

const list = (values: readonly string[]): Frag => ({
  sql: values.length ? `[${marks(values.length)}]::varchar[]` : '[]::varchar[]',
  params: [...values],
});

/** `filter.attributes[0].field` from a zod issue path. */
function fieldName(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(options)';
}

function zodToInputError(root: string, error: z.ZodError): never {
  const issue = error.issues[0]!;
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys' && issue.keys.length) {
    const field = fieldName(root, [...path, issue.keys[0]!]);
    throw inputError(`unknown field "${issue.keys.join('", "')}"`, { field });
  }
  throw inputError(issue.message, { field: fieldName(root, path) });
}

/** Parses options with a zod schema; a failure becomes a bad_input error naming the field. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, root = ''): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) zodToInputError(root, r.error);
  return r.data as z.output<T>;
}

/**
 * A UTC instant from an ISO date or date-time; a date-time without an offset is read as UTC (never
 * as the server's local time), and impossible dates such as 2024-02-30 are refused, not rolled over.
 */
function instant(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
    value,
  );
  const offset = (m?.[5] ?? 'Z').toUpperCase().replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00:00'}${offset}`) : Number.NaN;
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  const real =
    day !== undefined && day.getUTCDate() === Number(m![3]) && day.getUTCMonth() === Number(m![2]) - 1;
  if (Number.isNaN(ms) || !real) throw inputError(`"${value}" is not an ISO date or date-time`, { field });
  return new Date(ms).toISOString();
}

/** Validates a filter (raw JSON or already parsed) and returns it with defaults filled in. */
export function parseJourneyFilter(input: unknown, root = 'filter'): JourneyFilter {
  const r = JourneyFilterSchema.safeParse(input);
  if (!r.success) zodToInputError(root, r.error);
  const f = r.data;
  const tr = f.timeRange;
  if (tr) {
    const from = tr.from === undefined ? undefined : instant(tr.from, `${root}.timeRange.from`);
    const to = tr.to === undefined ? undefined : instant(tr.to, `${root}.timeRange.to`);
    if (from !== undefined && to !== undefined && from > to)
      throw inputError(`from (${tr.from}) is after to (${tr.to})`, { field: `${root}.timeRange.from` });
    f.timeRange = { ...tr, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  }
  const size = f.caseSize;
  if (size?.min !== undefined && size.max !== undefined && size.min > size.max)
    throw inputError(`min (${size.min}) is greater than max (${size.max})`, {
      field: `${root}.caseSize.min`,
    });
  const dur = f.caseDuration;
  if (dur?.minSeconds !== undefined && dur.maxSeconds !== undefined && dur.minSeconds > dur.maxSeconds)
    throw inputError(`minSeconds (${dur.minSeconds}) is greater than maxSeconds (${dur.maxSeconds})`, {
      field: `${root}.caseDuration.minSeconds`,
    });
  return f;
}

export function parseCaseNotion(input: unknown, root = 'caseNotion'): CaseNotion {
  if (input === undefined) return { kind: 'case_id' };
  const r = CaseNotionSchema.safeParse(input);
  if (!r.success) {
    // A union reports "no member matched"; the member named by `kind` gives the useful message.
    const kind = (input as { kind?: unknown } | null)?.kind;
    if (kind === 'session') {
      const s = CaseNotionSchema.options[2].safeParse(input);
      if (!s.success) zodToInputError(root, s.error);
    }
    throw inputError(`expected kind "case_id", "customer_journey" or "session" with gapMinutes > 0`, {
      field: `${root}.kind`,
    });
  }
  return r.data;
}

/** The event predicate of an attribute filter (true = the event has one of the values). */
function attributeHas(a: AttributeFilter): Frag {
  const spec = ATTRIBUTE_COLUMNS[a.field];
  const vals = marks(a.values.length);
  const sql = spec.customer
    ? `coalesce(customer_id in (select customer_id from customers where ${spec.column} in (${vals})), false)`
    : `coalesce(${spec.column} in (${vals}), false)`;
  return { sql, params: [...a.values] };
}

/** Step 2: the events with their case id replaced according to the notion; reads CTE `src`. */
function caseNotionSql(notion: CaseNotion, src: string): Frag | undefined {
  // A source without customers keeps the case id as the customer (tables.ts: customer_id).
  const customer = 'coalesce(customer_id, case_id)';
  if (notion.kind === 'customer_journey')
    return {
      sql: `select ${customer} || '#' || coalesce(journey, '') as case_id, ${REST} from ${src}`,
      params: [],
    };
  if (notion.kind === 'session') {
    // A new session starts at a customer's first event and after every gap longer than gapMinutes.
    return {
      sql: `select cu || '#' || cast(sum(brk) over (partition by cu order by ts, ord rows unbounded preceding) as varchar) as case_id, ${REST}
            from (select *, case when lag(ts) over w is null
                                   or epoch_us(ts) - epoch_us(lag(ts) over w) > cast(? as double) * 60e6
                                 then 1 else 0 end as brk
                  from (select *, ${customer} as cu from ${src}) window w as (partition by cu order by ts, ord))`,
      params: [String(notion.gapMinutes)],
    };
  }
  return undefined;
}

/** Step 3: event-level predicates. */
function eventPredicates(f: JourneyFilter): Frag[] {
  const out: Frag[] = [];
  for (const a of f.attributes ?? []) {
    if (a.level !== 'event') continue;
    const has = attributeHas(a);
    out.push(a.exclude ? { sql: `not ${has.sql}`, params: has.params } : has);
  }
  const tr = f.timeRange;
  if (tr?.mode === 'events') {
    if (tr.from) out.push({ sql: 'ts >= cast(? as timestamptz)', params: [tr.from] });
    if (tr.to) out.push({ sql: 'ts <= cast(? as timestamptz)', params: [tr.to] });
  }
  const keep = f.activities?.keep;
  if (keep) out.push({ sql: `activity in (${marks(keep.length)})`, params: [...keep] });
  const remove = f.activities?.remove;
  if (remove) out.push({ sql: `activity not in (${marks(remove.length)})`, params: [...remove] });
  return out;
}

interface CaseLevel {
  /** Aggregates over a case's events, aliased k0, k1, … */
  aggs: Frag[];
  /** Predicates over the per-case row (columns n, t0, t1, first_act, last_act, seq, k*). */
  preds: Frag[];
  needsSeq: boolean;
  needsEnds: boolean;
  /** Relations need each event's position and successor. */
  needsPositions: boolean;
  /** The feedback-theme filter needs the case's customer (column cu). */
  needsCustomer: boolean;
}

/** Step 4: case-level predicates. */
function casePredicates(f: JourneyFilter, byCaseId: boolean): CaseLevel {
  const c: CaseLevel = {
    aggs: [],
    preds: [],
    needsSeq: false,
    needsEnds: false,
    needsPositions: false,
    needsCustomer: false,
  };
  const agg = (sql: string, params: string[], negate = false) => {
    const k = `k${c.aggs.length}`;
    c.aggs.push({ sql: `${sql} as ${k}`, params });
    c.preds.push({ sql: negate ? `not ${k}` : k, params: [] });
  };
  const tr = f.timeRange;
  if (tr && tr.mode !== 'events') {
    // Which end of the case is compared with which end of the range; both ends inclusive.
    const lo = { contained: 't0', intersecting: 't1', started: 't0', completed: 't1' }[tr.mode];
    const hi = { contained: 't1', intersecting: 't0', started: 't0', completed: 't1' }[tr.mode];
    if (tr.from) c.preds.push({ sql: `${lo} >= cast(? as timestamptz)`, params: [tr.from] });
    if (tr.to) c.preds.push({ sql: `${hi} <= cast(? as timestamptz)`, params: [tr.to] });
  }
  const include = f.variants?.include;
  if (include) {
    c.needsSeq = true;
    const alts = include.map(list);
    c.preds.push({
      sql: alts.length ? `(${alts.map((a) => `seq = ${a.sql}`).join(' or ')})` : 'false',
      params: alts.flatMap((a) => a.params),
    });
  }
  if (f.startActivities) {
    c.needsEnds = true;
    c.preds.push({
      sql: `first_act in (${marks(f.startActivities.length)})`,
      params: [...f.startActivities],
    });
  }
  if (f.endActivities) {
    c.needsEnds = true;
    c.preds.push({ sql: `last_act in (${marks(f.endActivities.length)})`, params: [...f.endActivities] });
  }
  for (const a of f.withActivities ?? []) agg('coalesce(bool_or(activity = ?), false)', [a]);
  if (f.withoutActivities)
    agg(
      `coalesce(bool_or(activity in (${marks(f.withoutActivities.length)})), false)`,
      [...f.withoutActivities],
      true,
    );
  for (const a of f.attributes ?? []) {
    if (a.level !== 'case') continue;
    const has = attributeHas(a);
    agg(`coalesce(bool_or(${has.sql}), false)`, has.params, a.exclude);
  }
  const size = f.caseSize;
  if (size?.min !== undefined) c.preds.push({ sql: 'n >= cast(? as bigint)', params: [String(size.min)] });
  if (size?.max !== undefined) c.preds.push({ sql: 'n <= cast(? as bigint)', params: [String(size.max)] });
  const dur = f.caseDuration;
  const seconds = '(epoch_us(t1) - epoch_us(t0)) / 1e6';
  if (dur?.minSeconds !== undefined)
    c.preds.push({ sql: `${seconds} >= cast(? as double)`, params: [String(dur.minSeconds)] });
  if (dur?.maxSeconds !== undefined)
    c.preds.push({ sql: `${seconds} <= cast(? as double)`, params: [String(dur.maxSeconds)] });
  for (const r of f.directlyFollows ?? []) {
    c.needsPositions = true;
    agg('coalesce(bool_or(activity = ? and nxt = ?), false)', [r.from, r.to], r.exclude);
  }
  for (const r of f.eventuallyFollows ?? []) {
    // Some `from` event precedes some `to` event: the first `from` comes before the last `to`.
    c.needsPositions = true;
    agg(
      'coalesce(min(pos) filter (where activity = ?) < max(pos) filter (where activity = ?), false)',
      [r.from, r.to],
      r.exclude,
    );
  }
  const ft = f.feedbackThemes;
  if (ft) {
    // A response names its case when it has a case_id; one without case_id belongs to the case of the
    // same customer whose time span (first..last event, inclusive) contains it. Under the
    // customer_journey and session notions the case ids are synthetic, so every response is placed by
    // customer and time span.
    c.needsCustomer = true;
    const themes = list(ft.themes);
    const bySpan = `exists (select 1 from feedback fb
                            where ${byCaseId ? 'fb.case_id is null and ' : ''}fb.customer_id = cu
                              and fb.ts between t0 and t1 and list_has_any(fb.themes, ${themes.sql}))`;
    const has = byCaseId
      ? `(case_id in (select fb.case_id from feedback fb
                       where fb.case_id is not null and list_has_any(fb.themes, ${themes.sql})) or ${bySpan})`
      : bySpan;
    const params = byCaseId ? [...themes.params, ...themes.params] : themes.params;
    c.preds.push({ sql: ft.exclude ? `not ${has}` : has, params });
  }
  return c;
}

/**
 * Wraps the base events (the CTE body `base`) with the case notion and the filter. Returns `base`
 * unchanged when neither does anything, so unfiltered queries keep their plain plan.
 */
export function applyJourneyFilter(base: Frag, notion: CaseNotion, filter: JourneyFilter | undefined): Frag {
  const f: JourneyFilter = filter ?? {};
  const ctes: Frag[] = [{ sql: `b0 as (${base.sql})`, params: base.params }];
  let cur = 'b0';
  const notionSql = caseNotionSql(notion, cur);
  if (notionSql) {
    ctes.push({ sql: `c0 as (${notionSql.sql})`, params: notionSql.params });
    cur = 'c0';
  }
  const evPreds = eventPredicates(f);
  if (evPreds.length) {
    ctes.push({
      sql: `p0 as (select * from ${cur} where ${evPreds.map((p) => p.sql).join(' and ')})`,
      params: evPreds.flatMap((p) => p.params),
    });
    cur = 'p0';
  }
  const cl = casePredicates(f, notion.kind === 'case_id');
  const top = f.variants?.top;
  const coverage = f.variants?.coverage;
  const ranked = top !== undefined || coverage !== undefined;
  if (ranked) cl.needsSeq = true;
  let keep: string | undefined;
  if (cl.preds.length || ranked) {
    let src = cur;
    if (cl.needsPositions) {
      ctes.push({
        sql: `q0 as (select *, row_number() over w as pos, lead(activity) over w as nxt from ${cur}
                     window w as (partition by case_id order by ts, ord))`,
        params: [],
      });
      src = 'q0';
    }
    const cols = ['case_id', 'count(*) as n', 'min(ts) as t0', 'max(ts) as t1'];
    if (cl.needsEnds)
      cols.push(
        'first(activity order by ts, ord) as first_act',
        'last(activity order by ts, ord) as last_act',
      );
    if (cl.needsSeq) cols.push('list(activity order by ts, ord) as seq');
    // A case has one customer under every notion; min() just picks it (null when the source has none).
    if (cl.needsCustomer) cols.push('min(customer_id) as cu');
    ctes.push({
      sql: `cs as (select ${[...cols, ...cl.aggs.map((a) => a.sql)].join(', ')} from ${src} group by case_id)`,
      params: cl.aggs.flatMap((a) => a.params),
    });
    ctes.push({
      sql: `kept as (select case_id${cl.needsSeq ? ', seq' : ''} from cs where ${
        cl.preds.length ? cl.preds.map((p) => p.sql).join(' and ') : 'true'
      })`,
      params: cl.preds.flatMap((p) => p.params),
    });
    keep = 'kept';
    if (ranked) {
      // Rank as byCountThenSequence does (count desc, then the sequence element by element), and keep
      // a variant while the cases before it cover less than the wanted share.
      const conds: Frag[] = [];
      if (top !== undefined) conds.push({ sql: 'rk <= cast(? as bigint)', params: [String(top)] });
      if (coverage !== undefined)
        conds.push({ sql: 'cum - c < cast(? as double) * tot', params: [String(coverage)] });
      ctes.push({
        sql: `vr as (select seq, c, row_number() over o as rk,
                            sum(c) over (o rows unbounded preceding) as cum, sum(c) over () as tot
                     from (select seq, count(*) as c from kept group by seq) window o as (order by c desc, seq)),
              kept_top as (select case_id from kept where seq in (select seq from vr where ${conds
                .map((x) => x.sql)
                .join(' and ')}))`,
        params: conds.flatMap((x) => x.params),
      });
      keep = 'kept_top';
    }
  }
  if (cur === 'b0' && !keep) return base;
  return {
    sql: `with ${ctes.map((c) => c.sql).join(',\n')}
          select ${COLS} from ${cur}${keep ? ` where case_id in (select case_id from ${keep})` : ''}`,
    params: ctes.flatMap((c) => c.params),
  };
}
