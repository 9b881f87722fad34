import { z } from 'zod';
import { csatFromCounts, type ShareResult } from '../stats/csat.ts';
import { type MeanResult, meanInterval } from '../stats/mean.ts';
import { type NpsCounts, type NpsResult, npsFromCounts } from '../stats/nps.ts';
import {
  npsDifferenceTest,
  type SignificanceResult,
  twoProportionZTest,
  welchTTest,
} from '../stats/significance.ts';
import { PRIVACY_MIN_N, RELIABLE_MIN_N } from './overview.ts';

/**
 * API contracts of the feedback analytics (GET /api/feedback/scores, /trend, /comments, /themes) and
 * the pure post-processing the server applies to SQL aggregates: score + interval per metric, the
 * significance test that fits the metric, minimum-sample flags, theme impact on NPS and the match
 * spans used to highlight comment search hits. Shared by the server and the cockpit.
 */

export const METRICS = ['nps', 'csat', 'ces'] as const;
export type Metric = (typeof METRICS)[number];

export const BREAKDOWN_DIMENSIONS = [
  'journey',
  'touchpoint',
  'channel',
  'segment',
  'region',
  'survey',
  'theme',
  'month',
  'week',
] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];
export const TIME_DIMENSIONS: ReadonlySet<BreakdownDimension> = new Set(['month', 'week']);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
/** Query strings carry numbers as text; coerce but refuse anything that is not a finite number. */
const num = z.coerce.number<string>().refine(Number.isFinite, 'expected a number');
const int = (min: number, max: number) =>
  z.coerce
    .number<string>()
    .int('expected a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const scopeParams = {
  from: date.optional().describe('First day (inclusive, UTC)'),
  to: date.optional().describe('Last day (inclusive, UTC)'),
  regions: z.string().optional().describe('Comma-separated regions to restrict to'),
  segments: z.string().optional().describe('Comma-separated segments to restrict to'),
  journeys: z.string().optional().describe('Comma-separated journeys to restrict to'),
  channels: z.string().optional().describe('Comma-separated channels to restrict to'),
};
const metricParam = z.enum(METRICS).default('nps').describe('nps (0–10), csat (1–5) or ces (1–7)');
const targetParam = num
  .optional()
  .describe('Target to draw (NPS points, CSAT share 0..1, CES mean); default: the KPI target if one is set');

export const ScoresQuerySchema = z
  .object({
    metric: metricParam,
    by: z.enum(BREAKDOWN_DIMENSIONS).default('journey').describe('Dimension to break the score down by'),
    compare: z
      .enum(['rest', 'previous'])
      .default('rest')
      .describe(
        'Test each group against all other responses (rest) or against the same group in the previous period of equal length (previous; needs from and to). Time dimensions always compare with the previous bucket.',
      ),
    target: targetParam,
    ...scopeParams,
  })
  .strict();
export type ScoresQuery = z.infer<typeof ScoresQuerySchema>;

export const TrendQuerySchema = z
  .object({
    metric: metricParam,
    grain: z.enum(['month', 'week']).default('month').describe('Bucket size (UTC; weeks start on Monday)'),
    target: targetParam,
    ...scopeParams,
  })
  .strict();
export type TrendQuery = z.infer<typeof TrendQuerySchema>;

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

export const CommentsQuerySchema = z
  .object({
    q: z
      .string()
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('Words that must all occur (case-insensitive)'),
    npsMin: int(0, 10).optional().describe('Lowest NPS answer (0–10)'),
    npsMax: int(0, 10).optional().describe('Highest NPS answer (0–10)'),
    category: z.enum(['promoter', 'passive', 'detractor']).optional().describe('NPS category'),
    theme: z.string().optional().describe('Only comments tagged with this theme'),
    sentiment: z.enum(SENTIMENTS).optional(),
    journey: z.string().optional().describe('Only responses about this journey'),
    limit: int(1, 200).default(50),
    offset: int(0, 1_000_000).default(0),
    ...scopeParams,
  })
  .strict();
export type CommentsQuery = z.infer<typeof CommentsQuerySchema>;

export const ThemesQuerySchema = z.object({ ...scopeParams }).strict();
export type ThemesQuery = z.infer<typeof ThemesQuerySchema>;

