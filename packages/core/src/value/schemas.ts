import { z } from 'zod';

/** API contracts of the money view and the campaigns view (issue 6 §2, §5). */
const interval = z.tuple([z.number(), z.number()]);
const num = z.number().nullable();

export const DifferenceSchema = z.object({
  estimate: z.number(),
  se: z.number(),
  ci95: interval,
  z: num,
  p: num,
});

export const ValueScopeQuerySchema = z.object({
  from: z.iso.date().optional().describe('First day of the period (YYYY-MM-DD)'),
  to: z.iso.date().optional().describe('Last day of the period (YYYY-MM-DD)'),
  regions: z.string().optional().describe('Comma-separated regions'),
  segments: z.string().optional().describe('Comma-separated segments'),
  journeys: z.string().optional().describe('Comma-separated journeys'),
  channels: z.string().optional().describe('Comma-separated channels'),
});

export const ValueGroupsQuerySchema = ValueScopeQuerySchema.extend({
  discount: z.coerce.number().min(0).max(1).optional().describe('Annual discount rate for CLV (default 0.1)'),
});

export const ValueGroupSchema = z.object({
  group: z.enum(['promoter', 'passive', 'detractor', 'no_answer']),
  customers: z.number(),
  meanNps: num,
  churned: z.number(),
  churnRate: z.number(),
  churnCi95: interval,
  customerMonths: z.number(),
  monthlyChurn: num,
  churn12Months: num,
  revenue: num,
  revenueSd: num,
  costToServe: num,
  costSd: num,
  margin: num,
  marginSd: num,
  products: num,
  productsChange: num,
  productsChangeSd: num,
  shareOfWallet: num,
  clv: num,
  clvCi95: interval.nullable(),
  clvSe: num,
});
export type ValueGroup = z.infer<typeof ValueGroupSchema>;

const MoveSchema = z.object({
  value: z.number(),
  churnPart: z.number(),
  revenuePart: z.number(),
  se: z.number(),
  ci95: interval,
});

export const ValueGroupsSchema = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** Months (YYYY-MM) with outcomes in the store, for period pickers. */
  months: z.array(z.string()),
  annualDiscount: z.number(),
  monthlyDiscount: z.number(),
  productsAvailable: z.number(),
  groups: z.array(ValueGroupSchema),
  promoterMinusDetractor: z
    .object({
      churnRate: DifferenceSchema.nullable(),
      revenue: DifferenceSchema.nullable(),
      costToServe: DifferenceSchema.nullable(),
      margin: DifferenceSchema.nullable(),
      productsChange: DifferenceSchema.nullable(),
      clv: DifferenceSchema.nullable(),
    })
    .nullable(),
  moveDetractor: z.object({ toPassive: MoveSchema.nullable(), toPromoter: MoveSchema.nullable() }),
  method: z.record(z.string(), z.string()),
});
export type ValueGroups = z.infer<typeof ValueGroupsSchema>;

export const RevenueAtRiskQuerySchema = ValueGroupsQuerySchema.extend({
  value: z
    .enum(['annual_revenue', 'clv'])
    .optional()
    .describe('Value of a customer: 12 × monthly revenue (default) or CLV'),
  top: z.coerce.number().int().min(0).max(500).optional().describe('How many customers to list (default 20)'),
});

const RiskRowSchema = z.object({
  customers: z.number(),
  revenueAtRisk: z.number(),
  value: z.number(),
  meanProbability: num,
});

export const RevenueAtRiskSchema = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  value: z.enum(['annual_revenue', 'clv']),
  probabilitySource: z.enum(['model', 'nps_group_rate']),
  model: z
    .object({ modelId: z.string(), asOf: z.string().nullable(), customersScored: z.number() })
    .nullable(),
  total: RiskRowSchema,
  bySegment: z.array(RiskRowSchema.extend({ key: z.string() })),
  byGroup: z.array(RiskRowSchema.extend({ key: z.string() })),
  customers: z.array(
    z.object({
      customerId: z.string(),
      segment: z.string().nullable(),
      group: z.string(),
      probability: z.number(),
      value: z.number(),
      revenueAtRisk: z.number(),
      source: z.enum(['model', 'nps_group_rate']),
    }),
  ),
  method: z.record(z.string(), z.string()),
});
export type RevenueAtRisk = z.infer<typeof RevenueAtRiskSchema>;

