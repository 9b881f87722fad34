import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';

/**
 * GET a JSON answer; while a new one loads, the previous stays on screen (marked busy) instead of
 * flashing a spinner on each filter change. `path` null means "nothing to load yet".
 */
export type Loadable<T> =
  | { state: 'loading'; previous?: T }
  | { state: 'error'; message: string; previous?: T }
  | { state: 'ready'; data: T };

export function useApi<T>(path: string | null): [Loadable<T>, () => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes only to re-run the fetch (retry).
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setResult((r) => ({ state: 'loading', ...latest(r) }));
    getJson<T>(path, ctl.signal).then(
      (data) => setResult({ state: 'ready', data }),
      (e: Error) => {
        if (!ctl.signal.aborted) setResult((r) => ({ state: 'error', message: e.message, ...latest(r) }));
      },
    );
    return () => ctl.abort();
  }, [path, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [result, retry];
}

export function shownOf<T>(r: Loadable<T>): T | undefined {
  return r.state === 'ready' ? r.data : r.previous;
}

function latest<T>(r: Loadable<T>): { previous?: T } {
  const p = shownOf(r);
  return p === undefined ? {} : { previous: p };
}

/** Query string from the defined, non-empty values, in the given order. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
