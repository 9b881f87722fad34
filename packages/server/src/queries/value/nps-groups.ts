import {
  churnWithin,
  clvMultiple,
  type DataScope,
  DEFAULT_ANNUAL_DISCOUNT,
  type Difference,
  type GroupMoney,
  meanDifference,
  monthlyDiscountRate,
  proportionDifference,
  type ValueGroup,
  type ValueGroups,
  valueOfMove,
  wilsonInterval,
  Z95,
} from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import type { Period } from '../scope-sql.ts';
import { customerMoneyCte, PRODUCTS_AVAILABLE } from './customer-money.ts';

interface GroupRow {
  grp: ValueGroup['group'];
  customers: number;
  churned: number;
  months: number;
  mean_nps: number | null;
  revenue: number | null;
  sd_revenue: number | null;
  cost: number | null;
  sd_cost: number | null;
  margin: number | null;
  sd_margin: number | null;
  products: number | null;
  products_change: number | null;
  sd_products_change: number | null;
}

const GROUP_ORDER: ValueGroup['group'][] = ['promoter', 'passive', 'detractor', 'no_answer'];

/**
 * Money links per NPS group (issue 6 §2): customers, churn in the period with its Wilson interval,
 * mean monthly revenue, cost to serve and margin, products held and their change, share of wallet,
 * CLV, and promoter − detractor differences; the value of moving one detractor to passive or
 * promoter. Aggregated in the warehouse; only the four group rows come back to JS.
 *
 * CLV of a group = its mean monthly margin × r/(1 + i − r) (Gupta & Lehmann 2003) with
 * r = 1 − the group's monthly churn probability (churned customers ÷ customer-months in the period)
 * and i the monthly equivalent of the annual discount rate.
 */