const Interval = z.tuple([z.number(), z.number()]).nullable().describe('95 % interval [low, high]');

export const SampleFlagSchema = z
  .enum(['hidden', 'unreliable'])
  .nullable()
  .describe(`hidden: n < ${PRIVACY_MIN_N}, score withheld; unreliable: n < ${RELIABLE_MIN_N}`);
export type SampleFlag = z.infer<typeof SampleFlagSchema>;

export const SignificanceSchema = z
  .object({
    against: z.enum(['rest', 'previous']),
    method: z.enum(['nps-z', 'two-proportion-z', 'welch-t']),
    delta: z.number().describe('Score minus the compared score, in the metric’s unit'),
    statistic: z.number(),
    p: z.number().describe('Two-sided p-value'),
    pAdjusted: z.number().describe('Holm-adjusted over all groups of the answer'),
    significant: z.boolean().describe('Breakdowns: pAdjusted < 0.05; trends: p < 0.05'),
  })
  .nullable()
  .describe(`Absent unless both sides have at least ${RELIABLE_MIN_N} answers`);
export type Significance = z.infer<typeof SignificanceSchema>;

export const ScoreCellSchema = z.object({
  n: z.number().int(),
  score: z.number().nullable().describe('NPS points, CSAT share 0..1, or CES mean 1–7'),
  ci95: Interval,
  /** NPS only: shares of promoters / passives / detractors, 0..1. */
  promoters: z.number().nullable(),
  passives: z.number().nullable(),
  detractors: z.number().nullable(),
  flag: SampleFlagSchema,
});
export type ScoreCell = z.infer<typeof ScoreCellSchema>;

export const ReferenceLineSchema = z
  .object({ value: z.number(), label: z.string(), source: z.string() })
  .nullable();

export const MetricInfoSchema = z.object({
  metric: z.enum(METRICS),
  method: z.string().describe('Formula and interval, named'),
  target: ReferenceLineSchema,
  benchmark: ReferenceLineSchema,
  minN: z.object({ privacy: z.number().int(), reliable: z.number().int() }),
});

export const ScoresSchema = MetricInfoSchema.extend({
  by: z.enum(BREAKDOWN_DIMENSIONS),
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  overall: ScoreCellSchema,
  groups: z.array(
    ScoreCellSchema.extend({
      group: z.string().nullable().describe('Group value; null = not recorded'),
      share: z.number().describe('Share of all answers in the breakdown, 0..1'),
      significance: SignificanceSchema,
    }),
  ),
});
export type Scores = z.infer<typeof ScoresSchema>;
export type ScoreGroup = Scores['groups'][number];

export const TrendSchema = MetricInfoSchema.extend({
  grain: z.enum(['month', 'week']),
  overall: ScoreCellSchema,
  buckets: z.array(
    ScoreCellSchema.extend({
      bucket: z.string().describe('YYYY-MM, or the Monday YYYY-MM-DD of the week'),
      significance: SignificanceSchema.describe('Change against the previous bucket'),
    }),
  ),
});
export type Trend = z.infer<typeof TrendSchema>;

export const CommentSchema = z.object({
  responseId: z.string(),
  ts: z.string().nullable(),
  surveyId: z.string().nullable(),
  journey: z.string().nullable(),
  touchpoint: z.string().nullable(),
  channel: z.string().nullable(),
  nps: z.number().int().nullable(),
  csat: z.number().int().nullable(),
  ces: z.number().int().nullable(),
  comment: z.string().describe('Plain text, exactly as received; clients must render it as text'),
  language: z.string().nullable(),
  sentiment: z.string().nullable(),
  sentimentScore: z.number().nullable(),
  themes: z.array(z.string()),
  matches: z.array(z.tuple([z.number().int(), z.number().int()])).describe('[start, end) of each search hit'),
});
export type FeedbackComment = z.infer<typeof CommentSchema>;

export const CommentsSchema = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
  terms: z.array(z.string()),
  comments: z.array(CommentSchema),
});
export type Comments = z.infer<typeof CommentsSchema>;

