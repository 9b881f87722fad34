import type { Overview } from '@cx/core';
import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';

/**
 * While a new answer loads, the previous one stays on screen (marked busy) instead of flashing a
 * spinner each time the period changes.
 */
export type Loadable<T> =
  | { state: 'loading'; previous?: T }
  | { state: 'error'; message: string; previous?: T }
  | { state: 'ready'; data: T };

export function useOverview(query: string): [Loadable<Overview>, () => void] {
  const [result, setResult] = useState<Loadable<Overview>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes only to re-run the fetch (retry).
  useEffect(() => {
    const ctl = new AbortController();
    setResult((r) => ({ state: 'loading', ...latest(r) }));
    getJson<Overview>(`/api/overview${query ? `?${query}` : ''}`, ctl.signal).then(
      (data) => setResult({ state: 'ready', data }),
      (e: Error) => {
        if (!ctl.signal.aborted) setResult((r) => ({ state: 'error', message: e.message, ...latest(r) }));
      },
    );
    return () => ctl.abort();
  }, [query, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [result, retry];
}

function latest<T>(r: Loadable<T>): { previous?: T } {
  const p = r.state === 'ready' ? r.data : r.previous;
  return p === undefined ? {} : { previous: p };
}
