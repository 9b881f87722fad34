import { useCallback, useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import type { Loadable } from '../overview/use-overview.ts';

/**
 * GETs a JSON route and keeps the previous answer on screen (marked busy) while a new one loads, as
 * the Overview does. `path` null means "nothing to load yet".
 */
export function useJson<T>(path: string | null): [Loadable<T>, () => void] {
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

function latest<T>(r: Loadable<T>): { previous?: T } {
  const p = r.state === 'ready' ? r.data : r.previous;
  return p === undefined ? {} : { previous: p };
}

/** Euros without cents, "1,234 EUR"; a dash for no value. */
export function formatEur(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const r = Math.round(x);
  return `${r < 0 ? '−' : ''}${Math.abs(r).toLocaleString('en')} EUR`;
}

/** A signed number with a real minus sign. */
export function signed(x: number, digits = 1): string {
  const s = Math.abs(x).toLocaleString('en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const zero = Number(s.replaceAll(',', '')) === 0;
  return zero ? s : x > 0 ? `+${s}` : `−${s}`;
}
