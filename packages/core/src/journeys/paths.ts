import { z } from 'zod';
import { DataScopeSchema } from '../scope.ts';
import { CaseNotionSchema, JourneyFilterSchema } from './filter.ts';

/**
 * Paths (issue 4 §4): what customers do right after — or right before — a touchpoint.
 *
 * Each case that contains the anchor activity contributes one path, taken at the anchor's FIRST
 * occurrence in the case: the next `depth` activities (`after`) or the `depth` activities leading to
 * it (`before`), shorter when the case ends (or starts) sooner. Events with equal timestamps keep file
 * order. Paths count cases and distinct customers, so they agree with funnels, which count cases too.
 */
export const PathsSpecSchema = z
  .object({
    anchor: z.string().min(1),
    direction: z.enum(['after', 'before']).default('after'),
    depth: z.number().int().min(1).max(5).default(3),
    top: z.number().int().min(1).max(100).default(10),
  })
  .strict();
export type PathsSpec = z.infer<typeof PathsSpecSchema>;
export type PathsSpecInput = z.input<typeof PathsSpecSchema>;

export const PathRowSchema = z.object({
  /** In time order, the anchor included (first for `after`, last for `before`). */
  activities: z.array(z.string()),
  cases: z.number().int(),
  customers: z.number().int(),
  /** cases / cases with the anchor. */
  shareOfCases: z.number(),
  /** customers / customers with the anchor (cases without a customer count as their own customer). */
  shareOfCustomers: z.number(),
});
export type PathRow = z.infer<typeof PathRowSchema>;

/**
 * Sankey over ALL anchored cases (not only the top paths). Nodes are step-indexed so a repeated
 * activity is a new node: "0 A" is the anchor, "+1 B" the next step, "-1 C" the step before.
 */
export const SankeyNodeSchema = z.object({ name: z.string(), activity: z.string(), step: z.number().int() });
export const SankeyLinkSchema = z.object({ source: z.string(), target: z.string(), value: z.number().int() });
export type SankeyNode = z.infer<typeof SankeyNodeSchema>;
export type SankeyLink = z.infer<typeof SankeyLinkSchema>;

export const PathsResultSchema = z.object({
  anchor: z.string(),
  direction: z.enum(['after', 'before']),
  depth: z.number().int(),
  /** Cases and customers in which the anchor occurs. */
  cases: z.number().int(),
  customers: z.number().int(),
  /** The top paths by cases (then customers, then activities in code-point order). */
  paths: z.array(PathRowSchema),
  /** Number of distinct paths, of which `paths` shows the top. */
  distinctPaths: z.number().int(),
  sankey: z.object({ nodes: z.array(SankeyNodeSchema), links: z.array(SankeyLinkSchema) }),
});
export type PathsResult = z.infer<typeof PathsResultSchema>;

/** "+2 B" / "0 A" / "-1 C": the Sankey node name of an activity at a step relative to the anchor. */
export const sankeyNodeName = (step: number, activity: string): string =>
  `${step > 0 ? `+${step}` : String(step)} ${activity}`;

/** The journey context every analysis request carries (as POST /api/journeys/map does). */
const RequestContext = {
  scope: DataScopeSchema.optional(),
  filter: JourneyFilterSchema.optional(),
  caseNotion: CaseNotionSchema.optional(),
};

/** POST /api/journeys/paths: the spec's fields at the top level, plus scope, filter and case notion. */
export const PathsRequestSchema = z.object({ ...PathsSpecSchema.shape, ...RequestContext }).strict();
export type PathsRequest = z.input<typeof PathsRequestSchema>;
