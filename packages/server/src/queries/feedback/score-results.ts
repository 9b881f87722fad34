import {
  adjustedWaldNps,
  csatFromCounts,
  holmAdjust,
  meanInterval,
  npsDifferenceTest,
  npsFromCounts,
  type SignificanceResult,
  twoProportionZTest,
  welchTTest,
} from '@cx/core';
import type { ScoreAggregate, ScoreKind } from './score-file.ts';

/**
 * Applies the core formulas to the SQL counts and the minimum-n rules of ANCHORS.md §3: below the
 * privacy threshold (5) a cell shows only its n; below the reliability threshold (30) it carries a
 * warning, and NPS also gets the adjusted-Wald interval, which keeps its coverage at small n.
 */
export const PRIVACY_MIN_N = 5;
export const RELIABLE_MIN_N = 30;

export interface NpsScore {
  group?: string | null;
  /** Grouped output only: this group against the rest (absent when either side has n < 30). */
  significance?: GroupSignificance;
  n: number;
  /** Shares in % of n. */
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
  /** Points, −100..100. */
  nps: number | null;
  marginOfError95: number | null;
  ci95: [number, number] | null;
  counts?: { promoters: number; passives: number; detractors: number };
  /** Adjusted-Wald interval, given when n < 30. */
  adjustedWald?: { nps: number; ci95: [number, number] };
  hidden?: true;
  warning?: string;
}

export interface CsatScore {
  group?: string | null;
  /** Grouped output only: this group against the rest (absent when either side has n < 30). */
  significance?: GroupSignificance;
  n: number;
  satisfied: number | null;
  /** % of n in the top two boxes. */
  csat: number | null;
  /** In %. */
  ci95: [number, number] | null;
  hidden?: true;
  warning?: string;
}

export interface CesScore {
  group?: string | null;
  /** Grouped output only: this group against the rest (absent when either side has n < 30). */
  significance?: GroupSignificance;
  n: number;
  mean: number | null;
  sd: number | null;
  ci95: [number, number] | null;
  hidden?: true;
  warning?: string;
}

export type Score = NpsScore | CsatScore | CesScore;

function thresholds(n: number): { hidden?: true; warning?: string } {
  if (n === 0) return { warning: 'no answers' };
  if (n < PRIVACY_MIN_N)
    return { hidden: true, warning: `n = ${n} is below ${PRIVACY_MIN_N}: scores hidden for privacy` };
  if (n < RELIABLE_MIN_N) return { warning: `n = ${n} is below ${RELIABLE_MIN_N}: the score is unreliable` };
  return {};
}

const pct = (x: number, n: number) => (100 * x) / n;

export function scoreOf(kind: ScoreKind, a: ScoreAggregate): Score {
  const rule = thresholds(a.n);
  const hide = rule.hidden === true || a.n === 0;
  if (kind === 'nps') {
    const counts = { promoters: a.promoters, passives: a.passives, detractors: a.detractors };
    const r = npsFromCounts(counts);
    const out: NpsScore = {
      n: a.n,
      promoters: hide ? null : pct(a.promoters, a.n),
      passives: hide ? null : pct(a.passives, a.n),
      detractors: hide ? null : pct(a.detractors, a.n),
      nps: hide ? null : r.nps,
      marginOfError95: hide ? null : r.marginOfError95,
      ci95: hide ? null : r.ci95,
    };
    if (!hide) out.counts = counts;
    if (!hide && a.n < RELIABLE_MIN_N) {
      const w = adjustedWaldNps(counts);
      out.adjustedWald = { nps: w.nps, ci95: w.ci95 };
    }
    return { ...out, ...rule };
  }
  if (kind === 'csat') {
    const r = csatFromCounts(a.satisfied, a.n);
    return {
      n: a.n,
      satisfied: hide ? null : a.satisfied,
      csat: hide || r.share === null ? null : 100 * r.share,
      ci95: hide || r.ci95 === null ? null : [100 * r.ci95[0], 100 * r.ci95[1]],
      ...rule,
    };
  }
  const r = meanInterval(a.n, a.mean, a.sd);
  return {
    n: a.n,
    mean: hide ? null : r.mean,
    sd: hide ? null : r.sd,
    ci95: hide ? null : r.ci95,
    ...rule,
  };
}

export interface GroupSignificance {
  /** What the group is compared with: all other answers of the file. */
  versus: 'rest';
  method: SignificanceResult['method'];
  statistic: number;
  df?: number;
  p: number;
  /** Holm-adjusted over all groups tested in this breakdown (family-wise error 5 %). */
  pHolm: number;
  significant: boolean;
}

/**
 * Each group against the rest of the file — the test that answers "is this segment different?" —
 * run only when both sides have n ≥ 30, and Holm-adjusted across the groups so a breakdown with
 * many cells does not raise false alarms. CES "rest" moments are pooled from the group aggregates.
 */
export function compareGroupsToRest(
  kind: ScoreKind,
  groups: readonly ScoreAggregate[],
): (GroupSignificance | undefined)[] {
  const total = groups.reduce(
    (t, g) => {
      const sumsq = g.n > 1 && g.sd !== null ? (g.n - 1) * g.sd * g.sd : 0;
      const m = g.mean ?? 0;
      return {
        n: t.n + g.n,
        promoters: t.promoters + g.promoters,
        passives: t.passives + g.passives,
        detractors: t.detractors + g.detractors,
        satisfied: t.satisfied + g.satisfied,
        sum: t.sum + g.n * m,
        sumsq: t.sumsq + sumsq + g.n * m * m,
      };
    },
    { n: 0, promoters: 0, passives: 0, detractors: 0, satisfied: 0, sum: 0, sumsq: 0 },
  );
  const raw = groups.map((g): SignificanceResult | null => {
    const restN = total.n - g.n;
    if (g.n < RELIABLE_MIN_N || restN < RELIABLE_MIN_N) return null;
    if (kind === 'nps')
      return npsDifferenceTest(
        npsFromCounts({ promoters: g.promoters, passives: g.passives, detractors: g.detractors }),
        npsFromCounts({
          promoters: total.promoters - g.promoters,
          passives: total.passives - g.passives,
          detractors: total.detractors - g.detractors,
        }),
      );
    if (kind === 'csat') return twoProportionZTest(g.satisfied, g.n, total.satisfied - g.satisfied, restN);
    const m = g.mean ?? 0;
    const restSum = total.sum - g.n * m;
    const restSumsq = total.sumsq - ((g.n - 1) * (g.sd ?? 0) ** 2 + g.n * m * m);
    const restMean = restSum / restN;
    const restSd = Math.sqrt(Math.max(0, (restSumsq - restN * restMean * restMean) / (restN - 1)));
    return welchTTest({ n: g.n, mean: m, sd: g.sd ?? 0 }, { n: restN, mean: restMean, sd: restSd });
  });
  const tested = raw.flatMap((r, i) => (r ? [i] : []));
  const adjusted = holmAdjust(tested.map((i) => raw[i]!.p));
  const out: (GroupSignificance | undefined)[] = groups.map(() => undefined);
  tested.forEach((i, k) => {
    const r = raw[i]!;
    out[i] = {
      versus: 'rest',
      method: r.method,
      statistic: r.statistic,
      ...(r.df === undefined ? {} : { df: r.df }),
      p: r.p,
      pHolm: adjusted[k]!,
      significant: adjusted[k]! < 0.05,
    };
  });
  return out;
}
