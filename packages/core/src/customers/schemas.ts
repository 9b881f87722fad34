import { z } from 'zod';

/**
 * API contract of the Customer 360 (issue 6 §4): the customer search, the customer file and its
 * summary. Shared by the server (validation, OpenAPI) and the cockpit.
 */

const scopeParams = {
  regions: z.string().optional().describe('Comma-separated regions the caller may see (data scope)'),
  segments: z.string().optional().describe('Comma-separated segments the caller may see (data scope)'),
  journeys: z.string().optional().describe('Comma-separated journeys the caller may see (data scope)'),
  channels: z.string().optional().describe('Comma-separated channels the caller may see (data scope)'),
};

export const CustomerSearchQuerySchema = z
  .object({
    q: z
      .string()
      .max(200)
      .optional()
      .describe('Customer id or any external id (CRM, billing, web cookie…); a prefix matches too'),
    segment: z.string().max(100).optional().describe('Only customers of this segment'),
    region: z.string().max(100).optional().describe('Only customers of this region'),
    limit: z.coerce.number().int().min(1).max(200).default(25).describe('Page size (1–200)'),
    offset: z.coerce.number().int().min(0).default(0).describe('Rows to skip'),
    ...scopeParams,
  })
  .strict();
export type CustomerSearchQuery = z.infer<typeof CustomerSearchQuerySchema>;

export const CustomerHitSchema = z.object({
  customerId: z.string(),
  segment: z.string().nullable(),
  region: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** How q matched: the customer id itself, or `<source>: <external id>`. */
  matchedBy: z.string().nullable(),
  products: z.number().nullable().describe('Products held in the latest month with outcomes'),
  revenue: z.number().nullable().describe('Revenue in the latest month with outcomes'),
  churned: z.boolean().describe('The customer left (an outcome row says churned)'),
});
export type CustomerHit = z.infer<typeof CustomerHitSchema>;

export const CustomerSearchSchema = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  customers: z.array(CustomerHitSchema),
});
export type CustomerSearch = z.infer<typeof CustomerSearchSchema>;

export const CustomerFileQuerySchema = z.object({ ...scopeParams }).strict();

export const TimelineEventSchema = z.object({
  eventId: z.string(),
  ts: z.string(),
  activity: z.string(),
  touchpoint: z.string().nullable(),
  channel: z.string().nullable(),
  resource: z.string().nullable(),
  value: z.number().nullable(),
  waitSeconds: z.number().nullable().describe('Seconds the customer waited before this contact'),
});
export type TimelineEvent = z.infer<typeof TimelineEventSchema>;

export const TimelineCaseSchema = z.object({
  caseId: z.string(),
  journey: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  channels: z.array(z.string()),
  /** Events on an assisted channel (call centre, chat, shop) that waited, i.e. contacts. */
  contacts: z.number().int(),
  waitSeconds: z.number().describe('Total waiting of the case'),
  lastActivity: z.string(),
  events: z.array(TimelineEventSchema),
});
export type TimelineCase = z.infer<typeof TimelineCaseSchema>;

export const CustomerResponseSchema = z.object({
  responseId: z.string(),
  caseId: z.string().nullable(),
  ts: z.string().nullable(),
  surveyId: z.string().nullable(),
  journey: z.string().nullable(),
  touchpoint: z.string().nullable(),
  channel: z.string().nullable(),
  nps: z.number().nullable(),
  csat: z.number().nullable(),
  ces: z.number().nullable(),
  elements: z.record(z.string(), z.number()).nullable(),
  comment: z.string().nullable(),
  language: z.string().nullable(),
  sentiment: z.string().nullable(),
  sentimentScore: z.number().nullable(),
  themes: z.array(z.string()),
});
export type CustomerResponse = z.infer<typeof CustomerResponseSchema>;

export const CustomerOutcomeSchema = z.object({
  period: z.string().describe('First day of the month'),
  revenue: z.number().nullable(),
  costToServe: z.number().nullable(),
  products: z.number().nullable(),
  churned: z.boolean(),
});
export type CustomerOutcome = z.infer<typeof CustomerOutcomeSchema>;

export const ScoreReasonSchema = z.object({
  feature: z.string(),
  contribution: z.number().describe('Log-odds contribution: > 0 raises the probability'),
  text: z.string(),
});
export const CustomerScoreSchema = z.object({
  target: z.string(),
  modelId: z.string(),
  probability: z.number(),
  asOf: z.string().nullable(),
  scoredAt: z.string().nullable(),
  reasons: z.array(ScoreReasonSchema),
});
export type CustomerScore = z.infer<typeof CustomerScoreSchema>;

export const FollowUpCaseSchema = z.object({
  caseId: z.string(),
  title: z.string(),
  state: z.string(),
  priority: z.string(),
  owner: z.string().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type FollowUpCase = z.infer<typeof FollowUpCaseSchema>;

export const CustomerFileSchema = z.object({
  customer: z.object({
    customerId: z.string(),
    segment: z.string().nullable(),
    region: z.string().nullable(),
    createdAt: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()).nullable(),
  }),
  asOf: z
    .string()
    .describe('The "now" of the file: the latest event in the store (or the clock, if earlier)'),
  /** Product names known from the records (products at start, then orders), in order. */
  productNames: z.array(z.string()),
  identities: z.array(z.object({ source: z.string(), externalId: z.string() })),
  timeline: z.array(TimelineCaseSchema).describe('Journey instances (cases), oldest first'),
  /** More events than the file shows: the oldest were left out. */
  timelineTruncated: z.boolean(),
  responses: z.array(CustomerResponseSchema).describe('Survey responses, oldest first'),
  outcomes: z.array(CustomerOutcomeSchema).describe('Per month, oldest first'),
  cases: z.array(FollowUpCaseSchema).describe('Follow-up cases from the app store'),
  scores: z.object({
    status: z.enum(['scored', 'not_scored']),
    churn: CustomerScoreSchema.nullable(),
    crossSell: CustomerScoreSchema.nullable(),
  }),
});
export type CustomerFile = z.infer<typeof CustomerFileSchema>;

export const CustomerSummarySchema = z.object({
  source: z.enum(['extractive', 'llm']).describe('Who wrote the summary'),
  text: z.string(),
  sentences: z.array(z.string()),
  model: z.string().nullable().describe('The LLM model, when one wrote it'),
  note: z.string().nullable().describe('e.g. "LLM unavailable: …" when the LLM fell back'),
});
export type CustomerSummary = z.infer<typeof CustomerSummarySchema>;

export const CustomerFileResponseSchema = CustomerFileSchema.extend({
  summary: CustomerSummarySchema,
  llm: z.object({ configured: z.boolean(), model: z.string().nullable() }),
});
export type CustomerFileResponse = z.infer<typeof CustomerFileResponseSchema>;

export const CustomerSummaryRequestSchema = z
  .object({ llm: z.boolean().optional().describe('Ask the configured LLM (falls back to extractive)') })
  .strict();
