import { Z95 } from '../stats/nps.ts';

/**
 * Money formulas of DESIGN.md §4: revenue at risk, campaign ROI with an interval, and the value of
 * moving one detractor to a better NPS group.
 */

/** Revenue at risk = Σ P(churn) × value. */
export function revenueAtRisk(customers: Iterable<{ probability: number; value: number }>): number {
  let total = 0;
  for (const c of customers) {
    if (!(c.probability >= 0 && c.probability <= 1)) throw new RangeError('probability must be in 0..1');
    total += c.probability * c.value;
  }
  return total;
}

/** ROI = (incremental margin − spend) / spend. */
export function roi(incrementalMargin: number, spend: number): number {
  if (!(spend > 0)) throw new RangeError('spend must be > 0');
  return (incrementalMargin - spend) / spend;
}

/**
 * Campaign ROI from the incremental lift: incremental margin = lift × treated × value per
 * conversion. ROI is linear and increasing in the lift (for a positive value), so the lift's 95 %
 * interval maps end to end onto an ROI interval; the value per conversion is taken as known.
 */
export function campaignRoi(input: {
  lift: number;
  liftCi95: [number, number];
  treated: number;
  valuePerConversion: number;
  spend: number;
}): { incrementalConversions: number; incrementalMargin: number; roi: number; ci95: [number, number] } {
  const { lift, liftCi95, treated, valuePerConversion, spend } = input;
  const margin = (l: number) => l * treated * valuePerConversion;
  const ends = [roi(margin(liftCi95[0]), spend), roi(margin(liftCi95[1]), spend)].sort((a, b) => a - b);
  return {
    incrementalConversions: lift * treated,
    incrementalMargin: margin(lift),
    roi: roi(margin(lift), spend),
    ci95: [ends[0] as number, ends[1] as number],
  };
}

/** What the delta method needs of one NPS group. */
export interface GroupMoney {
  n: number;
  /** Share of the group's customers that churned in the period. */
  churnRate: number;
  meanRevenue: number;
  /** Sample standard deviation of the customers' mean monthly revenue. */
  sdRevenue: number;
  /** CLV of a customer of the group. */
  clv: number;
  /** Standard error of the group's CLV (from its margin's standard error). */
  seClv: number;
}

/**
 * Value of moving one customer from group `from` to group `to`:
 *
 *   V = (churn_from − churn_to) × CLV_to + 12 × (revenue_to − revenue_from)
 *
 * — the lifetime value no longer lost to the churn difference, plus one year of the target group's
 * higher monthly revenue. The 95 % interval is the delta method with independent groups:
 * Var V ≈ CLV_to²·(Var churn_from + Var churn_to) + Δchurn²·Var CLV_to + 144·(Var rev_from + Var rev_to),
 * with Var churn = p(1 − p)/n and Var rev = s²/n.
 */
export function valueOfMove(
  from: GroupMoney,
  to: GroupMoney,
): {
  value: number;
  churnPart: number;
  revenuePart: number;
  se: number;
  ci95: [number, number];
} {
  if (!(from.n > 1 && to.n > 1)) throw new RangeError('both groups need more than one customer');
  const dChurn = from.churnRate - to.churnRate;
  const churnPart = dChurn * to.clv;
  const revenuePart = 12 * (to.meanRevenue - from.meanRevenue);
  const varChurn =
    (from.churnRate * (1 - from.churnRate)) / from.n + (to.churnRate * (1 - to.churnRate)) / to.n;
  const varRev = from.sdRevenue ** 2 / from.n + to.sdRevenue ** 2 / to.n;
  const variance = to.clv ** 2 * varChurn + dChurn ** 2 * to.seClv ** 2 + 144 * varRev;
  const se = Math.sqrt(variance);
  const value = churnPart + revenuePart;
  return { value, churnPart, revenuePart, se, ci95: [value - Z95 * se, value + Z95 * se] };
}
