import { z } from 'zod';

/**
 * API contracts of churn and cross-sell prediction on the store (issue 6 §3): model cards, training,
 * management roll-ups, the at-risk list and one customer's scores. Shared by the server (validation,
 * OpenAPI) and the cockpit's Prediction page.
 */
export const STORE_PREDICTION_TARGETS = ['churn', 'cross_sell'] as const;
export type StorePredictionTarget = (typeof STORE_PREDICTION_TARGETS)[number];

export const ROLLUP_DIMENSIONS = ['segment', 'region', 'journey', 'owner'] as const;
export type RollupDimension = (typeof ROLLUP_DIMENSIONS)[number];

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const target = z.enum(STORE_PREDICTION_TARGETS).describe('churn or cross_sell');

const scopeParams = {
  regions: z.string().optional().describe('Comma-separated regions to restrict to'),
  segments: z.string().optional().describe('Comma-separated segments to restrict to'),
  journeys: z.string().optional().describe('Comma-separated journeys to restrict to'),
  channels: z.string().optional().describe('Comma-separated channels to restrict to'),
};

export const StoreModelCardSchema = z.object({
  modelId: z.string(),
  target: z.string(),
  trainedAt: z.string(),
  cutoff: z.string().optional(),
  horizonMonths: z.number().optional(),
  auc: z.number(),
  aucStd: z.number(),
  folds: z.number(),
  model: z.string().describe('The learner chosen by cross-validation'),
  features: z.array(z.string()),
  candidates: z.array(z.object({ kind: z.string(), auc: z.number(), aucStd: z.number() })),
  n: z.number(),
  positives: z.number(),
  calibration: z.array(z.object({ predicted: z.number(), observed: z.number(), n: z.number() })),
  brier: z.number(),
  liftTopDecile: z.number(),
  warnings: z.array(z.string()),
  /** Set by the store pipeline: when the scores of this model were computed and for which date. */
  scoredAsOf: z.string().nullable().optional(),
  scored: z.number().optional(),
});
export type StoreModelCard = z.infer<typeof StoreModelCardSchema>;

export const PredictModelsSchema = z.object({ models: z.array(StoreModelCardSchema) });
export type PredictModels = z.infer<typeof PredictModelsSchema>;

export const TrainBodySchema = z
  .object({
    target,
    cutoff: date.optional().describe('Training cutoff; default 2026-01-01 or 3 months before the data ends'),
    horizonMonths: z.number().int().min(1).max(24).optional(),
    minPositives: z.number().int().min(1).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export const TrainResultSchema = z.object({
  card: StoreModelCardSchema,
  scored: z.number(),
  asOf: z.string(),
  seconds: z.number(),
});

export const PredictionReasonSchema = z.object({
  feature: z.string(),
  contribution: z.number().describe('On the log-odds scale; > 0 raises the probability'),
  text: z.string(),
});
export type PredictionReason = z.infer<typeof PredictionReasonSchema>;

export const RollupQuerySchema = z.object({
  target: target.default('churn'),
  by: z.enum(ROLLUP_DIMENSIONS).default('segment'),
  ...scopeParams,
});

export const RollupRowSchema = z.object({
  group: z.string(),
  customers: z.number(),
  expected: z.number().describe('Σ p: expected churners (or buyers) within the horizon'),
  rate: z.number().describe('expected ÷ customers'),
  value: z.number().describe('Σ annual value (monthly revenue × 12)'),
  atRisk: z
    .number()
    .describe('churn: revenue at risk Σ p × value; cross_sell: potential Σ p × next-product revenue × 12'),
});
export const RollupSchema = z.object({
  target,
  by: z.enum(ROLLUP_DIMENSIONS),
  asOf: z.string().nullable(),
  horizonMonths: z.number().nullable(),
  modelId: z.string().nullable(),
  total: RollupRowSchema,
  rows: z.array(RollupRowSchema),
  method: z.string(),
});
export type Rollup = z.infer<typeof RollupSchema>;

export const AtRiskQuerySchema = z.object({
  limit: z.coerce
    .number<string>()
    .int('expected a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(50),
  ...scopeParams,
});
export const AtRiskRowSchema = z.object({
  customerId: z.string(),
  segment: z.string().nullable(),
  region: z.string().nullable(),
  probability: z.number(),
  value: z.number().describe('Annual value: last monthly revenue × 12'),
  revenueAtRisk: z.number(),
  lastContact: z.string().nullable(),
  reasons: z.array(PredictionReasonSchema),
});
export const AtRiskSchema = z.object({
  asOf: z.string().nullable(),
  modelId: z.string().nullable(),
  rows: z.array(AtRiskRowSchema),
});
export type AtRisk = z.infer<typeof AtRiskSchema>;

export const CustomerScoresSchema = z.object({
  customerId: z.string(),
  scores: z.array(
    z.object({
      target,
      modelId: z.string(),
      probability: z.number(),
      asOf: z.string(),
      scoredAt: z.string(),
      /** The customer's percentile among the scored customers (1 = highest). */
      rank: z.number(),
      of: z.number(),
      reasons: z.array(PredictionReasonSchema),
    }),
  ),
});
export type CustomerScores = z.infer<typeof CustomerScoresSchema>;
