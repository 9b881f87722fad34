import { z } from 'zod';

/**
 * A journey filter (issue 4 §2): every part is optional and the parts combine with AND. It is the one
 * shape the CLI, the HTTP API and the cockpit use, and the server compiles it into SQL on the
 * classified events (`queries/journeys/filter-sql.ts`). Case-level parts keep or drop whole cases;
 * `activities` removes single events from the cases that remain (as PM4Py's attribute filter does
 * with `retain` on events).
 */
const Strings = z.array(z.string()).min(1);

export const TimeRangeFilterSchema = z
  .object({
    /** ISO instants; either end may be open. */
    from: z.string().optional(),
    to: z.string().optional(),
    /**
     * contained: the whole case lies within the range; intersecting: some of the case does;
     * started: the case starts in it; completed: the case ends in it; events: keep only the events
     * inside the range (cases are trimmed, not dropped).
     */
    mode: z.enum(['contained', 'intersecting', 'started', 'completed', 'events']).default('intersecting'),
  })
  .strict();

export const AttributeFilterSchema = z
  .object({
    field: z.enum([
      'channel',
      'journey',
      'touchpoint',
      'source_system',
      'resource',
      'lifecycle',
      'segment',
      'region',
    ]),
    values: Strings,
    /** case: keep cases with at least one such event; event: keep only such events. */
    level: z.enum(['case', 'event']).default('case'),
    exclude: z.boolean().default(false),
  })
  .strict();

export const RelationFilterSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    /** Drop the cases that have the relation instead of keeping them. */
    exclude: z.boolean().default(false),
  })
  .strict();

export const JourneyFilterSchema = z
  .object({
    timeRange: TimeRangeFilterSchema.optional(),
    /** Keep the cases of the most frequent variants: the top k, or as many as cover this share (0–1). */
    variants: z
      .object({
        top: z.number().int().positive().optional(),
        coverage: z.number().gt(0).max(1).optional(),
        /** Keep exactly these variants (activity sequences). */
        include: z.array(z.array(z.string())).optional(),
      })
      .strict()
      .optional(),
    startActivities: Strings.optional(),
    endActivities: Strings.optional(),
    /** Keep the cases that contain every one of these activities. */
    withActivities: Strings.optional(),
    /** Drop the cases that contain any of these activities. */
    withoutActivities: Strings.optional(),
    attributes: z.array(AttributeFilterSchema).optional(),
    caseSize: z
      .object({ min: z.number().int().nonnegative().optional(), max: z.number().int().positive().optional() })
      .strict()
      .optional(),
    caseDuration: z
      .object({
        minSeconds: z.number().nonnegative().optional(),
        maxSeconds: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    directlyFollows: z.array(RelationFilterSchema).optional(),
    eventuallyFollows: z.array(RelationFilterSchema).optional(),
    /**
     * Keep (or with `exclude`, drop) the cases that have a feedback response tagged with one of these
     * themes (issue 5): the response's case_id is the case, or, for a response without case_id, the
     * case's customer answered within the case's time span (docs/decisions.md "Journey filters").
     */
    feedbackThemes: z
      .object({ themes: Strings, exclude: z.boolean().default(false) })
      .strict()
      .optional(),
    /** Event-level projection: keep only these activities, or remove these. */
    activities: z.object({ keep: Strings.optional(), remove: Strings.optional() }).strict().optional(),
  })
  .strict();

export type JourneyFilter = z.infer<typeof JourneyFilterSchema>;
export type JourneyFilterInput = z.input<typeof JourneyFilterSchema>;

/** The case notion (issue 4 §1): which events form one journey instance. */
export const CaseNotionSchema = z.union([
  z.object({ kind: z.literal('case_id') }).strict(),
  z.object({ kind: z.literal('customer_journey') }).strict(),
  /** A customer's events split into sessions wherever the gap exceeds this many minutes. */
  z.object({ kind: z.literal('session'), gapMinutes: z.number().positive() }).strict(),
]);
export type CaseNotion = z.infer<typeof CaseNotionSchema>;