export async function npsGroupMoney(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  options: { annualDiscount?: number } = {},
): Promise<ValueGroups> {
  const annualDiscount = options.annualDiscount ?? DEFAULT_ANNUAL_DISCOUNT;
  const i = monthlyDiscountRate(annualDiscount);
  const cte = customerMoneyCte(scope, period);
  const rows = await wh.all<GroupRow>(
    `with ${cte.sql}
     select grp, count(*) as customers, count(*) filter (where churned) as churned, sum(months) as months,
            avg(mean_nps) as mean_nps,
            avg(revenue) as revenue, stddev_samp(revenue) as sd_revenue,
            avg(cost) as cost, stddev_samp(cost) as sd_cost,
            avg(margin) as margin, stddev_samp(margin) as sd_margin,
            avg(products) as products, avg(products_change) as products_change,
            stddev_samp(products_change) as sd_products_change
     from cm group by grp`,
    cte.params,
  );
  // The months with outcomes (regardless of the period) let a client offer the periods there are.
  const months = (
    await wh.all<{ m: string }>(`select distinct strftime(period, '%Y-%m') as m from outcomes order by 1`)
  ).map((x) => x.m);
  const groups: ValueGroup[] = GROUP_ORDER.flatMap((g) => {
    const r = rows.find((x) => x.grp === g);
    if (!r) return [];
    const monthlyChurn = r.months > 0 ? r.churned / r.months : null;
    const multiple = monthlyChurn === null ? null : clvMultiple(1 - monthlyChurn, i);
    const clv = multiple === null || r.margin === null ? null : r.margin * multiple;
    const seClv =
      multiple === null || r.sd_margin === null || r.customers < 2
        ? null
        : (multiple * r.sd_margin) / Math.sqrt(r.customers);
    return [
      {
        group: g,
        customers: r.customers,
        meanNps: r.mean_nps,
        churned: r.churned,
        churnRate: r.churned / r.customers,
        churnCi95: wilsonInterval(r.churned, r.customers),
        customerMonths: r.months,
        monthlyChurn,
        churn12Months: monthlyChurn === null ? null : churnWithin(monthlyChurn, 12),
        revenue: r.revenue,
        revenueSd: r.sd_revenue,
        costToServe: r.cost,
        costSd: r.sd_cost,
        margin: r.margin,
        marginSd: r.sd_margin,
        products: r.products,
        productsChange: r.products_change,
        productsChangeSd: r.sd_products_change,
        shareOfWallet: r.products === null ? null : r.products / PRODUCTS_AVAILABLE,
        clv,
        clvCi95: clv === null || seClv === null ? null : [clv - Z95 * seClv, clv + Z95 * seClv],
        clvSe: seClv,
      },
    ];
  });

  const by = (g: ValueGroup['group']) => groups.find((x) => x.group === g);
  const pro = by('promoter');
  const det = by('detractor');
  const pas = by('passive');
  const mean = (g: ValueGroup, v: 'revenue' | 'costToServe' | 'margin' | 'productsChange') => {
    const sd = {
      revenue: g.revenueSd,
      costToServe: g.costSd,
      margin: g.marginSd,
      productsChange: g.productsChangeSd,
    }[v];
    return { n: g.customers, mean: g[v] ?? 0, sd: sd ?? 0 };
  };
  const safe = (f: () => Difference): Difference | null => {
    try {
      return f();
    } catch {
      return null; // a group too small for an interval: no difference rather than a made-up one
    }
  };
  const differences =
    pro && det
      ? {
          churnRate: safe(() => proportionDifference(pro.churned, pro.customers, det.churned, det.customers)),
          revenue: safe(() => meanDifference(mean(pro, 'revenue'), mean(det, 'revenue'))),
          costToServe: safe(() => meanDifference(mean(pro, 'costToServe'), mean(det, 'costToServe'))),
          margin: safe(() => meanDifference(mean(pro, 'margin'), mean(det, 'margin'))),
          productsChange: safe(() =>
            meanDifference(mean(pro, 'productsChange'), mean(det, 'productsChange')),
          ),
          clv:
            pro.clv !== null && det.clv !== null && pro.clvSe !== null && det.clvSe !== null
              ? (() => {
                  const estimate = pro.clv - det.clv;
                  const se = Math.sqrt(pro.clvSe ** 2 + det.clvSe ** 2);
                  return {
                    estimate,
                    se,
                    ci95: [estimate - Z95 * se, estimate + Z95 * se] as [number, number],
                    z: se > 0 ? estimate / se : null,
                    p: null,
                  };
                })()
              : null,
        }
      : null;

  const money = (g: ValueGroup): GroupMoney | null =>
    g.clv === null || g.clvSe === null || g.revenue === null
      ? null
      : {
          n: g.customers,
          churnRate: g.churnRate,
          meanRevenue: g.revenue,
          sdRevenue: g.revenueSd ?? 0,
          clv: g.clv,
          seClv: g.clvSe,
        };
  const move = (to: ValueGroup | undefined) => {
    const a = det && money(det);
    const b = to && money(to);
    if (!a || !b || a.n < 2 || b.n < 2) return null;
    return valueOfMove(a, b);
  };

  return {
    period: { from: period.from ?? null, to: period.to ?? null },
    months,
    annualDiscount,
    monthlyDiscount: i,
    productsAvailable: PRODUCTS_AVAILABLE,
    groups,
    promoterMinusDetractor: differences,
    moveDetractor: { toPassive: move(pas), toPromoter: move(pro) },
    method: {
      group:
        'mean NPS of the customer’s answers in the period: ≥ 9 promoter, ≥ 7 passive, else detractor; no answer = separate group',
      churn: 'share of the group’s customers with a churned outcome in the period, Wilson 95 % interval',
      clv: 'CLV = monthly margin × r / (1 + i − r) (Gupta & Lehmann 2003), r = 1 − churned ÷ customer-months',
      shareOfWallet: `products held in the last month ÷ ${PRODUCTS_AVAILABLE} products available`,
      moveDetractor:
        '(churn_detractor − churn_target) × CLV_target + 12 × (monthly revenue_target − revenue_detractor); 95 % interval by the delta method',
    },
  };
}
