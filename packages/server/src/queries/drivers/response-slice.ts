import { AppError, type DataScope, type MetricsNodeFilter, type NodeMeasure } from '@cx/core';
import { and, type Period, periodSql, type SqlFragment, scopeSql } from '../scope-sql.ts';

/**
 * Shared SQL pieces of the driver queries: which survey responses a link is computed on, and how a
 * node's measure is read off one response. Identifiers come from whitelists or validated names
 * (`[a-z][a-z0-9_]*`); values travel as parameters.
 */
export interface ResponseSlice {
  scope: DataScope;
  period: Period;
  /** The node's own filter and its ancestors': every one must hold (they intersect). */
  filters: MetricsNodeFilter[];
}

const FILTER_COLUMN = { journeys: 'journey', touchpoints: 'touchpoint', channels: 'channel' } as const;

export function nodeFilterSql(filter: MetricsNodeFilter | undefined, alias: string): SqlFragment {
  const parts: string[] = [];
  const params: string[] = [];
  for (const key of ['journeys', 'touchpoints', 'channels'] as const) {
    const values = filter?.[key];
    if (!values?.length) continue;
    parts.push(`${alias}.${FILTER_COLUMN[key]} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

/** The responses of a slice: feedback rows `f` in scope, period and every node filter. */
export function sliceSql(slice: ResponseSlice, alias = 'f'): SqlFragment {
  return and(
    scopeSql(slice.scope, alias, 'feedback'),
    periodSql(slice.period, alias),
    ...slice.filters.map((flt) => nodeFilterSql(flt, alias)),
  );
}

const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;
const checked = (name: string) => {
  if (!NAME_RE.test(name)) throw new AppError('internal', `Invalid measure name ${name}`);
  return name;
};

/**
 * SQL of one measure on response `r`, joined with per-case event aggregates `ev` and measurement
 * pivots `ms` (columns named by `measurementColumn`). As the target of a link, NPS is coded
 * promoter 100 / passive 0 / detractor −100: its mean is the NPS, so coefficients are NPS points.
 */
export function measureSql(m: NodeMeasure, role: 'target' | 'driver'): string {
  switch (m.type) {
    case 'score':
      if (m.score === 'nps' && role === 'target')
        return 'case when r.nps is null then null when r.nps >= 9 then 100.0 when r.nps <= 6 then -100.0 else 0.0 end';
      return `r.${m.score}::double`;
    case 'element':
      return `try_cast(r.elements->>'${checked(m.name)}' as double)`;
    case 'measurement':
      return `ms.${measurementColumn(m.kpi)}`;
    case 'kpi': {
      // A response without a case has no service levels (missing), one whose case had no contact
      // waited 0 minutes and had 0 contacts.
      const onCase = (expr: string) => `case when r.case_id is null then null else ${expr} end`;
      if (m.kpi === 'wait_minutes') return onCase('coalesce(ev.wait_seconds, 0) / 60.0');
      if (m.kpi === 'assisted_contacts') return onCase('coalesce(ev.contacts, 0)::double');
      if (m.kpi === 'extra_contacts') return onCase('greatest(coalesce(ev.contacts, 0) - 1, 0)::double');
      if (m.kpi === 'transfers') return onCase('coalesce(ev.transfers, 0)::double');
      return `ms.${measurementColumn('first_contact_resolution')}`;
    }
  }
}

export const measurementColumn = (kpi: string) => `m_${checked(kpi)}`;

/** Measurement KPIs (scope `case:<id>`) the measures need: `kpi:first_contact_resolution` is one. */
export function measurementKpis(measures: NodeMeasure[]): string[] {
  const out = new Set<string>();
  for (const m of measures) {
    if (m.type === 'measurement') out.add(m.kpi);
    if (m.type === 'kpi' && m.kpi === 'first_contact_resolution') out.add('first_contact_resolution');
  }
  return [...out];
}

const needsEvents = (measures: NodeMeasure[]) =>
  measures.some((m) => m.type === 'kpi' && m.kpi !== 'first_contact_resolution');

/**
 * `with r as (responses), ev as (per-case waits, contacts, transfers), ms as (per-case measurements)`
 * and the joins that bring them to `r`. Service KPIs come from the events and measurements of the
 * response's case — waits are `properties.wait_seconds` of the contact events, a contact is an event
 * with a wait, a transfer an activity starting "Transfer" — never from survey properties.
 */
export function responseCtes(slice: ResponseSlice, measures: NodeMeasure[]): SqlFragment & { joins: string } {
  const where = sliceSql(slice, 'f');
  const params: string[] = [...where.params];
  let sql = `with r as materialized (
    select f.response_id, f.case_id, f.ts, f.journey, f.touchpoint, f.channel, f.nps, f.csat, f.ces, f.elements
    from feedback f where ${where.sql})`;
  let joins = '';
  if (needsEvents(measures)) {
    sql += `,
  ev as (
    select e.case_id,
      sum(try_cast(e.properties->>'wait_seconds' as double)) as wait_seconds,
      count(try_cast(e.properties->>'wait_seconds' as double)) as contacts,
      count(*) filter (where e.activity ilike 'transfer%') as transfers
    from events e
    where e.case_id in (select case_id from r where case_id is not null)
    group by e.case_id)`;
    joins += ' left join ev on ev.case_id = r.case_id';
  }
  const kpis = measurementKpis(measures);
  if (kpis.length) {
    sql += `,
  ms as (
    select m.scope as case_scope, ${kpis
      .map((k) => `avg(m.value) filter (where m.kpi = ?) as ${measurementColumn(k)}`)
      .join(', ')}
    from measurements m
    where m.scope in (select 'case:' || case_id from r where case_id is not null)
      and m.kpi in (${kpis.map(() => '?').join(', ')})
    group by m.scope)`;
    params.push(...kpis, ...kpis);
    joins += " left join ms on ms.case_scope = 'case:' || r.case_id";
  }
  return { sql, params, joins };
}
