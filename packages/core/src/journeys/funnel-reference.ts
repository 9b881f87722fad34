import type { FunnelSpec } from './funnel.ts';

/**
 * The funnel rules of funnel.ts written out plainly, one case at a time: the reference the SQL in
 * packages/server/src/queries/journeys/funnel.ts is checked against on random logs. Quadratic per
 * case, so for tests and small logs only.
 */
export interface TraceEvent {
  activity: string;
  /** Epoch milliseconds. */
  ts: number;
}

/**
 * The step times (epoch ms) of a trace's best funnel attempt — the one that gets furthest, the
 * earliest on ties — or [] when the trace never does step 1. `events` must be in case order: time,
 * then file order.
 */
export function funnelAttempt(events: readonly TraceEvent[], spec: FunnelSpec): number[] {
  const windowMs = spec.windowSeconds * 1000;
  const steps = spec.steps;
  let best: number[] = [];
  const consider = (times: number[]) => {
    if (times.length > best.length) best = times;
  };
  events.forEach((start, i) => {
    if (spec.mode === 'any-order') {
      if (!steps.includes(start.activity)) return;
      // Every step event in [start, start + window], in case order, as long as its activity is
      // still needed; events tied with the start but earlier in the file are inside the window too.
      const need = new Map<string, number>();
      for (const s of steps) need.set(s, (need.get(s) ?? 0) + 1);
      const times: number[] = [];
      for (const e of events) {
        if (e.ts < start.ts || e.ts - start.ts > windowMs) continue;
        const left = need.get(e.activity) ?? 0;
        if (left > 0) {
          need.set(e.activity, left - 1);
          times.push(e.ts);
        }
      }
      consider(times);
      return;
    }
    if (start.activity !== steps[0]) return;
    const times = [start.ts];
    let pos = i;
    for (let k = 1; k < steps.length; k++) {
      let next = -1;
      if (spec.mode === 'strict') {
        if (events[pos + 1]?.activity === steps[k]) next = pos + 1;
      } else {
        next = events.findIndex((e, j) => j > pos && e.activity === steps[k]);
      }
      const e = next < 0 ? undefined : events[next];
      if (!e || e.ts - start.ts > windowMs) break;
      times.push(e.ts);
      pos = next;
    }
    consider(times);
  });
  return best;
}
