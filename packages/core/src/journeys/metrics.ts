import { z } from 'zod';
import { ASSISTED_CHANNELS } from '../demo/model.ts';

/**
 * Result shapes (and option shapes) of the discovery metrics beyond the DFG (issue 4 §1): rework,
 * redundant contacts, channel mix, self-service, touchpoint times against targets, and trends. The
 * server computes them in SQL (`packages/server/src/queries/journeys/*.ts`); HTTP and the cockpit
 * share these schemas. Shares are 0–1 and `null` when their denominator is 0.
 */

/**
 * Channels on which an employee serves the customer. The default is the demo company's set
 * (call centre, shop and chat, where every chat is answered by an agent — `demo/model.ts`); e-mail
 * notifications, web, app and back-office steps count as self-service or internal.
 */
export const DEFAULT_ASSISTED_CHANNELS: readonly string[] = ASSISTED_CHANNELS;

const Count = z.number().int().nonnegative();
const Share = z.number().min(0).max(1).nullable();
const Seconds = z.number().nullable();
const Channels = z.array(z.string().min(1)).min(1);

export const ReworkActivitySchema = z.object({
  activity: z.string(),
  /** Cases containing the activity. */
  cases: Count,
  /** Cases where it occurs more than once. */
  casesWithRepeat: Count,
  /** Occurrences beyond the first, summed over cases. */
  repeats: Count,
  /** Directly-follows a→a transitions. */
  selfLoops: Count,
  /** casesWithRepeat / cases */
  repeatShare: Share,
});
export const ReworkResultSchema = z.object({
  cases: Count,
  /** Cases in which any activity occurs more than once. */
  casesWithRework: Count,
  reworkShare: Share,
  repeats: Count,
  selfLoops: Count,
  /** Repeats descending, then name. */
  activities: z.array(ReworkActivitySchema),
});
export type ReworkResult = z.infer<typeof ReworkResultSchema>;

export const RedundantContactsOptionsSchema = z
  .object({
    /** A contact is redundant when the same customer had an assisted contact on the same topic within this many hours before. */
    windowHours: z.number().positive().default(168),
    /** What "same topic" means: the journey (default) or the touchpoint. */
    topic: z.enum(['journey', 'touchpoint']).default('journey'),
    assistedChannels: Channels.default([...DEFAULT_ASSISTED_CHANNELS]),
  })
  .strict();
export type RedundantContactsOptions = z.input<typeof RedundantContactsOptionsSchema>;

export const RedundantTopicSchema = z.object({
  topic: z.string(),
  contacts: Count,
  redundantContacts: Count,
  redundantShare: Share,
  customersWithRedundant: Count,
});
export const RedundantContactsResultSchema = z.object({
  windowHours: z.number(),
  topic: z.enum(['journey', 'touchpoint']),
  assistedChannels: z.array(z.string()),
  /** Assisted contacts with a known customer and topic. */
  contacts: Count,
  /** Contacts that follow another contact of the same customer and topic within the window. */
  redundantContacts: Count,
  redundantShare: Share,
  /** Customers with at least one assisted contact. */
  customers: Count,
  customersWithRedundant: Count,
  customerShare: Share,
  /** Redundant contacts descending, then topic. */
  byTopic: z.array(RedundantTopicSchema),
});
export type RedundantContactsResult = z.infer<typeof RedundantContactsResultSchema>;

export const ChannelMixOptionsSchema = z
  .object({
    /** How many switch pairs to return. */
    topSwitches: z.number().int().positive().default(20),
  })
  .strict();
export type ChannelMixOptions = z.input<typeof ChannelMixOptionsSchema>;

export const ChannelMixResultSchema = z.object({
  events: Count,
  cases: Count,
  /** Consecutive events of a case on two different (known) channels. */
  switches: Count,
  casesWithSwitch: Count,
  switchShare: Share,
  /** Events descending, then channel; `null` is the events without a channel. */
  channels: z.array(
    z.object({
      channel: z.string().nullable(),
      events: Count,
      eventShare: Share,
      /** Cases with at least one event on the channel. */
      cases: Count,
      caseShare: Share,
    }),
  ),
  /** Count descending, then from, then to; at most `topSwitches`. */
  switchPairs: z.array(z.object({ from: z.string(), to: z.string(), count: Count })),
  /** How many cases use 0, 1, 2, … distinct channels. */
  casesByChannelCount: z.array(z.object({ channels: Count, cases: Count })),
});
export type ChannelMixResult = z.infer<typeof ChannelMixResultSchema>;

export const SelfServiceOptionsSchema = z
  .object({ assistedChannels: Channels.default([...DEFAULT_ASSISTED_CHANNELS]) })
  .strict();
export type SelfServiceOptions = z.input<typeof SelfServiceOptionsSchema>;

export const SelfServiceResultSchema = z.object({
  assistedChannels: z.array(z.string()),
  cases: Count,
  /** Cases without any event on an assisted channel. */
  selfServiceCases: Count,
  selfServiceShare: Share,
  /** Per journey of the case's first event; cases descending, then journey. */
  byJourney: z.array(
    z.object({
      journey: z.string().nullable(),
      cases: Count,
      selfServiceCases: Count,
      selfServiceShare: Share,
    }),
  ),
});
export type SelfServiceResult = z.infer<typeof SelfServiceResultSchema>;

export const TouchpointTargetSchema = z
  .object({ from: z.string(), to: z.string(), maxSeconds: z.number().nonnegative() })
  .strict();
export type TouchpointTarget = z.infer<typeof TouchpointTargetSchema>;

export const TouchpointTimesOptionsSchema = z
  .object({
    targets: z.array(TouchpointTargetSchema).default([]),
    /** Also list observed transitions without a target (after the targeted ones). */
    includeUntargeted: z.boolean().default(false),
  })
  .strict();
export type TouchpointTimesOptions = z.input<typeof TouchpointTimesOptionsSchema>;

export const TouchpointTimeSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** Directly-follows transitions from → to. */
  count: Count,
  medianSeconds: Seconds,
  /** 90th percentile, linear interpolation between order statistics (numpy's default). */
  p90Seconds: Seconds,
  /** The target, or null for an untargeted transition. */
  targetSeconds: z.number().nullable(),
  /** Transitions that took longer than the target. */
  overTarget: Count.nullable(),
  overTargetShare: Share,
});
export const TouchpointTimesResultSchema = z.object({
  /** Targets in the order given, then (if asked) untargeted transitions by count descending. */
  transitions: z.array(TouchpointTimeSchema),
});
export type TouchpointTimesResult = z.infer<typeof TouchpointTimesResultSchema>;

export const TrendsOptionsSchema = z
  .object({
    grain: z.enum(['week', 'month']).default('month'),
    assistedChannels: Channels.default([...DEFAULT_ASSISTED_CHANNELS]),
  })
  .strict();
export type TrendsOptions = z.input<typeof TrendsOptionsSchema>;

export const TrendPointSchema = z.object({
  /** First day (UTC) of the ISO week (Monday) or calendar month in which the cases started. */
  period: z.string(),
  cases: Count,
  /** Events of those cases. */
  events: Count,
  medianCaseSeconds: Seconds,
  reworkShare: Share,
  selfServiceShare: Share,
  /** Channel switches within those cases. */
  switches: Count,
  casesWithSwitch: Count,
});
export const TrendsResultSchema = z.object({
  grain: z.enum(['week', 'month']),
  assistedChannels: z.array(z.string()),
  /** Periods ascending; periods without a starting case are absent. */
  periods: z.array(TrendPointSchema),
});
export type TrendsResult = z.infer<typeof TrendsResultSchema>;
