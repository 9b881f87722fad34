import { z } from 'zod';

/**
 * The slice of data a caller may see. Every analytic query takes one, so that role-based row-level
 * restrictions can be enforced inside the database (DESIGN.md §1.6). An absent or empty list means
 * "no restriction on this dimension".
 */
export const DataScopeSchema = z
  .object({
    regions: z.array(z.string()).optional(),
    segments: z.array(z.string()).optional(),
    journeys: z.array(z.string()).optional(),
    channels: z.array(z.string()).optional(),
  })
  .strict();
export type DataScope = z.infer<typeof DataScopeSchema>;

/** Everything: used by admins and by the CLI working on its own file. */
export const UNRESTRICTED: DataScope = Object.freeze({});

export function isUnrestricted(scope: DataScope): boolean {
  return (
    !scope.regions?.length && !scope.segments?.length && !scope.journeys?.length && !scope.channels?.length
  );
}
