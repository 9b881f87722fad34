import { inputError } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * One row per customer active at a cutoff date, with ~60 features computed from everything the
 * store knows STRICTLY BEFORE the cutoff (issue 6 §3: churn and cross-sell prediction).
 *
 * Leakage rules, the reason this is one SQL statement with the cutoff applied at every source:
 * - events and feedback: `ts < cutoff` (the cutoff is midnight UTC of the cutoff date);
 * - outcomes: a monthly row describes the whole month (revenue, products, churn at its end), so it is
 *   known only once the month is over: `period + 1 month <= cutoff`;
 * - active at the cutoff: created before it and no churned row among those known rows.
 *
 * Journeys and themes are data, not code: the caller passes the vocabulary (the most frequent ones
 * before the training cutoff, see `featureVocabulary`) and the model stores it, so scoring builds
 * exactly the columns the model was trained on.
 */
export interface FeatureVocabulary {
  journeys: string[];
  themes: string[];
}

export interface FeatureQueryOptions extends FeatureVocabulary {
  /** 'YYYY-MM-DD'. */
  cutoff: string;
}

/** Features that are categories (one-hot encoded); every other feature column is numeric. */
export const CATEGORICAL_FEATURES = ['segment', 'region', 'contract', 'age_band'] as const;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function assertDate(value: string, field: string): void {
  if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw inputError(`must be a date YYYY-MM-DD, got "${value}"`, { field });
  }
}

/** A column-name-safe slug of a journey or theme ("billing question" → billing_question). */
export const slug = (v: string) =>
  v
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 40) || 'x';

/**
 * The SQL and its parameters. Parameters are numbered (`$1` = cutoff, then journeys, then themes) so
 * that the statement can be embedded in a larger one (labels, scoring) that adds its own after them.
 */
