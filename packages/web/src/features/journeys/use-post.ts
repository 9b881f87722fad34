import { useCallback, useEffect, useState } from 'react';
import { postJson } from '../../lib/api.ts';
import type { Loadable } from '../overview/use-overview.ts';

/**
 * POSTs `body` to `path` whenever the body changes (compared as JSON, so a new object with the same
 * content does not refetch) and keeps the previous answer on screen while the next one loads. A null
 * body asks nothing.
 */
export function usePost<T>(path: string, body: unknown): [Loadable<T>, () => void] {
  const key = JSON.stringify(body);
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` changes only to re-run the fetch (retry).
  useEffect(() => {
    // No body: nothing to ask yet (e.g. a funnel with fewer than two steps).
    if (key === 'null') return;
    const ctl = new AbortController();
    setResult((r) => ({ state: 'loading', ...latest(r) }));
    postJson<T>(path, JSON.parse(key), ctl.signal).then(
      (data) => setResult({ state: 'ready', data }),
      (e: Error) => {
        if (!ctl.signal.aborted) setResult((r) => ({ state: 'error', message: e.message, ...latest(r) }));
      },
    );
    return () => ctl.abort();
  }, [path, key, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return [result, retry];
}

export function latest<T>(r: Loadable<T>): { previous?: T } {
  const p = r.state === 'ready' ? r.data : r.previous;
  return p === undefined ? {} : { previous: p };
}

/** What to draw: the fresh answer, or the previous one while loading or after an error. */
export function shown<T>(r: Loadable<T>): T | undefined {
  return r.state === 'ready' ? r.data : r.previous;
}
