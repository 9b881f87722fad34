import { AppError } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLoads, undoLoad } from '../ingestion/loads.ts';
import { tableCounts } from '../queries/table-counts.ts';
import { openStores, type Stores } from '../stores.ts';
import type { WarehouseSession } from '../warehouse/port.ts';
import { seedDemo } from './seed.ts';

/**
 * The demo company must carry the causal structure docs/demo-data.md promises, because later
 * analyses (drivers, churn, campaign lift, process mining) are tested against it. Checked here with
 * SQL on a small company.
 */
let stores: Stores;
let loadId: string;
let counts: Record<string, number>;

beforeAll(async () => {
  stores = await openStores('memory');
  const r = await seedDemo(stores.warehouse, { customers: 2000, seed: 42 });
  loadId = r.loadId;
  counts = r.counts;
});
afterAll(async () => {
  await stores?.close();
});

const one = async <T>(wh: WarehouseSession, sql: string, params: unknown[] = []) =>
  (await wh.all<T>(sql, params as never))[0]!;

describe('seedDemo', () => {
  it('stores one demo load whose counts match the tables', async () => {
    const stored = await tableCounts(stores.warehouse);
    for (const [t, n] of Object.entries(counts)) expect(stored[t as keyof typeof stored], t).toBe(n);
    expect(counts.customers).toBe(2000);
    expect(counts.events).toBeGreaterThan(30_000);
    const [load] = await listLoads(stores.warehouse);
    expect(load).toMatchObject({ load_id: loadId, kind: 'demo', status: 'done' });
    expect(load!.rows_stored).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  });

  it('has at least 5 journeys and 5 channels, identities from several systems and 18 months of outcomes', async () => {
    const r = await one<{
      journeys: number;
      channels: number;
      sources: number;
      periods: number;
      lastPeriod: string;
    }>(
      stores.warehouse,
      `select (select count(distinct journey) from events where journey <> 'campaign') as journeys,
              (select count(distinct channel) from events where channel <> 'back_office') as channels,
              (select count(distinct source) from identities) as sources,
              (select count(distinct period) from outcomes) as periods,
              (select max(period)::varchar from outcomes) as "lastPeriod"`,
    );
    expect(r.journeys).toBeGreaterThanOrEqual(5);
    expect(r.channels).toBeGreaterThanOrEqual(5);
    expect(r.sources).toBeGreaterThanOrEqual(4);
    expect(r.periods).toBe(18);
    expect(r.lastPeriod).toBe('2026-06-01');
  });

  it('long waits lower CSAT, NPS and the speed element; waiting time outweighs repeated contacts', async () => {
    const r = await one<{
      csatShort: number;
      csatLong: number;
      npsShort: number;
      npsLong: number;
      speedShort: number;
      speedLong: number;
      corrWait: number;
      corrContacts: number;
    }>(
      stores.warehouse,
      `with f as (
         select csat, nps, (elements->>'speed')::int as speed,
                (properties->>'wait_seconds')::double as wait, (properties->>'contacts')::int as contacts
         from feedback where (properties->>'contacts')::int > 0)
       select avg(csat) filter (where wait < 120) as "csatShort", avg(csat) filter (where wait > 600) as "csatLong",
              avg(nps) filter (where wait < 120) as "npsShort", avg(nps) filter (where wait > 600) as "npsLong",
              avg(speed) filter (where wait < 120) as "speedShort", avg(speed) filter (where wait > 600) as "speedLong",
              corr(least(wait, 1800), csat) as "corrWait", corr(contacts, csat) as "corrContacts"
       from f`,
    );
    expect(r.csatShort - r.csatLong).toBeGreaterThan(1);
    expect(r.npsShort - r.npsLong).toBeGreaterThan(2);
    expect(r.speedShort - r.speedLong).toBeGreaterThan(1.5);
    expect(r.corrWait).toBeLessThan(-0.4);
    expect(r.corrContacts).toBeLessThan(0);
    expect(Math.abs(r.corrWait)).toBeGreaterThan(Math.abs(r.corrContacts));
  });

  it('repeated contacts lower CSAT', async () => {
    const r = await one<{ one: number; more: number }>(
      stores.warehouse,
      `select avg(csat) filter (where (properties->>'contacts')::int = 1) as one,
              avg(csat) filter (where (properties->>'contacts')::int >= 2) as more
       from feedback`,
    );
    expect(r.one - r.more).toBeGreaterThan(0.3);
  });

  it('detractors churn more than passives, passives more than promoters; detractors end with fewer products', async () => {
    const rows = await stores.warehouse.all<{ grp: string; n: number; churn: number; productChange: number }>(
      `with g as (select customer_id, avg(nps) as nps from feedback group by 1),
            o as (select customer_id, bool_or(churned) as churned,
                         arg_max(products, period) - arg_min(products, period) as change
                  from outcomes group by 1)
       select case when nps >= 9 then 'promoter' when nps >= 7 then 'passive' else 'detractor' end as grp,
              count(*) as n, avg(churned::int) as churn, avg(change) as "productChange"
       from g join o using (customer_id) group by 1`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.grp, r]));
    for (const g of ['detractor', 'passive', 'promoter']) expect(by[g]!.n, g).toBeGreaterThan(150);
    expect(by.detractor!.churn).toBeGreaterThan(by.passive!.churn + 0.04);
    expect(by.passive!.churn).toBeGreaterThan(by.promoter!.churn);
    expect(by.detractor!.productChange).toBeLessThan(by.promoter!.productChange);
  });

  it('the 5G campaign lifts conversion against its holdout; the TV bundle does not', async () => {
    const rows = await stores.warehouse.all<{ cid: string; grp: string; n: number; conv: number }>(
      `with a as (
         select e.customer_id, e.properties->>'campaign_id' as cid, e.properties->>'group' as grp, c.start_date, c.end_date
         from events e join campaigns c on c.campaign_id = (e.properties->>'campaign_id')
         where e.activity = 'Campaign assigned'),
       conv as (
         select a.*, exists (select 1 from events u where u.customer_id = a.customer_id and u.journey = 'upgrade'
                               and u.activity = 'Order placed' and u.ts >= a.start_date
                               and u.ts < a.end_date + interval 1 day) as converted
         from a)
       select cid, grp, count(*) as n, avg(converted::int) as conv from conv group by 1, 2`,
    );
    const z = (cid: string) => {
      const t = rows.find((r) => r.cid === cid && r.grp === 'treatment')!;
      const h = rows.find((r) => r.cid === cid && r.grp === 'holdout')!;
      const p = (t.conv * t.n + h.conv * h.n) / (t.n + h.n);
      return (t.conv - h.conv) / Math.sqrt(p * (1 - p) * (1 / t.n + 1 / h.n));
    };
    expect(z('CMP-5G-UPGRADE')).toBeGreaterThan(3);
    expect(Math.abs(z('CMP-TV-BUNDLE'))).toBeLessThan(1.96);
    const [spend] = await stores.warehouse.all<{ n: number }>(
      'select count(*) as n from campaigns where spend > 0',
    );
    expect(spend!.n).toBe(3);
  });

  it('the billing question journey has the redundant hotline → transfer → hotline loop in a share of cases', async () => {
    const r = await one<{ hotlineCases: number; loopCases: number; edge: number }>(
      stores.warehouse,
      `with e as (
         select case_id, activity, lead(activity) over (partition by case_id order by ts, event_id) as nxt
         from events where journey = 'billing_question')
       select count(distinct case_id) filter (where activity = 'Call hotline') as "hotlineCases",
              count(distinct case_id) filter (where activity = 'Transfer to billing team' and nxt = 'Call hotline') as "loopCases",
              count(*) filter (where activity = 'Transfer to billing team' and nxt = 'Call hotline') as edge
       from e`,
    );
    const share = r.loopCases / r.hotlineCases;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.5);
    expect(r.edge).toBeGreaterThan(r.loopCases); // some cases loop more than once
  });

  it('comments are varied, multilingual, and some responses have none', async () => {
    const r = await one<{ n: number; distinct: number; langs: number; without: number }>(
      stores.warehouse,
      `with c as (select comment, language from feedback where comment is not null order by response_id limit 800)
       select count(*) as n, count(distinct comment) as distinct, count(distinct language) as langs,
              (select count(*) from feedback where comment is null) as without from c`,
    );
    expect(r.n).toBe(800);
    expect(r.distinct / r.n).toBeGreaterThan(0.5);
    expect(r.langs).toBe(3);
    expect(r.without).toBeGreaterThan(0);
  });

  it('comments are enriched like any load: every one has a sentiment, the taxonomy finds the themes the generator wrote', async () => {
    const r = await one<{ n: number; unscored: number; themed: number; recall: number }>(
      stores.warehouse,
      `with c as (select sentiment, themes, json_extract_string(properties, '$.true_themes') as truth
                  from feedback where comment is not null)
       select count(*) as n, count(*) filter (where sentiment is null) as unscored,
              count(*) filter (where len(themes) > 0) as themed,
              avg(case when truth is not null and truth <> '[]' then
                (len(list_filter(themes, t -> contains(truth, '"' || t || '"'))) > 0)::int end) as recall
       from c`,
    );
    expect(r.n).toBeGreaterThan(500);
    expect(r.unscored).toBe(0);
    expect(r.themed / r.n).toBeGreaterThan(0.5);
    // Share of comments with at least one of their true themes found: 0.895 for this seed and size.
    expect(r.recall).toBeGreaterThan(0.85);
  });

  it('has per-contact and daily per-channel service levels', async () => {
    const rows = await stores.warehouse.all<{ kpi: string; n: number }>(
      `select kpi, count(*) as n from measurements group by 1 order by 1`,
    );
    const kpis = Object.fromEntries(rows.map((r) => [r.kpi, r.n]));
    for (const k of [
      'wait_seconds',
      'first_contact_resolution',
      'wait_seconds_mean',
      'wait_seconds_p90',
      'answered_within_60s',
      'first_contact_resolution_rate',
    ]) {
      expect(kpis[k], k).toBeGreaterThan(0);
    }
    const [dup] = await stores.warehouse.all<{ n: number }>(
      'select count(*) as n from (select ts, kpi, scope from measurements group by all having count(*) > 1)',
    );
    expect(dup!.n).toBe(0);
  });

  it('refuses a second demo load and leaves the store unchanged', async () => {
    const before = await tableCounts(stores.warehouse);
    const err = await seedDemo(stores.warehouse, { customers: 10, seed: 42 }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('conflict');
    expect((err as AppError).message).toMatch(/seed 42.*--replace/);
    expect(await tableCounts(stores.warehouse)).toEqual(before);
  });
});