export function customerFeaturesSql(opts: FeatureQueryOptions): { sql: string; params: string[] } {
  assertDate(opts.cutoff, 'cutoff');
  const params: string[] = [opts.cutoff];
  const param = (v: string) => {
    params.push(v);
    return `$${params.length}`;
  };
  const seen = new Set<string>();
  const unique = (name: string) => {
    let n = name;
    for (let i = 2; seen.has(n); i++) n = `${name}_${i}`;
    seen.add(n);
    return n;
  };
  const journeyCols = opts.journeys.flatMap((j) => {
    const p = param(j);
    const s = unique(slug(j));
    return [
      `count(*) filter (where journey = ${p} and case_age <= 90) as cases_90d_${s}`,
      `count(*) filter (where journey = ${p} and case_age <= 365) as cases_365d_${s}`,
    ];
  });
  const themeCols = opts.themes.map((t) => {
    const p = param(t);
    return `count(*) filter (where list_contains(themes, ${p})) as theme_${unique(slug(t))}`;
  });

  const sql = `
with p as (select cast($1 as date) as d, cast(cast($1 as date) as timestamptz) as t),
active as (
  select c.customer_id, c.segment, c.region,
         (c.attributes->>'contract') as contract, (c.attributes->>'age_band') as age_band,
         floor((epoch(p.t) - epoch(c.created_at)) / 86400)::integer as tenure_days
  from customers c, p
  where (c.created_at is null or c.created_at < p.t)
    and c.customer_id not in (
      select o.customer_id from outcomes o, p
      where o.churned and o.period + interval 1 month <= p.d)
),
o as (
  select o.customer_id, o.period, o.revenue, o.cost_to_serve, o.products,
         date_diff('month', o.period, p.d) as age          -- 1 = the last complete month
  from outcomes o, p
  where o.period + interval 1 month <= p.d and o.period + interval 13 month > p.d
),
oagg as (
  select customer_id,
         arg_max(products, period) as products,
         arg_max(products, period) filter (where age <= 6) - arg_min(products, period) filter (where age <= 6) as products_change_6m,
         arg_max(revenue, period) as revenue_last_month,
         avg(revenue) filter (where age <= 3) as revenue_3m,
         avg(revenue) filter (where age between 4 and 6) as revenue_prev_3m,
         regr_slope(revenue, -age) filter (where age <= 6) as revenue_slope_6m,
         avg(cost_to_serve) filter (where age <= 3) as cost_to_serve_3m,
         sum(cost_to_serve) as cost_to_serve_12m,
         count(*) as months_known_12m
  from o group by customer_id
),
e as (
  select e.customer_id, e.case_id, e.journey, e.activity, e.channel, e.ts,
         try_cast(e.properties->>'wait_seconds' as double) as wait,
         (e.properties->>'campaign_id') as campaign_id,
         (epoch(p.t) - epoch(e.ts)) / 86400 as age_days
  from events e, p
  where e.ts < p.t and e.customer_id is not null
),
cases as (
  select customer_id, case_id, any_value(journey) as journey,
         max(age_days) as case_age,                       -- days since the case started
         count(wait) as contacts,
         arg_min(channel, ts) as first_channel,
         bool_or(campaign_id is not null) as is_campaign
  from e group by customer_id, case_id
),
cagg as (
  select customer_id,
         ${journeyCols.length ? `${journeyCols.join(',\n         ')},` : ''}
         count(*) filter (where not is_campaign and case_age <= 90) as cases_90d,
         count(*) filter (where not is_campaign and case_age <= 365) as cases_365d,
         count(*) filter (where contacts > 1 and case_age <= 90) as repeated_contact_cases_90d,
         count(*) filter (where contacts > 1 and case_age <= 365) as repeated_contact_cases_365d,
         coalesce(sum(greatest(contacts - 1, 0)) filter (where case_age <= 365), 0) as extra_contacts_365d,
         avg((first_channel in ('web', 'app'))::integer) filter (where not is_campaign) as digital_share,
         min(case_age) filter (where not is_campaign) as days_since_last_case
  from cases group by customer_id
),
eagg as (
  select customer_id,
         count(wait) filter (where age_days <= 90) as contacts_90d,
         count(wait) filter (where age_days <= 365) as contacts_365d,
         coalesce(sum(wait) filter (where age_days <= 90), 0) as wait_total_90d,
         coalesce(sum(wait) filter (where age_days <= 365), 0) as wait_total_365d,
         avg(wait) as wait_mean,
         max(wait) filter (where age_days <= 365) as wait_max_365d,
         count(*) filter (where wait > 600 and age_days <= 365) as long_waits_365d,
         min(age_days) filter (where wait is not null) as days_since_last_contact,
         count(*) filter (where activity ilike '%retention offer accepted%') as retention_offers_accepted,
         count(*) filter (where activity ilike '%cancellation requested%') as cancellation_requests,
         count(*) filter (where campaign_id is not null and activity not ilike '%assigned%' and age_days <= 365)
           as campaign_touches_365d,
         count(*) filter (where campaign_id is not null and activity ilike '%clicked%' and age_days <= 365)
           as campaign_clicks_365d
  from e group by customer_id
),
f as (
  select f.customer_id, f.ts, f.nps, f.csat, f.ces, f.sentiment, f.sentiment_score, f.themes,
         try_cast(f.elements->>'speed' as double) as speed, try_cast(f.elements->>'ease' as double) as ease,
         (epoch(p.t) - epoch(f.ts)) / 86400 as age_days
  from feedback f, p
  where f.ts < p.t and f.customer_id is not null
),
fagg as (
  select customer_id,
         count(*) as responses,
         arg_max(nps, ts) filter (where nps is not null) as nps_last,
         avg(nps) as nps_mean,
         min(nps) filter (where age_days <= 365) as nps_min_365d,
         count(*) filter (where nps <= 6 and age_days <= 365) as detractor_responses_365d,
         arg_max(csat, ts) filter (where csat is not null) as csat_last,
         avg(csat) as csat_mean,
         avg(ces) as ces_mean,
         avg(speed) as speed_mean,
         avg(ease) as ease_mean,
         count(sentiment) as comments,
         avg((sentiment = 'negative')::integer) as negative_comment_share,
         avg(sentiment_score) as sentiment_mean,
         min(age_days) as days_since_last_response${themeCols.length ? `,\n         ${themeCols.join(',\n         ')}` : ''}
  from f group by customer_id
)
select a.*,
       oagg.* exclude (customer_id),
       oagg.revenue_3m - oagg.revenue_prev_3m as revenue_trend,
       cagg.* exclude (customer_id),
       eagg.* exclude (customer_id),
       fagg.* exclude (customer_id)
from active a
left join oagg using (customer_id)
left join cagg using (customer_id)
left join eagg using (customer_id)
left join fagg using (customer_id)
order by a.customer_id`;
  return { sql, params };
}

