import { z } from 'zod';
import { DataScopeSchema } from '../scope.ts';
import { CaseNotionSchema, JourneyFilterSchema } from './filter.ts';

/**
 * Conformance with a designed journey (issue 4 §5), by cheap rules rather than token replay: the
 * journey as designed says where a case may start and end, which directly-follows transitions are
 * allowed (each optionally with a maximum time), and optionally an expected order of milestones.
 *
 * Deviation kinds, judged on the case's events in time order (ties in file order):
 * - `bad-start` / `bad-end`: the first / last activity is not a start / end activity of the model;
 * - `disallowed-transition`: a directly-follows pair the model does not list (self-loops included);
 * - `too-slow`: an allowed transition that took longer than its `maxSeconds`;
 * - `missing-step`: a milestone of `expectedOrder` that the case never reaches;
 * - `out-of-order`: a milestone whose first occurrence comes before the first occurrence of the
 *   nearest earlier milestone (in `expectedOrder`) that the case has; `from` is that earlier
 *   milestone, `to` the one that came too soon.
 *
 * A case conforms when it has none of them. `extraSeconds` is the time cost: for `too-slow` the time
 * beyond the maximum, for `disallowed-transition` the time spent on the disallowed transitions, 0 for
 * the other kinds; `meanCaseSeconds` is the mean duration of the cases with the deviation, to compare
 * with the conforming cases' mean.
 */
export const JourneyTransitionSchema = z
  .object({
    from: z.string().min(1),
    to: z.string().min(1),
    maxSeconds: z.number().positive().optional(),
  })
  .strict();

export const JourneyModelSchema = z
  .object({
    name: z.string().optional(),
    startActivities: z.array(z.string().min(1)).min(1),
    endActivities: z.array(z.string().min(1)).min(1),
    transitions: z.array(JourneyTransitionSchema).min(1),
    expectedOrder: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type JourneyModel = z.infer<typeof JourneyModelSchema>;
export type JourneyModelInput = z.input<typeof JourneyModelSchema>;

export const DEVIATION_KINDS = [
  'bad-start',
  'bad-end',
  'disallowed-transition',
  'too-slow',
  'missing-step',
  'out-of-order',
] as const;
export type DeviationKind = (typeof DEVIATION_KINDS)[number];

export const DeviationSchema = z.object({
  kind: z.enum(DEVIATION_KINDS),
  /** Transitions and out-of-order pairs. */
  from: z.string().optional(),
  to: z.string().optional(),
  /** bad-start / bad-end: the activity found; missing-step: the milestone missing. */
  activity: z.string().optional(),
  /** Cases with the deviation, and how often it occurs in them. */
  cases: z.number().int(),
  occurrences: z.number().int(),
  extraSeconds: z.number(),
  meanCaseSeconds: z.number().nullable(),
});
export type Deviation = z.infer<typeof DeviationSchema>;

export const ConformanceResultSchema = z.object({
  cases: z.number().int(),
  conformingCases: z.number().int(),
  /** conformingCases / cases; null without cases. */
  share: z.number().nullable(),
  meanCaseSecondsConforming: z.number().nullable(),
  meanCaseSecondsDeviating: z.number().nullable(),
  /** Most cases first, then most occurrences. */
  deviations: z.array(DeviationSchema),
});
export type ConformanceResult = z.infer<typeof ConformanceResultSchema>;

/** The journey context every analysis request carries (as POST /api/journeys/map does). */
const RequestContext = {
  scope: DataScopeSchema.optional(),
  filter: JourneyFilterSchema.optional(),
  caseNotion: CaseNotionSchema.optional(),
};

/** POST /api/journeys/conformance: the model's fields at the top level, plus scope, filter and case notion. */
export const ConformanceRequestSchema = z.object({ ...JourneyModelSchema.shape, ...RequestContext }).strict();
export type ConformanceRequest = z.input<typeof ConformanceRequestSchema>;
