import { z } from 'zod';
import { DataScopeSchema } from '../scope.ts';
import { CaseNotionSchema, JourneyFilterSchema } from './filter.ts';

/**
 * Funnels across systems (issue 4 §3), with PostHog's three orderings:
 *
 * - `strict`: each step is the very next event of the case after the previous step;
 * - `ordered` (PostHog "sequential"): the steps in order, anything may happen between them;
 * - `any-order`: all steps in any order.
 *
 * The conversion window is measured from the case's first step. A case may start the funnel more than
 * once (it repeats step 1): every occurrence of step 1 is an attempt, and the case counts with the
 * attempt that gets furthest, the earliest such attempt when several tie. Within an attempt, step k is
 * the first occurrence of its activity after step k − 1 (ordered), or the very next event (strict).
 * Events with the same timestamp keep the order of the file they came from (insertion order), so two
 * steps may follow each other with 0 s between them.
 *
 * Times between steps are medians and 90th percentiles with linear interpolation (numpy's default)
 * over the cases that reached the step.
 */
export const FUNNEL_MODES = ['strict', 'ordered', 'any-order'] as const;
export type FunnelMode = (typeof FUNNEL_MODES)[number];

/** Attributes a funnel can be broken down by: of the case's first step event, or of its customer. */
export const FUNNEL_BREAKDOWNS = [
  'channel',
  'journey',
  'touchpoint',
  'source_system',
  'segment',
  'region',
] as const;
export type FunnelBreakdown = (typeof FUNNEL_BREAKDOWNS)[number];

/** 14 days, PostHog's default conversion window. */
export const DEFAULT_FUNNEL_WINDOW_SECONDS = 14 * 86_400;

export const FunnelSpecSchema = z
  .object({
    /** Activities, 2 to 10; an activity may appear more than once (e.g. contact → fix → contact). */
    steps: z.array(z.string().min(1)).min(2).max(10),
    windowSeconds: z.number().positive().default(DEFAULT_FUNNEL_WINDOW_SECONDS),
    mode: z.enum(FUNNEL_MODES).default('ordered'),
    /** Attribution: the value on the case's first step event (channel …) or of its customer (segment, region). */
    breakdownBy: z.enum(FUNNEL_BREAKDOWNS).optional(),
  })
  .strict();
export type FunnelSpec = z.infer<typeof FunnelSpecSchema>;
export type FunnelSpecInput = z.input<typeof FunnelSpecSchema>;

export const FunnelStepSchema = z.object({
  activity: z.string(),
  /** Cases that reached this step within the window. */
  cases: z.number().int(),
  /** Distinct customers among them (cases without a customer count as their own customer). */
  customers: z.number().int(),
  /** cases / cases of step 1; null when no case entered the funnel. */
  conversionFromStart: z.number().nullable(),
  /** cases / cases of the previous step (1 for step 1); null when the previous step has no case. */
  conversionFromPrevious: z.number().nullable(),
  /**
   * Cases that reached this step but not the next one (0 on the last step) — the cases
   * `POST /api/journeys/funnel/drop-off` lists for this step index.
   */
  dropOff: z.number().int(),
  /** Seconds from the previous step to this one; null on step 1 and when no case reached the step. */
  medianSecondsFromPrevious: z.number().nullable(),
  p90SecondsFromPrevious: z.number().nullable(),
});
export type FunnelStep = z.infer<typeof FunnelStepSchema>;

const FunnelSeries = {
  steps: z.array(FunnelStepSchema),
  /** Seconds from step 1 to the last step, over the cases that converted; null when none did. */
  medianSecondsToConvert: z.number().nullable(),
  p90SecondsToConvert: z.number().nullable(),
};

export const FunnelBreakdownRowSchema = z.object({
  /** The attribute value; null for cases without one. */
  value: z.string().nullable(),
  ...FunnelSeries,
});
export type FunnelBreakdownRow = z.infer<typeof FunnelBreakdownRowSchema>;

export const FunnelResultSchema = z.object({
  mode: z.enum(FUNNEL_MODES),
  windowSeconds: z.number(),
  /** Cases in the analysed log (after scope and filter), whether or not they entered the funnel. */
  totalCases: z.number().int(),
  ...FunnelSeries,
  breakdownBy: z.enum(FUNNEL_BREAKDOWNS).optional(),
  /** One series per attribute value, the largest (most cases at step 1) first. */
  breakdown: z.array(FunnelBreakdownRowSchema).optional(),
});
export type FunnelResult = z.infer<typeof FunnelResultSchema>;

export const FunnelDropOffCaseSchema = z.object({
  caseId: z.string(),
  customerId: z.string().nullable(),
  /** When the case reached its last step (ISO instant). */
  reachedAt: z.string(),
});
export const FunnelDropOffSchema = z.object({
  /** 0-based: the cases reached steps[stepIndex] but not steps[stepIndex + 1]. */
  stepIndex: z.number().int(),
  /** All such cases; `cases` lists at most `limit` of them, the latest first. */
  total: z.number().int(),
  cases: z.array(FunnelDropOffCaseSchema),
});
export type FunnelDropOff = z.infer<typeof FunnelDropOffSchema>;

/** "7d", "12h", "30m", "45s" or plain seconds → seconds; null when the text is not a duration. */
export function parseDurationSeconds(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[(m[2] ?? 's').toLowerCase() as 's'];
  const v = Number(m[1]) * unit;
  return v > 0 ? v : null;
}

/** The journey context every analysis request carries (as POST /api/journeys/map does). */
const RequestContext = {
  scope: DataScopeSchema.optional(),
  filter: JourneyFilterSchema.optional(),
  caseNotion: CaseNotionSchema.optional(),
};

/** POST /api/journeys/funnel: the spec's fields at the top level, plus scope, filter and case notion. */
export const FunnelRequestSchema = z.object({ ...FunnelSpecSchema.shape, ...RequestContext }).strict();
export type FunnelRequest = z.input<typeof FunnelRequestSchema>;

/** POST /api/journeys/funnel/drop-off: a funnel request plus the step and how many cases to list. */
export const FunnelDropOffRequestSchema = z
  .object({
    ...FunnelSpecSchema.shape,
    ...RequestContext,
    stepIndex: z.number().int().nonnegative(),
    limit: z.number().int().positive().max(1000).default(100),
  })
  .strict();
export type FunnelDropOffRequest = z.input<typeof FunnelDropOffRequestSchema>;
