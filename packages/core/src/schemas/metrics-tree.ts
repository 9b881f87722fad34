import { z } from 'zod';
import { DataScopeSchema } from '../scope.ts';

/**
 * The metrics tree (issue 6, DESIGN.md §1.3): top line ← journeys ← touchpoints ← experience
 * elements ← service-level KPIs. The tree is data the CX team edits in the cockpit; the server stores
 * every save as a new version, so a report can say which tree it was computed with.
 */

export const METRICS_NODE_KINDS = ['score', 'journey', 'touchpoint', 'element', 'kpi'] as const;
export type MetricsNodeKind = (typeof METRICS_NODE_KINDS)[number];

/**
 * Service-level KPIs computed per response from the events and measurements of the response's case
 * (feedback.case_id), never from survey answers: that is what makes them independent drivers.
 */
export const DRIVER_CASE_KPIS = {
  wait_minutes: { label: 'Total wait (minutes)', direction: 'lower_is_better', target: 5 },
  assisted_contacts: { label: 'Assisted contacts', direction: 'lower_is_better', target: 1 },
  extra_contacts: { label: 'Repeated contacts', direction: 'lower_is_better', target: 0 },
  transfers: { label: 'Transfers', direction: 'lower_is_better', target: 0 },
  first_contact_resolution: { label: 'First-contact resolution', direction: 'higher_is_better', target: 1 },
} as const satisfies Record<string, { label: string; direction: KpiDirection; target: number }>;
export type DriverCaseKpi = keyof typeof DRIVER_CASE_KPIS;

export type KpiDirection = 'higher_is_better' | 'lower_is_better';

/** How a node is measured on one survey response. */
export type NodeMeasure =
  | { type: 'score'; score: 'nps' | 'csat' | 'ces' }
  | { type: 'element'; name: string }
  | { type: 'kpi'; kpi: DriverCaseKpi }
  /** Mean of the response case's measurements of this KPI (scope `case:<case_id>`). */
  | { type: 'measurement'; kpi: string };

const NAME_RE = /^[a-z][a-z0-9_]{0,63}$/;

/** Parses `nps`, `csat`, `ces`, `element:<name>`, `kpi:<case kpi>` or `measurement:<kpi>`; null if unknown. */
export function parseNodeMeasure(text: string): NodeMeasure | null {
  if (text === 'nps' || text === 'csat' || text === 'ces') return { type: 'score', score: text };
  const [prefix, name, ...rest] = text.split(':');
  if (rest.length || !name || !NAME_RE.test(name)) return null;
  if (prefix === 'element') return { type: 'element', name };
  if (prefix === 'kpi') return name in DRIVER_CASE_KPIS ? { type: 'kpi', kpi: name as DriverCaseKpi } : null;
  if (prefix === 'measurement') return { type: 'measurement', kpi: name };
  return null;
}

/** The scale a measure is read on, for normalising performance (null = unbounded, e.g. minutes). */
export function nodeMeasureScale(m: NodeMeasure): { min: number; max: number; topBox?: number } | null {
  if (m.type === 'score')
    return m.score === 'nps'
      ? { min: 0, max: 10, topBox: 9 }
      : m.score === 'csat'
        ? { min: 1, max: 5, topBox: 4 }
        : { min: 1, max: 7, topBox: 6 };
  if (m.type === 'element') return { min: 1, max: 5, topBox: 4 };
  if (m.type === 'kpi' && m.kpi === 'first_contact_resolution') return { min: 0, max: 1 };
  return null;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

const listOf = z.array(z.string().min(1).max(200)).min(1).max(100);

export const MetricsNodeFilterSchema = z
  .object({
    journeys: listOf.optional(),
    touchpoints: listOf.optional(),
    channels: listOf.optional(),
  })
  .strict()
  .describe('Responses this node is measured on; a node also inherits the filters of its ancestors');
export type MetricsNodeFilter = z.infer<typeof MetricsNodeFilterSchema>;

export const MetricsNodeSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_./:-]{0,119}$/, 'letters, digits and _ . / : -, at most 120'),
    label: z.string().trim().min(1).max(200),
    kind: z.enum(METRICS_NODE_KINDS),
    measure: z
      .string()
      .refine((m) => parseNodeMeasure(m) !== null, {
        message:
          'unknown measure: use nps, csat, ces, element:<name>, measurement:<kpi> or kpi:' +
          Object.keys(DRIVER_CASE_KPIS).join(' | kpi:'),
      })
      .describe('nps | csat | ces | element:<name> | kpi:<case KPI> | measurement:<kpi>'),
    filter: MetricsNodeFilterSchema.optional(),
    children: z.array(z.string()).max(200).default([]),
    direction: z
      .enum(['higher_is_better', 'lower_is_better'])
      .optional()
      .describe('For KPIs: lower is better for waits and contacts (default from the KPI)'),
    target: z.number().finite().optional().describe('For KPIs: the service-level target'),
    owner: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Who answers for this node, e.g. the journey owner; prediction roll-ups by owner use it'),
  })
  .strict();
