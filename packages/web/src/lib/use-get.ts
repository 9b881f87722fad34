import { useCallback, useEffect, useState } from 'react';
import { getJson } from './api.ts';

/**
 * While a new answer loads, the previous one stays on screen (marked busy) instead of flashing a
 * spinner on each filter change. `status` is the HTTP status of a refusal, when there was one.
 */
export type Loadable<T> =
  | { state: 'loading'; previous?: T }
  | { state: 'error'; message: string; status?: number; previous?: T }
  | { state: 'ready'; data: T };

/** GETs a JSON route again whenever `path` changes; `path` null means "nothing to load yet". */
export function useGet<T>(path: string | null): [Loadable<T>, () => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes only to re-run the fetch (retry).
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setResult((r) => ({ state: 'loading', ...previousOf(r) }));
    getJson<T>(path, ctl.signal).then(
      (data) => setResult({ state: 'ready', data }),
      (e: Error & { status?: number }) => {
        if (ctl.signal.aborted) return;
        setResult((r) => ({
          state: 'error',
          message: e.message,
          ...(e.status ? { status: e.status } : {}),
          ...previousOf(r),
        }));
      },
    );
    return () => ctl.abort();
  }, [path, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [result, retry];
}

/** The answer to show: the new one, or while loading or after an error the previous one. */
export function shownOf<T>(r: Loadable<T>): T | undefined {
  return r.state === 'ready' ? r.data : r.previous;
}

/** The answer on screen, carried into the next loading or error state. */
export function previousOf<T>(r: Loadable<T>): { previous?: T } {
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
