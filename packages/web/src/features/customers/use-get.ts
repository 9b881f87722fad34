import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';

/** GET a JSON answer; the previous answer stays on screen (marked busy) while the next one loads. */
export type Loaded<T> =
  | { state: 'loading'; previous?: T }
  | { state: 'error'; message: string; status?: number; previous?: T }
  | { state: 'ready'; data: T };

export function useGet<T>(path: string | null): [Loaded<T>, () => void] {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
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

export function shownOf<T>(r: Loaded<T>): T | undefined {
  return r.state === 'ready' ? r.data : r.previous;
}

function previousOf<T>(r: Loaded<T>): { previous?: T } {
  const p = shownOf(r);
  return p === undefined ? {} : { previous: p };
}
