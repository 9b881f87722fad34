import { z } from 'zod';
import { DataScopeSchema } from '../scope.ts';
import { DfgEdgeSchema } from './discover.ts';
import { CaseNotionSchema, JourneyFilterSchema } from './filter.ts';

/**
 * API contracts of the journey cockpit routes (issue 4 §6): POST /api/journeys/map,
 * POST /api/journeys/variants and GET /api/journeys/attributes. Shared by the server (validation,
 * OpenAPI) and the web cockpit, so both read the same shapes.
 */

const NameCountSchema = z.object({ name: z.string(), count: z.number().int() });

const DurationSummarySchema = z.object({
  mean: z.number().nullable(),
  median: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});

/** What every journey request carries: the caller's data scope, a journey filter and the case notion. */
export const JourneyRequestSchema = z
  .object({
    scope: DataScopeSchema.optional(),
    filter: JourneyFilterSchema.optional(),
    caseNotion: CaseNotionSchema.optional(),
  })
  .strict();
export type JourneyRequest = z.input<typeof JourneyRequestSchema>;

export const JourneyMapRequestSchema = JourneyRequestSchema.extend({
  /**
   * Draw the map on the k most frequent activities (ties by name): start/end activities and the DFG
   * are computed with the other activities' events removed, so the kept ones connect through them.
   * Events, cases, variants, activities and case durations stay those of the whole filtered log.
   */
  maxActivities: z.number().int().positive().optional(),
}).strict();
export type JourneyMapRequest = z.input<typeof JourneyMapRequestSchema>;

export const JourneyMapSchema = z.object({
  events: z.number().int(),
  cases: z.number().int(),
  /** Number of distinct variants (activity sequences) among the cases. */
  variants: z.number().int(),
  /** Events per activity, count descending. */
  activities: z.array(NameCountSchema),
  /** Cases per first activity (among the shown activities when `maxActivities` is given). */
  startActivities: z.array(NameCountSchema),
  /** Cases per last activity (among the shown activities). */
  endActivities: z.array(NameCountSchema),
  /** Directly-follows edges with counts and edge times (seconds), between the shown activities. */
  dfg: z.array(DfgEdgeSchema),
  /** Case duration = last − first event, in seconds. */
  caseDurations: DurationSummarySchema,
});
export type JourneyMap = z.infer<typeof JourneyMapSchema>;

export const VariantsRequestSchema = JourneyRequestSchema.extend({
  limit: z.number().int().positive().max(1000).default(50),
  offset: z.number().int().nonnegative().default(0),
}).strict();
export type VariantsRequest = z.input<typeof VariantsRequestSchema>;

export const VariantStatsSchema = z.object({
  /** 1-based rank by count (then sequence). */
  rank: z.number().int(),
  activities: z.array(z.string()),
  count: z.number().int(),
  /** count / cases */
  share: z.number(),
  /** Share of the cases covered by this variant and every more frequent one. */
  cumulativeShare: z.number(),
  meanSeconds: z.number(),
  medianSeconds: z.number(),
});
export type VariantStats = z.infer<typeof VariantStatsSchema>;

export const VariantsPageSchema = z.object({
  cases: z.number().int(),
  /** Distinct variants in total (the page holds at most `limit` of them). */
  total: z.number().int(),
  offset: z.number().int(),
  variants: z.array(VariantStatsSchema),
});
export type VariantsPage = z.infer<typeof VariantsPageSchema>;

/**
 * Distinct values offered by the cockpit's filter pickers, most frequent first: channels and journeys
 * count events, segments and regions count customers, themes count feedback responses.
 */
export const JourneyAttributesSchema = z.object({
  channels: z.array(NameCountSchema).describe('count = events'),
  journeys: z.array(NameCountSchema).describe('count = events'),
  segments: z.array(NameCountSchema).describe('count = customers'),
  regions: z.array(NameCountSchema).describe('count = customers'),
  /** Themes of feedback responses, for the `feedbackThemes` filter. */
  themes: z.array(NameCountSchema).describe('count = feedback responses'),
});
export type JourneyAttributes = z.infer<typeof JourneyAttributesSchema>;
