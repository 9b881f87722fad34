import type { Overview } from '@cx/core';
import { type Loadable, useGet } from '../../lib/use-get.ts';

export type { Loadable } from '../../lib/use-get.ts';

/** The Overview answer for a query string (period, theme, region, segment). */
export function useOverview(query: string): [Loadable<Overview>, () => void] {
  return useGet<Overview>(`/api/overview${query ? `?${query}` : ''}`);
}