/**
 * Count-like features are 0, not missing, for a customer with no rows in that source (a customer
 * without cases has 0 cases); means, last values and recencies stay missing (no survey ≠ NPS 0).
 */
export const ZERO_WHEN_ABSENT =
  /^(cases_|repeated_|extra_|contacts_|wait_total|long_waits|retention_|cancellation_|campaign_|responses$|detractor_|comments$|theme_)/;

/** The most frequent journeys and comment themes before the cutoff: the model's feature vocabulary. */
export async function featureVocabulary(
  wh: WarehouseSession,
  cutoff: string,
  limits = { journeys: 10, themes: 8 },
): Promise<FeatureVocabulary> {
  assertDate(cutoff, 'cutoff');
  const [journeys, themes] = await Promise.all([
    wh.all<{ v: string }>(
      `select journey as v from events
       where ts < cast(cast($1 as date) as timestamptz) and journey is not null
         and (properties->>'campaign_id') is null
       group by journey order by count(distinct case_id) desc, journey limit ${Math.trunc(limits.journeys)}`,
      [cutoff],
    ),
    wh.all<{ v: string }>(
      `select t as v from (select unnest(themes) as t from feedback
                           where ts < cast(cast($1 as date) as timestamptz))
       group by t order by count(*) desc, t limit ${Math.trunc(limits.themes)}`,
      [cutoff],
    ),
  ]);
  return { journeys: journeys.map((r) => r.v), themes: themes.map((r) => r.v) };
}

/** Column-oriented feature table: one array per column, in the query's column order. */
export interface FeatureTable {
  customerIds: string[];
  columns: { name: string; values: (number | string | null)[] }[];
}

/** Runs a feature (or feature + label) statement and turns its rows into columns. */
export async function readColumns(
  wh: WarehouseSession,
  sql: string,
  params: string[],
): Promise<{ names: string[]; cols: Map<string, unknown[]>; n: number }> {
  const rows = await wh.all(sql, params);
  const names = rows.length ? Object.keys(rows[0]!) : [];
  const cols = new Map<string, unknown[]>();
  for (const name of names) {
    const col = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) col[i] = rows[i]![name];
    cols.set(name, col);
  }
  return { names, cols, n: rows.length };
}

export async function customerFeatures(
  wh: WarehouseSession,
  opts: FeatureQueryOptions,
): Promise<FeatureTable> {
  const { sql, params } = customerFeaturesSql(opts);
  const { names, cols } = await readColumns(wh, sql, params);
  return toFeatureTable(names, cols);
}

export function toFeatureTable(
  names: string[],
  cols: Map<string, unknown[]>,
  skip: string[] = [],
): FeatureTable {
  const customerIds = (cols.get('customer_id') ?? []) as string[];
  const columns = names
    .filter((n) => n !== 'customer_id' && !skip.includes(n))
    .map((name) => {
      const raw = cols.get(name)!;
      const zero = ZERO_WHEN_ABSENT.test(name);
      const categorical = (CATEGORICAL_FEATURES as readonly string[]).includes(name);
      const values = raw.map((v) => {
        if (v === null || v === undefined) return zero ? 0 : null;
        if (categorical) return String(v);
        return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v);
      });
      return { name, values };
    });
  return { customerIds, columns };
}
