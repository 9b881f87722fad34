import {
  type CampaignResult,
  type Campaigns,
  campaignRoi,
  type DataScope,
  type Difference,
  NOT_IDENTIFIED,
  normalTwoSidedP,
  npsFromCounts,
  proportionDifference,
  Z95,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

export interface ConversionOptions {
  /** Activity that counts as a conversion; default the demo's upgrade `Order placed`. */
  conversionActivity?: string;
  /** Journey of the conversion activity and of the journeys counted; null = any journey. */
  conversionJourney?: string | null;
  /** Margin of one conversion over 12 months; default measured from outcomes. */
  valuePerConversion?: number;
}

export const DEFAULT_CONVERSION = { activity: 'Order placed', journey: 'upgrade' } as const;

/** NPS answers after the campaign start count up to this many days after its end. */
export const NPS_DAYS_AFTER = 90;

interface ArmRow {
  cid: string;
  grp: 'treatment' | 'holdout';
  customers: number;
  conversions: number;
  journey_customers: number;
  journey_cases: number;
  promoters: number;
  passives: number;
  detractors: number;
}

/**
 * Per campaign (issue 6 §5): spend, reach, touches, conversions and conversion rates of treatment
 * and holdout, the incremental lift with its 95 % interval and z test, incremental conversions and
 * margin, ROI with an interval, and the effect on scores (NPS) and on journeys.
 *
 * Design: a customer is in a campaign's treatment or holdout when one of their events carries
 * `properties.campaign_id` and `properties.group` (docs/demo-data.md "Campaigns"). A campaign
 * without a holdout gets `lift: null` and the reason — its incremental effect is not identified
 * here (see campaignDid for a difference-in-differences design); nothing is attributed by last touch.
 *
 * Conversion: a customer with the conversion activity (in the conversion journey) between the
 * campaign's first and last day. Value of a conversion (unless given): the 12-month margin gain of
 * a converter beyond a non-converter of the same campaign — 12 × (mean monthly margin change of
 * converters − that of non-converters), each change = mean margin of the 3 months after the campaign
 * − mean of the 3 months before it. ROI interval: the lift interval mapped through ROI, the value
 * per conversion taken as known.
 */
export async function campaignResults(
  wh: WarehouseSession,
  scope: DataScope,
  options: ConversionOptions = {},
): Promise<Campaigns> {
  const activity = options.conversionActivity ?? DEFAULT_CONVERSION.activity;
  const journey =
    options.conversionJourney === undefined ? DEFAULT_CONVERSION.journey : options.conversionJourney || null;
  const sc = scopeSql(scope, 'e', 'outcomes');
  // Campaign events of customers in scope; assignment = (customer, campaign, group).
  const base = `with camp as (select campaign_id, name, channel, start_date, end_date, spend from campaigns),
    ev as (select e.customer_id, e.activity, (e.properties->>'campaign_id') as cid, (e.properties->>'group') as grp
           from events e where (e.properties->>'campaign_id') is not null and ${sc.sql}),
    a as (select distinct ev.customer_id, ev.cid, ev.grp from ev where ev.grp in ('treatment', 'holdout')),
    win as (select a.*, c.start_date, c.end_date from a join camp c on c.campaign_id = a.cid)`;
  const jp = journey === null ? 'true' : 'u.journey = ?';
  const jParams = journey === null ? [] : [journey];

  const [campaigns, arms, touches, gains] = await Promise.all([
    wh.all<{
      campaign_id: string;
      name: string;
      channel: string | null;
      start_date: string | null;
      end_date: string | null;
      spend: number | null;
    }>(
      `select campaign_id, name, channel, start_date::varchar as start_date, end_date::varchar as end_date, spend
       from campaigns order by start_date, campaign_id`,
    ),
    wh.all<ArmRow>(
      `${base},
       cv as (select distinct w.cid, w.customer_id from win w join events u on u.customer_id = w.customer_id
              where u.activity = ? and ${jp} and u.ts >= w.start_date and u.ts < w.end_date + interval 1 day),
       cs as (select u.customer_id, u.case_id, min(u.ts) as started from events u
              where ${journey === null ? 'u.journey is not null' : 'u.journey = ?'}
                and u.customer_id in (select customer_id from a) group by 1, 2),
       js as (select w.cid, w.customer_id, count(*) as cases from win w join cs on cs.customer_id = w.customer_id
              where cs.started >= w.start_date and cs.started < w.end_date + interval 1 day group by 1, 2),
       fb as (select w.cid, w.customer_id,
                     count(*) filter (where f.nps >= 9) as pro, count(*) filter (where f.nps between 7 and 8) as pas,
                     count(*) filter (where f.nps <= 6) as det
              from win w join feedback f on f.customer_id = w.customer_id
              where f.nps is not null and f.ts >= w.start_date and f.ts < w.end_date + interval ${NPS_DAYS_AFTER + 1} day
              group by 1, 2)
       select a.cid, a.grp, count(*) as customers, count(cv.customer_id) as conversions,
              count(js.customer_id) as journey_customers, coalesce(sum(js.cases), 0) as journey_cases,
              coalesce(sum(fb.pro), 0) as promoters, coalesce(sum(fb.pas), 0) as passives, coalesce(sum(fb.det), 0) as detractors
       from a left join cv on cv.cid = a.cid and cv.customer_id = a.customer_id
              left join js on js.cid = a.cid and js.customer_id = a.customer_id
              left join fb on fb.cid = a.cid and fb.customer_id = a.customer_id
       group by 1, 2`,
      [...sc.params, activity, ...jParams, ...jParams],
    ),
    wh.all<{ cid: string; activity: string; n: number }>(
      `${base} select cid, activity, count(*) as n from ev group by 1, 2 order by 1, n desc, 2`,
      sc.params,
    ),
    options.valuePerConversion !== undefined
      ? Promise.resolve([])
      : wh.all<{ cid: string; gain_conv: number | null; gain_other: number | null; converters: number }>(
          `${base},
           cv as (select distinct w.cid, w.customer_id from win w join events u on u.customer_id = w.customer_id
                  where u.activity = ? and ${jp} and u.ts >= w.start_date and u.ts < w.end_date + interval 1 day),
           mg as (select w.cid, w.customer_id,
                         avg(o.revenue - o.cost_to_serve) filter (where o.period > w.end_date
                             and o.period <= w.end_date + interval 3 month) -
                         avg(o.revenue - o.cost_to_serve) filter (where o.period < w.start_date
                             and o.period >= w.start_date - interval 3 month) as change
                  from win w join outcomes o on o.customer_id = w.customer_id group by 1, 2)
           select mg.cid, avg(change) filter (where cv.customer_id is not null) as gain_conv,
                  avg(change) filter (where cv.customer_id is null) as gain_other,
                  count(change) filter (where cv.customer_id is not null) as converters
           from mg left join cv on cv.cid = mg.cid and cv.customer_id = mg.customer_id group by 1`,
          [...sc.params, activity, ...jParams],
        ),
  ]);

  const results: CampaignResult[] = campaigns.map((c) => {
    const arm = (g: 'treatment' | 'holdout') => {
      const r = arms.find((x) => x.cid === c.campaign_id && x.grp === g);
      if (!r) return null;
      const nps = npsFromCounts({ promoters: r.promoters, passives: r.passives, detractors: r.detractors });
      return {
        customers: r.customers,
        conversions: r.conversions,
        rate: r.conversions / r.customers,
        journeyCustomers: r.journey_customers,
        journeyCases: r.journey_cases,
        nps: { n: nps.n, nps: nps.nps, ci95: nps.ci95, variance: nps.variance },
      };
    };
    const t = arm('treatment');
    const h = arm('holdout');
    const touchRows = touches
      .filter((x) => x.cid === c.campaign_id)
      .map((x) => ({ activity: x.activity, count: x.n }));
    const reach = t || h ? (t?.customers ?? 0) + (h?.customers ?? 0) : null;
    const strip = (a: typeof t) => {
      if (!a) return null;
      const { variance: _v, ...nps } = a.nps;
      return { ...a, nps };
    };
    const common = {
      campaignId: c.campaign_id,
      name: c.name,
      channel: c.channel,
      startDate: c.start_date,
      endDate: c.end_date,
      spend: c.spend,
      reach,
      treatment: strip(t),
      holdout: strip(h),
      touches: touchRows,
    };
    if (!t || !h || t.customers === 0 || h.customers === 0) {
      return {
        ...common,
        design: 'none',
        lift: null,
        liftReason: NOT_IDENTIFIED,
        incrementalConversions: null,
        valuePerConversion: null,
        incrementalMargin: null,
        roi: null,
        roiReason: 'ROI needs an identified incremental effect',
        npsEffect: null,
        journeyEffect: null,
      };
    }
    const lift = proportionDifference(t.conversions, t.customers, h.conversions, h.customers);
    const gain = gains.find((g) => g.cid === c.campaign_id);
    const valuePerConversion =
      options.valuePerConversion !== undefined
        ? {
            value: options.valuePerConversion,
            source: 'request' as const,
            converters: t.conversions + h.conversions,
          }
        : gain && gain.gain_conv !== null && gain.gain_other !== null
          ? {
              value: 12 * (gain.gain_conv - gain.gain_other),
              source: 'outcomes' as const,
              converters: gain.converters,
            }
          : null;
    const scaled = (k: number) => ({
      estimate: lift.estimate * k,
      ci95: [lift.ci95[0] * k, lift.ci95[1] * k] as [number, number],
    });
    const money =
      valuePerConversion && c.spend && c.spend > 0
        ? campaignRoi({
            lift: lift.estimate,
            liftCi95: lift.ci95,
            treated: t.customers,
            valuePerConversion: valuePerConversion.value,
            spend: c.spend,
          })
        : null;
    return {
      ...common,
      design: 'holdout',
      lift: { ...lift, significant: lift.p !== null && lift.p < 0.05 },
      liftReason: null,
      incrementalConversions: scaled(t.customers),
      valuePerConversion,
      incrementalMargin: valuePerConversion ? scaled(t.customers * valuePerConversion.value) : null,
      roi: money ? { estimate: money.roi, ci95: money.ci95 } : null,
      roiReason: money
        ? null
        : !c.spend
          ? 'no spend recorded for the campaign'
          : 'no value per conversion: no converter with outcomes before and after the campaign',
      npsEffect: npsDifference(t.nps, h.nps),
      journeyEffect: proportionDifference(t.journeyCustomers, t.customers, h.journeyCustomers, h.customers),
    };
  });
  return {
    conversion: { activity, journey },
    campaigns: results,
    method: {
      design: 'treatment and holdout from properties.campaign_id / properties.group of the campaign events',
      conversion: `a customer with "${activity}"${journey ? ` in journey ${journey}` : ''} between the campaign's first and last day`,
      lift: 'treatment − holdout conversion rate; Wald 95 % interval, pooled two-proportion z test',
      value:
        'value per conversion: 12 × (monthly margin change of converters − of non-converters), 3 months after vs 3 months before',
      roi: '(incremental margin − spend) / spend; interval from the lift interval',
      nps: `NPS of the group's answers from the campaign start to ${NPS_DAYS_AFTER} days after its end`,
      journeys: `share of customers starting a ${journey ?? 'any'} journey during the campaign`,
      notIdentified: NOT_IDENTIFIED,
    },
  };
}

/** NPS difference (points) with the normal interval on the two variances. */
function npsDifference(
  a: { n: number; nps: number | null; variance: number | null },
  b: { n: number; nps: number | null; variance: number | null },
): Difference | null {
  if (a.nps === null || b.nps === null || a.variance === null || b.variance === null) return null;
  const se = 100 * Math.sqrt(a.variance / a.n + b.variance / b.n);
  const estimate = a.nps - b.nps;
  if (se === 0) return null;
  const z = estimate / se;
  return {
    estimate,
    se,
    ci95: [estimate - Z95 * se, estimate + Z95 * se],
    z,
    p: normalTwoSidedP(z),
  };
}
