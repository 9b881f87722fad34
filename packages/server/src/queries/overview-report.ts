import {
  type DataScope,
  type MeanResult,
  type NpsResult,
  type Overview,
  PRIVACY_MIN_N,
  RELIABLE_MIN_N,
  type ShareResult,
} from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';
import { overviewJourneys } from './overview-journeys.ts';
import { overviewMonthly } from './overview-monthly.ts';
import { overviewScores } from './overview-scores.ts';
import type { Themes } from './overview-themes.ts';
import { overviewTotals } from './overview-totals.ts';
import type { Period } from './scope-sql.ts';

// Scores from fewer than PRIVACY_MIN_N answers are hidden (n stays visible), so a small cell cannot
// reveal an individual's answer (ANCHORS.md §3).
const hidden = (n: number) => n < PRIVACY_MIN_N;

function npsOut(r: NpsResult) {
  const h = hidden(r.n);
  return {
    n: r.n,
    promoters: r.promoters,
    passives: r.passives,
    detractors: r.detractors,
    nps: h ? null : r.nps,
    marginOfError95: h ? null : r.marginOfError95,
    ci95: h ? null : r.ci95,
  };
}
const csatOut = (r: ShareResult) => ({
  n: r.n,
  share: hidden(r.n) ? null : r.share,
  ci95: hidden(r.n) ? null : r.ci95,
});
const cesOut = (r: MeanResult) => ({
  n: r.n,
  mean: hidden(r.n) ? null : r.mean,
  ci95: hidden(r.n) ? null : r.ci95,
});

/**
 * Everything the Overview page shows, from the four overview queries run side by side; `themes`
 * narrows scores to the themed responses and volumes to the customers who gave one.
 */
export async function overviewReport(
  wh: WarehouseSession,
  scope: DataScope,
  period: Period,
  themes: Themes = [],
): Promise<Overview> {
  const [totals, scores, monthly, journeys] = await Promise.all([
    overviewTotals(wh, scope, period, themes),
    overviewScores(wh, scope, period, themes),
    overviewMonthly(wh, scope, period, themes),
    overviewJourneys(wh, scope, period, themes),
  ]);
  return {
    period: { from: period.from ?? null, to: period.to ?? null },
    ...totals,
    nps: npsOut(scores.nps),
    csat: csatOut(scores.csat),
    ces: cesOut(scores.ces),
    monthly: monthly.map((m) => {
      const nps = npsOut(m.nps);
      const csat = csatOut(m.csat);
      const ces = cesOut(m.ces);
      return {
        month: m.month,
        events: m.events,
        npsN: nps.n,
        nps: nps.nps,
        npsCi95: nps.ci95,
        csatN: csat.n,
        csat: csat.share,
        csatCi95: csat.ci95,
        cesN: ces.n,
        ces: ces.mean,
        cesCi95: ces.ci95,
      };
    }),
    topJourneys: journeys.map((j) => ({
      journey: j.journey,
      cases: j.cases,
      customers: j.customers,
      events: j.events,
      npsN: j.nps.n,
      nps: hidden(j.nps.n) ? null : j.nps.nps,
    })),
    minN: { privacy: PRIVACY_MIN_N, reliable: RELIABLE_MIN_N },
  };
}
