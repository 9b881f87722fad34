import { z } from 'zod';

/**
 * The output of journey discovery (`cxc journeys discover --json`, issue 4), with the sort orders
 * of the PM4Py reference files so that our JSON can be compared with them line by line.
 */
const NameCount = z.object({ name: z.string(), count: z.number().int() });

export const DfgEdgeSchema = z.object({
  from: z.string(),
  to: z.string(),
  count: z.number().int(),
  meanSeconds: z.number(),
  medianSeconds: z.number(),
  minSeconds: z.number(),
  maxSeconds: z.number(),
  sumSeconds: z.number(),
  /** Sample standard deviation (n − 1); null when the edge occurs once. */
  stdevSeconds: z.number().nullable(),
});
export type DfgEdge = z.infer<typeof DfgEdgeSchema>;

export const VariantSchema = z.object({ activities: z.array(z.string()), count: z.number().int() });
export type Variant = z.infer<typeof VariantSchema>;

export const DiscoverResultSchema = z
  .object({
    events: z.number().int(),
    cases: z.number().int(),
    activities: z.array(NameCount),
    startActivities: z.array(NameCount),
    endActivities: z.array(NameCount),
    dfg: z.array(DfgEdgeSchema),
    variants: z.array(VariantSchema),
    caseDurations: z.object({
      mean: z.number().nullable(),
      median: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
    }),
  })
  .strict();
export type DiscoverResult = z.infer<typeof DiscoverResultSchema>;
export type NameCount = z.infer<typeof NameCount>;

/**
 * Code-point string order. JavaScript's `<` compares UTF-16 code units, which differs for
 * characters outside the BMP; the reference (Python) compares code points.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

/** Element by element; a shorter prefix comes first. */
export function compareSequences(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareCodePoints(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Count descending, then name. */
export const byCountThenName = (a: NameCount, b: NameCount): number =>
  b.count - a.count || compareCodePoints(a.name, b.name);

/** Count descending, then from, then to. */
export const byCountThenEdge = (
  a: { count: number; from: string; to: string },
  b: { count: number; from: string; to: string },
): number => b.count - a.count || compareCodePoints(a.from, b.from) || compareCodePoints(a.to, b.to);

/** Count descending, then the activity list element by element. */
export const byCountThenSequence = (a: Variant, b: Variant): number =>
  b.count - a.count || compareSequences(a.activities, b.activities);