export const CampaignsQuerySchema = ValueScopeQuerySchema.omit({ from: true, to: true }).extend({
  conversionActivity: z
    .string()
    .min(1)
    .optional()
    .describe('Activity that counts as a conversion (default "Order placed")'),
  conversionJourney: z
    .string()
    .optional()
    .describe(
      'Journey of the conversion activity and of the journeys counted (default "upgrade"; empty = any)',
    ),
  valuePerConversion: z.coerce
    .number()
    .min(0)
    .optional()
    .describe('Margin of one conversion over 12 months; default: measured from outcomes'),
});

const ArmSchema = z.object({
  customers: z.number(),
  conversions: z.number(),
  rate: z.number(),
  journeyCustomers: z.number(),
  journeyCases: z.number(),
  nps: z.object({ n: z.number(), nps: num, ci95: interval.nullable() }),
});

const EstimateSchema = z.object({ estimate: z.number(), ci95: interval });

export const CampaignResultSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  channel: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  spend: num,
  design: z.enum(['holdout', 'none']),
  reach: num,
  treatment: ArmSchema.nullable(),
  holdout: ArmSchema.nullable(),
  touches: z.array(z.object({ activity: z.string(), count: z.number() })),
  lift: DifferenceSchema.extend({ significant: z.boolean() }).nullable(),
  liftReason: z.string().nullable(),
  incrementalConversions: EstimateSchema.nullable(),
  valuePerConversion: z
    .object({ value: z.number(), source: z.enum(['outcomes', 'request']), converters: z.number() })
    .nullable(),
  incrementalMargin: EstimateSchema.nullable(),
  roi: EstimateSchema.nullable(),
  roiReason: z.string().nullable(),
  npsEffect: DifferenceSchema.nullable(),
  journeyEffect: DifferenceSchema.nullable(),
});
export type CampaignResult = z.infer<typeof CampaignResultSchema>;

export const CampaignsSchema = z.object({
  conversion: z.object({ activity: z.string(), journey: z.string().nullable() }),
  campaigns: z.array(CampaignResultSchema),
  method: z.record(z.string(), z.string()),
});
export type Campaigns = z.infer<typeof CampaignsSchema>;

export const CampaignDidQuerySchema = CampaignsQuerySchema.extend({
  exposedRegions: z
    .string()
    .optional()
    .describe('Comma-separated regions exposed to the campaign (the treated group)'),
  comparisonRegions: z
    .string()
    .optional()
    .describe('Comma-separated comparison regions (default: all other regions)'),
  metric: z.enum(['conversion', 'nps']).optional().describe('Outcome compared (default conversion)'),
});

const CellSchema = z.object({ n: z.number(), value: z.number() });

export const CampaignDidSchema = z.object({
  campaignId: z.string(),
  metric: z.enum(['conversion', 'nps']),
  unit: z.enum(['share', 'nps_points']),
  exposedRegions: z.array(z.string()),
  comparisonRegions: z.array(z.string()),
  windows: z.object({
    before: z.object({ from: z.string(), to: z.string() }),
    during: z.object({ from: z.string(), to: z.string() }),
  }),
  cells: z
    .object({
      treatedBefore: CellSchema,
      treatedAfter: CellSchema,
      comparisonBefore: CellSchema,
      comparisonAfter: CellSchema,
    })
    .nullable(),
  lift: DifferenceSchema.extend({
    treatedChange: z.number(),
    comparisonChange: z.number(),
    significant: z.boolean(),
  }).nullable(),
  liftReason: z.string().nullable(),
  roi: EstimateSchema.nullable(),
  roiReason: z.string().nullable(),
  assumption: z.string(),
});
export type CampaignDid = z.infer<typeof CampaignDidSchema>;

export const NOT_IDENTIFIED =
  'no holdout or comparison group: incremental effect not identified; last-touch attribution is not used';
