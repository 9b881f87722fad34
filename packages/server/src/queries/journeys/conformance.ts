import {
  type ConformanceResult,
  compareCodePoints,
  type DataScope,
  type Deviation,
  inputError,
  type JourneyModel,
} from '@cx/core';
import { journeySource } from './journey-index.ts';
import { type Db, type JourneyOptions, secondsBetween } from './options.ts';

/**
 * Conformance with a designed journey (rules and deviation kinds in
 * packages/core/src/journeys/conformance.ts). Each event's position and successor come from the
 * journey source (stored in the journey index, or one window over the events); every deviation kind
 * is a set-based query producing (case, kind, from, to, activity, extra seconds) rows, aggregated per
 * deviation.
 */
/**
 * Checks what the schema cannot: no transition and no milestone listed twice. `root` prefixes the
 * field names ('' for a request body, 'model' in code), `file` names the model file in the CLI.
 */
export function checkModel(model: JourneyModel, root = 'model', file?: string): void {
  const at = (field: string) => ({ ...(file ? { file } : {}), field: root ? `${root}.${field}` : field });
  const seen = new Set<string>();
  model.transitions.forEach((t, i) => {
    const key = `${t.from}\u0000${t.to}`;
    if (seen.has(key))
      throw inputError(`repeats the transition ${t.from} → ${t.to}`, at(`transitions[${i}]`));
    seen.add(key);
  });
  const order = model.expectedOrder ?? [];
  order.forEach((a, i) => {
    if (order.indexOf(a) !== i) throw inputError(`repeats "${a}"`, at(`expectedOrder[${i}]`));
  });
}

/** NULL first, then code-point order (as DuckDB sorts strings). */
const cmp = (x: string | null, y: string | null) =>
  x === y ? 0 : x === null ? -1 : y === null ? 1 : compareCodePoints(x, y);

const values = (rows: number, cols: string) => Array.from({ length: rows }, () => cols).join(', ');

export async function conformance(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  model: JourneyModel,
): Promise<ConformanceResult> {
  checkModel(model, '');
  // Steps with position and successor (stored in the journey index, or computed live) and cases
  // with their duration: journey-index.ts decides which.
  const src = await journeySource(db, scope, opts);
  const order = model.expectedOrder ?? [];
  const params: (string | null)[] = [...src.params];
  const d = 'o.d';
  const ctes = [
    src.ctes,
    `o as (select case_id, activity, ts, rn as pos, nxt, d from steps)`,
    `c as materialized (select case_id, arg_min(activity, rn) as first_act, arg_max(activity, rn) as last_act,
                               ${secondsBetween('min(ts)', 'max(ts)')} as dur
                        from steps group by case_id)`,
    `mt as (select * from (values ${values(model.transitions.length, '(?, ?, ?::double)')}) t(f, t, mx))`,
  ];
  for (const t of model.transitions)
    params.push(t.from, t.to, t.maxSeconds === undefined ? null : String(t.maxSeconds));
  const devs = [
    `select case_id, 'bad-start' as kind, null as f, null as t, first_act as a, 0::double as extra
     from c where first_act not in (${model.startActivities.map(() => '?').join(', ')})`,
    `select case_id, 'bad-end', null, null, last_act, 0 from c where last_act not in (${model.endActivities.map(() => '?').join(', ')})`,
    `select o.case_id, case when mt.f is null then 'disallowed-transition' else 'too-slow' end, o.activity, o.nxt, null,
            case when mt.f is null then ${d} else ${d} - mt.mx end
     from o left join mt on mt.f = o.activity and mt.t = o.nxt
     where o.nxt is not null and (mt.f is null or (mt.mx is not null and ${d} > mt.mx))`,
  ];
  if (order.length) {
    ctes.push(
      `ms as (select * from (values ${values(order.length, '(?, ?::int)')}) t(a, i))`,
      `fo as (select o.case_id, o.activity, ms.i, min(o.pos) as p from o join ms on o.activity = ms.a group by all)`,
    );
    order.forEach((a, i) => {
      params.push(a, String(i));
    });
    devs.push(
      `select c.case_id, 'missing-step', null, null, ms.a, 0 from c cross join ms
       where not exists (select 1 from fo where fo.case_id = c.case_id and fo.activity = ms.a)`,
      `select case_id, 'out-of-order', prev_a, activity, null, 0 from (
         select case_id, activity, p, lag(activity) over x as prev_a, lag(p) over x as prev_p
         from fo window x as (partition by case_id order by i)) where p < prev_p`,
    );
  }
  // The start / end lists come last in the SQL text, inside `dev`.
  params.push(...model.startActivities, ...model.endActivities);
  ctes.push(`dev as materialized (${devs.join('\nunion all\n')})`);
  ctes.push(
    `dc as (select kind, f, t, a, case_id, count(*) as occ, sum(extra) as extra from dev group by all)`,
    `bad as (select distinct case_id from dev)`,
  );
  // One query, so the steps and deviations are computed once: the deviation rows, then one summary
  // row (kind = null) with the case counts and mean durations.
  const rows = await db.all<{
    kind: Deviation['kind'] | null;
    f: string | null;
    t: string | null;
    a: string | null;
    cases: number;
    occurrences: number;
    extra: number;
    mean_dur: number | null;
    mean_ok: number | null;
  }>(
    `with ${ctes.join(',\n')}
     select kind, f, t, a, count(*)::bigint as cases, sum(occ)::bigint as occurrences, sum(extra) as extra,
            avg(c.dur) as mean_dur, null as mean_ok
     from dc join c using (case_id) group by kind, f, t, a
     union all
     select null, null, null, null, count(*)::bigint, count(bad.case_id)::bigint, null,
            avg(c.dur) filter (where bad.case_id is not null), avg(c.dur) filter (where bad.case_id is null)
     from c left join bad using (case_id)`,
    params,
  );
  const sum = rows.find((r) => r.kind === null);
  const byRank = (x: (typeof rows)[number], y: (typeof rows)[number]) =>
    Number(y.cases) - Number(x.cases) ||
    Number(y.occurrences) - Number(x.occurrences) ||
    cmp(x.kind, y.kind) ||
    cmp(x.f, y.f) ||
    cmp(x.t, y.t) ||
    cmp(x.a, y.a);
  const deviations = rows.filter((r) => r.kind !== null).sort(byRank);
  const cases = Number(sum?.cases ?? 0);
  const conforming = cases - Number(sum?.occurrences ?? 0);
  return {
    cases,
    conformingCases: conforming,
    share: cases ? conforming / cases : null,
    meanCaseSecondsConforming: sum?.mean_ok ?? null,
    meanCaseSecondsDeviating: sum?.mean_dur ?? null,
    deviations: deviations.map((r) => {
      const dev: Deviation = {
        kind: r.kind!,
        cases: Number(r.cases),
        occurrences: Number(r.occurrences),
        extraSeconds: Number(r.extra ?? 0),
        meanCaseSeconds: r.mean_dur ?? null,
      };
      if (r.f !== null) dev.from = r.f;
      if (r.t !== null) dev.to = r.t;
      if (r.a !== null) dev.activity = r.a;
      return dev;
    }),
  };
}