export const ThemeSummarySchema = z.object({
  theme: z.string(),
  volume: z.number().int(),
  share: z.number().describe('Share of commented responses with this theme, 0..1'),
  sentiment: z.object({
    mean: z.number().nullable().describe('Mean sentiment score −1..1'),
    negative: z.number().int(),
    neutral: z.number().int(),
    positive: z.number().int(),
  }),
  nps: z.object({ n: z.number().int(), score: z.number().nullable(), ci95: Interval }),
  impact: z
    .number()
    .nullable()
    .describe('NPS(all) − NPS(responses without the theme), points; null when either side is hidden'),
  impactCi95: Interval.describe('95 % interval of the impact (core text.themeImpactFromCounts)'),
  emerging: z.object({
    current: z.string().nullable().describe('Latest month (YYYY-MM)'),
    share: z.number().nullable(),
    previousShare: z.number().nullable(),
    test: SignificanceSchema,
    emerging: z
      .boolean()
      .describe('Share rose significantly (two-proportion z, p < 0.05) against the previous month'),
  }),
  monthly: z.array(
    z.object({
      month: z.string(),
      volume: z.number().int(),
      share: z.number().nullable(),
      sentiment: z.number().nullable(),
    }),
  ),
});
export type ThemeSummary = z.infer<typeof ThemeSummarySchema>;

export const ThemesSchema = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  comments: z.number().int().describe('Responses with a comment'),
  enriched: z.number().int().describe('Of those, with sentiment or themes'),
  nps: z.object({ n: z.number().int(), score: z.number().nullable() }),
  themes: z.array(ThemeSummarySchema),
  minN: z.object({ privacy: z.number().int(), reliable: z.number().int() }),
});
export type Themes = z.infer<typeof ThemesSchema>;

// ---------------------------------------------------------------------------------------------
// Pure post-processing of SQL aggregates.

/** Minimum-sample rule of ANCHORS.md §3: withhold below the privacy threshold, warn below 30. */
export function sampleFlag(n: number, privacy = PRIVACY_MIN_N, reliable = RELIABLE_MIN_N): SampleFlag {
  return n < privacy ? 'hidden' : n < reliable ? 'unreliable' : null;
}

/**
 * What the SQL of every score query returns for one group: NPS category counts, CSAT top-two-box
 * count, and count / sum / sum of squares of the metric, so that "the rest" of a group can be
 * derived by subtraction without another scan.
 */
export interface MetricAggregates extends NpsCounts {
  n: number;
  top2: number;
  sum: number;
  sumSq: number;
}

export const emptyAggregates = (): MetricAggregates => ({
  n: 0,
  promoters: 0,
  passives: 0,
  detractors: 0,
  top2: 0,
  sum: 0,
  sumSq: 0,
});

export function subtractAggregates(a: MetricAggregates, b: MetricAggregates): MetricAggregates {
  return {
    n: a.n - b.n,
    promoters: a.promoters - b.promoters,
    passives: a.passives - b.passives,
    detractors: a.detractors - b.detractors,
    top2: a.top2 - b.top2,
    sum: a.sum - b.sum,
    sumSq: a.sumSq - b.sumSq,
  };
}

export function addAggregates(a: MetricAggregates, b: MetricAggregates): MetricAggregates {
  return {
    n: a.n + b.n,
    promoters: a.promoters + b.promoters,
    passives: a.passives + b.passives,
    detractors: a.detractors + b.detractors,
    top2: a.top2 + b.top2,
    sum: a.sum + b.sum,
    sumSq: a.sumSq + b.sumSq,
  };
}

/** Sample mean and SD (n − 1) from count, Σx and Σx²; the SD is clamped at 0 against rounding. */
export function meanSdFromSums(n: number, sum: number, sumSq: number): { mean: number; sd: number } | null {
  if (n === 0) return null;
  const mean = sum / n;
  if (n < 2) return { mean, sd: 0 };
  return { mean, sd: Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))) };
}

type Stat = NpsResult | ShareResult | MeanResult;

function statOf(metric: Metric, a: MetricAggregates): Stat {
  if (metric === 'nps') return npsFromCounts(a);
  if (metric === 'csat') return csatFromCounts(a.top2, a.n);
  const ms = meanSdFromSums(a.n, a.sum, a.sumSq);
  return meanInterval(a.n, ms?.mean ?? null, a.n > 1 ? (ms?.sd ?? null) : null);
}