export type MetricsNode = z.infer<typeof MetricsNodeSchema>;

/**
 * Journey → owner, from the journey nodes of a tree that name an owner and restrict to journeys. The
 * tree is where a CX programme writes down who owns which journey, so roll-ups by owner read it here.
 */
export function journeyOwners(tree: { nodes: readonly MetricsNode[] }): { journey: string; owner: string }[] {
  const out = new Map<string, string>();
  for (const n of tree.nodes)
    if (n.kind === 'journey' && n.owner)
      for (const j of n.filter?.journeys ?? []) if (!out.has(j)) out.set(j, n.owner);
  return [...out].map(([journey, owner]) => ({ journey, owner }));
}

/** Ids, children and acyclicity are checked as a whole; each problem names the node and field. */
export const MetricsTreeSchema = z
  .object({
    root: z.string().min(1),
    nodes: z.array(MetricsNodeSchema).min(1).max(2000),
  })
  .strict()
  .superRefine((tree, ctx) => {
    const index = new Map<string, number>();
    tree.nodes.forEach((n, i) => {
      if (index.has(n.id))
        ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `duplicate node id "${n.id}"` });
      else index.set(n.id, i);
    });
    if (!index.has(tree.root))
      ctx.addIssue({ code: 'custom', path: ['root'], message: `root "${tree.root}" is not a node id` });
    const parentOf = new Map<string, string>();
    tree.nodes.forEach((n, i) => {
      n.children.forEach((c, j) => {
        const path = ['nodes', i, 'children', j];
        if (!index.has(c))
          ctx.addIssue({ code: 'custom', path, message: `node "${n.id}": unknown child id "${c}"` });
        else if (c === tree.root)
          ctx.addIssue({
            code: 'custom',
            path,
            message: `node "${n.id}": the root "${c}" cannot be a child`,
          });
        else if (parentOf.has(c) && parentOf.get(c) !== n.id)
          ctx.addIssue({
            code: 'custom',
            path,
            message: `node "${n.id}": child "${c}" already has the parent "${parentOf.get(c)}" (a node has one parent)`,
          });
        else if (parentOf.get(c) === n.id)
          ctx.addIssue({ code: 'custom', path, message: `node "${n.id}": child "${c}" is listed twice` });
        else parentOf.set(c, n.id);
      });
    });
    // Cycles: walk up from every node; a walk longer than the node count revisits a node.
    for (const [id, i] of index) {
      const seen = new Set<string>([id]);
      for (let p = parentOf.get(id); p !== undefined; p = parentOf.get(p)) {
        if (seen.has(p)) {
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', i, 'children'],
            message: `node "${id}" is part of a cycle (${[...seen, p].join(' → ')})`,
          });
          return;
        }
        seen.add(p);
      }
    }
    for (const [id, i] of index)
      if (id !== tree.root && !parentOf.has(id))
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', i, 'id'],
          message: `node "${id}" is not reachable from the root (no parent lists it)`,
        });
  });
export type MetricsTree = z.infer<typeof MetricsTreeSchema>;

export const StoredMetricsTreeSchema = z.object({
  version: z.number().int().describe('0 for the built-in default that was never saved'),
  tree: MetricsTreeSchema,
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  comment: z.string().nullable(),
});
export type StoredMetricsTree = z.infer<typeof StoredMetricsTreeSchema>;

export const MetricsTreeVersionSchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  comment: z.string().nullable(),
  nodes: z.number().int(),
});
export type MetricsTreeVersion = z.infer<typeof MetricsTreeVersionSchema>;

