import { z } from 'zod';

/** API contract of GET /api/overview — shared by the server (validation, OpenAPI) and the cockpit. */

const Interval = z
  .tuple([z.number(), z.number()])
  .nullable()
  .describe('95 % interval [low, high]; null without data');

export const OverviewQuerySchema = z
  .object({
    from: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
      .optional()
      .describe('First day (inclusive, UTC)'),
    to: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
      .optional()
      .describe('Last day (inclusive, UTC)'),
    regions: z.string().optional().describe('Comma-separated regions to restrict to'),
    segments: z.string().optional().describe('Comma-separated segments to restrict to'),
    journeys: z.string().optional().describe('Comma-separated journeys to restrict to'),
    channels: z.string().optional().describe('Comma-separated channels to restrict to'),
    themes: z
      .string()
      .optional()
      .describe(
        'Comma-separated feedback themes: scores over the responses with one of them, volumes over the customers who gave such a response in the period',
      ),
  })
  .strict();
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

export const NpsSummarySchema = z.object({
  n: z.number().int(),
  promoters: z.number().int(),
  passives: z.number().int(),
  detractors: z.number().int(),
  nps: z
    .number()
    .nullable()
    .describe('NPS = 100·(promoters − detractors)/n; null when n is below the privacy minimum'),
  marginOfError95: z.number().nullable().describe('1.96·√((p + d − (p − d)²)/n)·100 points'),
  ci95: Interval,
});

export const ShareSummarySchema = z.object({
  n: z.number().int(),
  share: z.number().nullable().describe('Top-two-box share (4–5 on 1–5), 0..1'),
  ci95: Interval.describe('Wilson 95 % interval, 0..1'),
});

export const MeanSummarySchema = z.object({
  n: z.number().int(),
  mean: z.number().nullable().describe('Mean CES on 1–7 (7 = very easy)'),
  ci95: Interval.describe('t interval: mean ± t(.975, n−1)·s/√n'),
});

export const OverviewMonthSchema = z.object({
  month: z.string().describe('YYYY-MM (UTC)'),
  events: z.number().int(),
  npsN: z.number().int(),
  nps: z.number().nullable(),
  npsCi95: Interval,
  csatN: z.number().int(),
  csat: z.number().nullable(),
  csatCi95: Interval,
  cesN: z.number().int(),
  ces: z.number().nullable(),
  cesCi95: Interval,
});

export const OverviewJourneySchema = z.object({
  journey: z.string(),
  cases: z.number().int(),
  customers: z.number().int(),
  events: z.number().int(),
  npsN: z.number().int(),
  nps: z.number().nullable(),
});

export const OverviewSchema = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  customers: z
    .number()
    .int()
    .describe('Customers known at the end of the period (customer table and events)'),
  activeCustomers: z.number().int().describe('Distinct customers with an event in the period'),
  events: z.number().int(),
  cases: z.number().int(),
  nps: NpsSummarySchema,
  csat: ShareSummarySchema,
  ces: MeanSummarySchema,
  monthly: z.array(OverviewMonthSchema),
  topJourneys: z.array(OverviewJourneySchema),
  minN: z.object({
    privacy: z.number().int().describe('Scores with fewer answers are hidden'),
    reliable: z.number().int().describe('Scores with fewer answers are flagged as unreliable'),
  }),
});
export type Overview = z.infer<typeof OverviewSchema>;
export type OverviewMonth = z.infer<typeof OverviewMonthSchema>;
export type OverviewJourney = z.infer<typeof OverviewJourneySchema>;

/** ANCHORS.md §3: hide cells below 5 answers (privacy), warn below 30 (reliability). */
export const PRIVACY_MIN_N = 5;
export const RELIABLE_MIN_N = 30;