/** Score, 95 % interval and flag of one group; hidden cells keep n but no score. */
export function scoreCell(metric: Metric, a: MetricAggregates): ScoreCell {
  const flag = sampleFlag(a.n);
  const s = statOf(metric, a);
  const score = 'nps' in s ? s.nps : 'share' in s ? s.share : s.mean;
  const hidden = flag === 'hidden';
  const nps = metric === 'nps' && a.n > 0 && !hidden;
  return {
    n: a.n,
    score: hidden ? null : score,
    ci95: hidden ? null : s.ci95,
    promoters: nps ? a.promoters / a.n : null,
    passives: nps ? a.passives / a.n : null,
    detractors: nps ? a.detractors / a.n : null,
    flag,
  };
}

/**
 * The test that fits the metric (ANCHORS.md §3): NPS z-test on the two variances, two-proportion
 * z-test for CSAT, Welch's t-test for CES. Run only when both sides have at least the reliability
 * minimum, so that a small cell never gets a significance marker.
 */
export function compareAggregates(
  metric: Metric,
  a: MetricAggregates,
  b: MetricAggregates,
): (SignificanceResult & { delta: number }) | null {
  if (a.n < RELIABLE_MIN_N || b.n < RELIABLE_MIN_N) return null;
  let r: SignificanceResult | null;
  let delta: number;
  if (metric === 'nps') {
    const x = npsFromCounts(a);
    const y = npsFromCounts(b);
    r = npsDifferenceTest(x, y);
    delta = (x.nps ?? 0) - (y.nps ?? 0);
  } else if (metric === 'csat') {
    r = twoProportionZTest(a.top2, a.n, b.top2, b.n);
    delta = a.top2 / a.n - b.top2 / b.n;
  } else {
    const x = meanSdFromSums(a.n, a.sum, a.sumSq)!;
    const y = meanSdFromSums(b.n, b.sum, b.sumSq)!;
    r = welchTTest({ n: a.n, ...x }, { n: b.n, ...y });
    delta = x.mean - y.mean;
  }
  return r ? { ...r, delta } : null;
}

export const METRIC_METHOD: Record<Metric, string> = {
  nps: 'NPS = %promoters (9–10) − %detractors (0–6); 95 % interval 1.96·√(Var/n), Var = p + d − (p − d)²; changes: NPS z-test',
  csat: 'CSAT = share answering 4–5 on 1–5; Wilson 95 % interval; changes: two-proportion z-test',
  ces: 'CES = mean on 1–7 (7 = very easy); t 95 % interval; changes: Welch t-test',
};

/**
 * Benchmarks drawn on the charts. These are ILLUSTRATIVE round numbers, not a published industry
 * benchmark: published NPS/CSAT/CES benchmarks are licensed, vary by industry, country and survey
 * method, and are not comparable across scales. Teams replace them with their own licensed figures.
 */
export const ILLUSTRATIVE_BENCHMARKS: Record<Metric, { value: number; label: string; source: string }> = {
  nps: {
    value: 20,
    label: 'Benchmark +20 (illustrative)',
    source: 'illustrative placeholder, not published data',
  },
  csat: {
    value: 0.75,
    label: 'Benchmark 75 % (illustrative)',
    source: 'illustrative placeholder, not published data',
  },
  ces: {
    value: 5,
    label: 'Benchmark 5.0 (illustrative)',
    source: 'illustrative placeholder, not published data',
  },
};

/** Search words: whitespace-separated, de-duplicated case-insensitively, at most 8. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of q.trim().split(/\s+/)) {
    const k = t.toLowerCase();
    if (t && !seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out.slice(0, 8);
}

/**
 * Where the terms occur in a text, as merged [start, end) spans in UTF-16 units, for highlighting.
 * Case-insensitive by comparing lower-cased text; a span is dropped when lower-casing changed the
 * length before it (rare letters such as "İ"), rather than highlighting the wrong characters.
 */
export function matchSpans(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  const spans: [number, number][] = [];
  const aligned = lower.length === text.length;
  if (!aligned) return spans;
  for (const term of terms) {
    const t = term.toLowerCase();
    if (!t) continue;
    for (let i = lower.indexOf(t); i >= 0; i = lower.indexOf(t, i + t.length)) spans.push([i, i + t.length]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged;
}