export const SaveMetricsTreeSchema = z
  .object({
    tree: z.unknown().describe('A whole metrics tree, validated'),
    comment: z.string().max(500).optional(),
    author: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Slice of responses a link is computed on: the caller's scope, a period and segments. */
export const DriverFiltersSchema = z
  .object({
    from: date.optional().describe('First day (UTC) of the responses, inclusive'),
    to: date.optional().describe('Last day (UTC), inclusive'),
    segments: z.array(z.string().min(1)).max(50).optional(),
    regions: z.array(z.string().min(1)).max(50).optional(),
  })
  .strict();
export type DriverFilters = z.infer<typeof DriverFiltersSchema>;

export const DriverNodeRequestSchema = z
  .object({
    nodeId: z.string().min(1),
    filters: DriverFiltersSchema.optional(),
    scope: DataScopeSchema.optional(),
    resamples: z.number().int().min(0).max(10_000).default(1000),
    seed: z.number().int().min(0).default(1),
    version: z.number().int().min(0).optional().describe('Tree version; the latest when absent'),
  })
  .strict();
export type DriverNodeRequest = z.input<typeof DriverNodeRequestSchema>;

const Interval = z.object({ low: z.number(), high: z.number() });

export const DriverLinkChildSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(METRICS_NODE_KINDS),
  measure: z.string(),
  /** Share of the parent's explained variance (relative weights) or of the total impact. */
  share: z.number(),
  /** Relative weight ε (Σ = R²) or impact on the parent's headline figure. */
  raw: z.number(),
  ci: Interval.nullable().describe('95 % interval of `raw`'),
  shareCi: Interval.nullable().describe('95 % interval of `share`'),
  notSignificant: z.boolean(),
  correlation: z.number().nullable(),
  sign: z.number(),
  vif: z.number().nullable(),
  /** Unstandardised effect on the parent per unit of the child (OLS coefficient or share × slope). */
  coefficient: z.number().nullable(),
  coefficientCi: Interval.nullable(),
  npsPoints: z.number().nullable().describe('NPS points explained (impact links on an NPS parent)'),
  npsPointsCi: Interval.nullable(),
  volumeShare: z.number().nullable().describe('Share of the parent responses in this child (impact links)'),
  performance: z.object({
    n: z.number(),
    mean: z.number().nullable(),
    topBox: z.number().nullable().describe('Share in the top box (4–5 of 5, 6–7 of 7, 9–10 of 10)'),
    withinTarget: z.number().nullable().describe('KPIs: share of responses within the target'),
    target: z.number().nullable(),
    direction: z.enum(['higher_is_better', 'lower_is_better']),
    normalised: z.number().nullable().describe('0..1, higher is better: the quadrant performance axis'),
  }),
  quadrant: z.enum(['concentrate_here', 'keep_up', 'low_priority', 'possible_overkill']).nullable(),
  included: z
    .boolean()
    .describe('false when the child could not enter the model on this slice (see warnings)'),
  hasChildren: z.boolean(),
});
export type DriverLinkChild = z.infer<typeof DriverLinkChildSchema>;

export const DriverLinkSchema = z.object({
  nodeId: z.string(),
  label: z.string(),
  measure: z.string(),
  version: z.number(),
  method: z
    .enum(['relative_weights', 'impact', 'none'])
    .describe('impact when the children partition the responses (journeys, touchpoints)'),
  n: z.number(),
  r2: z.number().nullable(),
  resamples: z.number(),
  parent: z.object({
    mean: z.number().nullable(),
    headline: z.number().nullable().describe('NPS for nps, mean otherwise'),
    headlineCi: Interval.nullable(),
  }),
  children: z.array(DriverLinkChildSchema),
  thresholds: z.object({ importance: z.number(), performance: z.number().nullable() }),
  warnings: z.array(z.string()),
  path: z.array(z.object({ id: z.string(), label: z.string() })).describe('Root … this node'),
  ms: z.number().describe('Computation time'),
});
export type DriverLink = z.infer<typeof DriverLinkSchema>;

export const DriverWhatIfRequestSchema = z
  .object({
    nodeId: z.string().min(1),
    childId: z.string().min(1),
    delta: z.number().finite().describe('Change of the child, in its own units (e.g. +0.5 points)'),
    filters: DriverFiltersSchema.optional(),
    scope: DataScopeSchema.optional(),
    version: z.number().int().min(0).optional(),
  })
  .strict();
export type DriverWhatIfRequest = z.input<typeof DriverWhatIfRequestSchema>;

export const DriverWhatIfSchema = z.object({
  nodeId: z.string(),
  childId: z.string(),
  delta: z.number(),
  steps: z.array(
    z.object({
      nodeId: z.string(),
      label: z.string(),
      measure: z.string(),
      change: z.number(),
      ci: Interval.nullable(),
      coefficient: z.number(),
    }),
  ),
  note: z.string(),
});
export type DriverWhatIf = z.infer<typeof DriverWhatIfSchema>;
