import {
  type CampaignDid,
  campaignRoi,
  type DataScope,
  type DidCell,
  differenceInDifferences,
  inputError,
  NOT_IDENTIFIED,
  rateCell,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';
import { marks } from '../sql-marks.ts';
import { type ConversionOptions, DEFAULT_CONVERSION } from './campaign-results.ts';

export interface DidOptions extends ConversionOptions {
  /** Regions exposed to the campaign (e.g. where the sponsored league plays). */
  exposedRegions?: string[];
  /** Comparison regions; default every other region. */
  comparisonRegions?: string[];
  metric?: 'conversion' | 'nps';
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Difference-in-differences for a campaign without a holdout (sponsoring, advertising): exposed
 * regions against comparison regions, during the campaign against the same number of days just
 * before it, on the conversion rate (customers with an outcome row in the window who converted in
 * it) or on NPS (answers in the window). DiD = (T_during − T_before) − (C_during − C_before), with
 * the four cells as independent samples (core `differenceInDifferences`). Without exposed regions
 * there is no comparison group and the result says so instead of inventing a number.
 */
export async function campaignDid(
  wh: WarehouseSession,
  scope: DataScope,
  campaignId: string,
  options: DidOptions = {},
): Promise<CampaignDid> {
  const metric = options.metric ?? 'conversion';
  const [camp] = await wh.all<{ start_date: string | null; end_date: string | null; spend: number | null }>(
    'select start_date::varchar as start_date, end_date::varchar as end_date, spend from campaigns where campaign_id = ?',
    [campaignId],
  );
  if (!camp) throw inputError(`no campaign ${campaignId}`, { field: 'campaign' });
  if (!camp.start_date || !camp.end_date)
    throw inputError(`campaign ${campaignId} has no start or end date`, { field: 'campaign' });
  const start = Date.parse(`${camp.start_date}T00:00:00Z`);
  const end = Date.parse(`${camp.end_date}T00:00:00Z`);
  const days = Math.round((end - start) / DAY_MS) + 1;
  const windows = {
    before: { from: day(start - days * DAY_MS), to: day(start - DAY_MS) },
    during: { from: camp.start_date, to: camp.end_date },
  };
  const exposed = options.exposedRegions ?? [];
  const allRegions = (
    await wh.all<{ region: string }>(
      'select distinct region from customers where region is not null order by 1',
    )
  ).map((r) => r.region);
  for (const r of [...exposed, ...(options.comparisonRegions ?? [])]) {
    if (!allRegions.includes(r)) throw inputError(`unknown region ${r}`, { field: 'regions' });
  }
  const comparison = options.comparisonRegions ?? allRegions.filter((r) => !exposed.includes(r));
  const unit = metric === 'conversion' ? ('share' as const) : ('nps_points' as const);
  const empty = {
    campaignId,
    metric,
    unit,
    exposedRegions: exposed,
    comparisonRegions: comparison,
    windows,
    assumption:
      'parallel trends: without the campaign the exposed regions would have changed like the comparison regions',
  };
  if (!exposed.length || !comparison.length) {
    return {
      ...empty,
      cells: null,
      lift: null,
      liftReason: NOT_IDENTIFIED,
      roi: null,
      roiReason: 'ROI needs an identified incremental effect',
    };
  }
  const overlap = exposed.filter((r) => comparison.includes(r));
  if (overlap.length)
    throw inputError(`region ${overlap[0]} is both exposed and comparison`, { field: 'regions' });

  const sc = scopeSql(scope, 'c', 'customers');
  const head = `with w(win, a, b) as (values ('before', ?::date, ?::date), ('during', ?::date, ?::date)),
    pop as (select c.customer_id, case when c.region in (${marks(exposed.length)}) then 'treated' else 'comparison' end as arm
            from customers c where c.region in (${marks(exposed.length + comparison.length)}) and ${sc.sql})`;
  const headParams = [
    windows.before.from,
    windows.before.to,
    windows.during.from,
    windows.during.to,
    ...exposed,
    ...exposed,
    ...comparison,
    ...sc.params,
  ];
  let cells: Record<'treatedBefore' | 'treatedAfter' | 'comparisonBefore' | 'comparisonAfter', DidCell>;
  if (metric === 'conversion') {
    const activity = options.conversionActivity ?? DEFAULT_CONVERSION.activity;
    const journey =
      options.conversionJourney === undefined
        ? DEFAULT_CONVERSION.journey
        : options.conversionJourney || null;
    const rows = await wh.all<{ arm: string; win: string; n: number; x: number }>(
      `${head},
       act as (select distinct pop.customer_id, pop.arm, w.win from pop
               join outcomes o on o.customer_id = pop.customer_id
               join w on o.period between date_trunc('month', w.a) and w.b),
       cv as (select distinct u.customer_id, w.win from events u join w on u.ts >= w.a and u.ts < w.b + interval 1 day
              where u.activity = ? and ${journey === null ? 'true' : 'u.journey = ?'})
       select act.arm, act.win, count(*) as n, count(cv.customer_id) as x
       from act left join cv on cv.customer_id = act.customer_id and cv.win = act.win group by 1, 2`,
      [...headParams, activity, ...(journey === null ? [] : [journey])],
    );
    const cell = (arm: string, win: string) => {
      const r = rows.find((x) => x.arm === arm && x.win === win);
      return rateCell(r?.x ?? 0, r?.n ?? 0);
    };
    cells = {
      treatedBefore: cell('treated', 'before'),
      treatedAfter: cell('treated', 'during'),
      comparisonBefore: cell('comparison', 'before'),
      comparisonAfter: cell('comparison', 'during'),
    };
  } else {
    const rows = await wh.all<{ arm: string; win: string; n: number; pro: number; det: number }>(
      `${head}
       select pop.arm, w.win, count(*) as n, count(*) filter (where f.nps >= 9) as pro,
              count(*) filter (where f.nps <= 6) as det
       from pop join feedback f on f.customer_id = pop.customer_id
       join w on f.ts >= w.a and f.ts < w.b + interval 1 day
       where f.nps is not null group by 1, 2`,
      headParams,
    );
    const cell = (arm: string, win: string): DidCell => {
      const r = rows.find((x) => x.arm === arm && x.win === win);
      if (!r) return { mean: 0, variance: 0, n: 0 };
      const p = r.pro / r.n;
      const d = r.det / r.n;
      return { mean: 100 * (p - d), variance: 10_000 * Math.max(0, p + d - (p - d) ** 2), n: r.n };
    };
    cells = {
      treatedBefore: cell('treated', 'before'),
      treatedAfter: cell('treated', 'during'),
      comparisonBefore: cell('comparison', 'before'),
      comparisonAfter: cell('comparison', 'during'),
    };
  }
  const shown = Object.fromEntries(
    Object.entries(cells).map(([k, c]) => [k, { n: c.n, value: c.mean }]),
  ) as NonNullable<CampaignDid['cells']>;
  const emptyCell = Object.entries(cells).find(([, c]) => c.n === 0);
  if (emptyCell) {
    return {
      ...empty,
      cells: shown,
      lift: null,
      liftReason: `no observations in ${emptyCell[0]}: the difference-in-differences is not identified`,
      roi: null,
      roiReason: 'ROI needs an identified incremental effect',
    };
  }
  const did = differenceInDifferences(cells);
  let roi: CampaignDid['roi'] = null;
  let roiReason: string | null = null;
  if (metric !== 'conversion') roiReason = 'ROI is computed on conversions, not on NPS';
  else if (options.valuePerConversion === undefined)
    roiReason = 'give a value per conversion for the ROI of a DiD estimate';
  else if (!camp.spend) roiReason = 'no spend recorded for the campaign';
  else {
    const r = campaignRoi({
      lift: did.estimate,
      liftCi95: did.ci95,
      treated: cells.treatedAfter.n,
      valuePerConversion: options.valuePerConversion,
      spend: camp.spend,
    });
    roi = { estimate: r.roi, ci95: r.ci95 };
  }
  return {
    ...empty,
    cells: shown,
    lift: { ...did, significant: did.p !== null && did.p < 0.05 },
    liftReason: null,
    roi,
    roiReason,
  };
}
