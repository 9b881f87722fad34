import {
  compareCodePoints,
  type DataScope,
  type PathsResult,
  type PathsSpec,
  type SankeyNode,
  sankeyNodeName,
} from '@cx/core';
import { journeySource } from './journey-index.ts';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

/**
 * Paths from or to an anchor activity (semantics in packages/core/src/journeys/paths.ts), in one
 * query. With the journey index, the anchor's first position per case selects the stored steps
 * around it; live, one window pass gives every event its next (or previous) `depth` activities with
 * lead()/lag() and the anchor's first occurrence keeps its row. Top paths, totals and Sankey links
 * are then small GROUP BYs over the materialised paths, returned as one tagged result so the heavy
 * part runs once.
 */
export async function paths(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  spec: PathsSpec,
): Promise<PathsResult> {
  const depth = spec.depth;
  const after = spec.direction === 'after';
  const ks = Array.from({ length: depth }, (_, i) => i + 1);
  const fn = after ? 'lead' : 'lag';
  const near = ks.map((k) => `${fn}(activity, ${k}) over w as n${k}`).join(', ');
  // In time order, the anchor first (after) or last (before); NULLs where the case ends or starts.
  const seq = after
    ? ['activity', ...ks.map((k) => `n${k}`)]
    : [...[...ks].reverse().map((k) => `n${k}`), 'activity'];
  // The anchor sits at list index 1 (after) or at the end (before); its Sankey step is 0.
  const stepOf = after ? '(i - 1)' : '(i - len(acts))';
  // p: one row per case with the anchor — its customer and the path around the anchor's first
  // occurrence. From the journey index by stored positions, or live with one window pass.
  const src = await journeySource(db, scope, opts);
  let head: string;
  let params: string[];
  if (src.indexed) {
    const range = after
      ? `s.rn between a.arn and a.arn + ${depth}`
      : `s.rn between a.arn - ${depth} and a.arn`;
    head = `${src.ctes},
     a as (select case_id, min(rn) as arn from steps where activity = ? group by case_id),
     p as materialized (
       select coalesce(any_value(jc.customer_id), '\u0001case:' || a.case_id) as cust,
              list(s.activity order by s.rn) as acts
       from a join steps s on s.case_id = a.case_id and ${range}
       left join journey_cases jc on jc.case_id = a.case_id
       group by a.case_id)`;
    params = [...src.params, spec.anchor];
  } else {
    const ev = eventsCte(scope, opts);
    head = `ev as (${ev.sql}),
     w as (select case_id, activity, ts, ord, customer_id, ${near}
           from ev window w as (partition by case_id order by ts, ord)),
     p as materialized (
       select coalesce(customer_id, '\u0001case:' || case_id) as cust,
              list_filter([${seq.join(', ')}], lambda v: v is not null) as acts
       from w where activity = ?
       qualify row_number() over (partition by case_id order by ts, ord) = 1)`;
    params = [...ev.params, spec.anchor];
  }
  const rows = await db.all<{
    k: string;
    acts: string[] | null;
    cases: number;
    customers: number;
    n: number;
  }>(
    `with ${head},
     g as (select acts, count(*) as cases, count(distinct cust) as customers from p group by acts),
     hops as (select acts, unnest(range(1, len(acts))) as i from p)
     select * from (
       select 'path' as k, acts, cases::bigint as cases, customers::bigint as customers, count(*) over ()::bigint as n
       from g order by cases desc, customers desc, acts limit ${spec.top})
     union all
     select 'total', null, count(*)::bigint, count(distinct cust)::bigint, null from p
     union all
     select 'link', [acts[i], acts[i + 1]], count(*)::bigint, null, ${stepOf}::bigint from hops group by all`,
    params,
  );
  const tot = rows.find((r) => r.k === 'total');
  const cases = Number(tot?.cases ?? 0);
  const customers = Number(tot?.customers ?? 0);
  const top = rows
    .filter((r) => r.k === 'path')
    .sort(
      (x, y) =>
        Number(y.cases) - Number(x.cases) ||
        Number(y.customers) - Number(x.customers) ||
        cmpList(x.acts!, y.acts!),
    );
  const links = rows
    .filter((r) => r.k === 'link')
    .map((r) => ({ s: Number(r.n), a: r.acts![0]!, b: r.acts![1]!, value: Number(r.cases) }))
    .sort((x, y) => x.s - y.s || y.value - x.value || cmp(x.a, y.a) || cmp(x.b, y.b));
  const nodes = new Map<string, SankeyNode>();
  const node = (step: number, activity: string) => {
    const name = sankeyNodeName(step, activity);
    if (!nodes.has(name)) nodes.set(name, { name, activity, step });
    return name;
  };
  if (cases) node(0, spec.anchor);
  const sankeyLinks = links.map((l) => ({
    source: node(l.s, l.a),
    target: node(l.s + 1, l.b),
    value: l.value,
  }));
  return {
    anchor: spec.anchor,
    direction: spec.direction,
    depth,
    cases,
    customers,
    distinctPaths: Number(top[0]?.n ?? 0),
    paths: top.map((r) => ({
      activities: [...r.acts!],
      cases: Number(r.cases),
      customers: Number(r.customers),
      shareOfCases: Number(r.cases) / cases,
      shareOfCustomers: Number(r.customers) / customers,
    })),
    sankey: {
      nodes: [...nodes.values()].sort((x, y) => x.step - y.step || cmp(x.name, y.name)),
      links: sankeyLinks,
    },
  };
}

/** Code-point order, as DuckDB sorts strings (UTF-8 bytes). */
const cmp = compareCodePoints;
function cmpList(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = cmp(a[i]!, b[i]!);
    if (c) return c;
  }
  return a.length - b.length;
}