describe('seedDemo on its own store', () => {
  it('is deterministic in the database, replaces itself on request, and can be undone', async () => {
    const fingerprint = async (s: Stores) =>
      one<Record<string, number>>(
        s.warehouse,
        `select (select sum(hash(event_id, ts, activity, channel, resource, value, properties::varchar)) from events) as events,
                (select sum(hash(response_id, nps, csat, ces, elements::varchar, comment)) from feedback) as feedback,
                (select sum(hash(ts, kpi, scope, value)) from measurements) as measurements,
                (select sum(hash(customer_id, period, revenue, cost_to_serve, churned, products)) from outcomes) as outcomes`,
      );
    const a = await openStores('memory');
    const b = await openStores('memory');
    try {
      await seedDemo(a.warehouse, { customers: 150, seed: 9 });
      await seedDemo(b.warehouse, { customers: 150, seed: 9 });
      const fa = await fingerprint(a);
      expect(await fingerprint(b)).toEqual(fa);

      const second = await seedDemo(a.warehouse, { customers: 150, seed: 9, replace: true });
      expect(await fingerprint(a)).toEqual(fa);
      const loads = await listLoads(a.warehouse);
      expect(loads.map((l) => l.status).sort()).toEqual(['done', 'undone']);

      await undoLoad(a.warehouse, second.loadId, new Date());
      const empty = await tableCounts(a.warehouse);
      expect(Object.values(empty).every((n) => n === 0)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a bad customer count with the field named, storing nothing', async () => {
    const s = await openStores('memory');
    try {
      const err = await seedDemo(s.warehouse, { customers: 0, seed: 1 }).catch((e) => e);
      expect((err as AppError).code).toBe('bad_input');
      expect((err as AppError).message).toMatch(/customers/);
      expect((await tableCounts(s.warehouse)).events).toBe(0);
    } finally {
      await s.close();
    }
  });
});
