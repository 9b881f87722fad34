import type { DataScope, TimelineCase, TimelineEvent } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/** A file shows at most this many events (the newest); a customer with more is flagged truncated. */
export const MAX_TIMELINE_EVENTS = 2_000;

interface EventRow {
  event_id: string;
  case_id: string;
  ts: string;
  activity: string;
  touchpoint: string | null;
  journey: string | null;
  channel: string | null;
  resource: string | null;
  value: number | null;
  wait_seconds: number | null;
}

/**
 * Every event of the customer, grouped into its cases (journey instances) in time order. The
 * filter is on customer_id, so DuckDB skips row groups by their min/max and reads only this
 * customer's events; the grouping then runs over one customer's rows, never the table's.
 * The wait comes from `properties.wait_seconds` (contacts), not from `value`, which on other events
 * is an amount.
 */
export async function customerTimeline(
  wh: WarehouseSession,
  customerId: string,
  scope: DataScope,
): Promise<{ cases: TimelineCase[]; truncated: boolean }> {
  const s = scopeSql(scope, 'e', 'events');
  const rows = await wh.all<EventRow>(
    `select * from (
       select event_id, case_id, ts, activity, touchpoint, journey, channel, resource, value,
              try_cast(json_extract_string(properties, '$.wait_seconds') as double) as wait_seconds,
              rowid as ord
       from events e where e.customer_id = ? and ${s.sql}
       order by ts desc, ord desc limit ?
     ) order by ts, ord`,
    [customerId, ...s.params, MAX_TIMELINE_EVENTS + 1],
  );
  const truncated = rows.length > MAX_TIMELINE_EVENTS;
  const kept = truncated ? rows.slice(1) : rows;
  const byCase = new Map<string, { journey: string | null; events: TimelineEvent[] }>();
  for (const r of kept) {
    let c = byCase.get(r.case_id);
    if (!c) {
      c = { journey: null, events: [] };
      byCase.set(r.case_id, c);
    }
    c.journey ??= r.journey;
    c.events.push({
      eventId: r.event_id,
      ts: r.ts,
      activity: r.activity,
      touchpoint: r.touchpoint,
      channel: r.channel,
      resource: r.resource,
      value: r.value,
      waitSeconds: r.wait_seconds,
    });
  }
  const cases = [...byCase.entries()].map(([caseId, c]): TimelineCase => {
    const waits = c.events.filter((e) => e.waitSeconds !== null);
    return {
      caseId,
      journey: c.journey,
      start: c.events[0]!.ts,
      end: c.events.at(-1)!.ts,
      channels: [...new Set(c.events.map((e) => e.channel).filter((x): x is string => x !== null))],
      contacts: waits.length,
      waitSeconds: waits.reduce((sum, e) => sum + (e.waitSeconds ?? 0), 0),
      lastActivity: c.events.at(-1)!.activity,
      events: c.events,
    };
  });
  // Insertion order is by first event already; make it explicit for cases that interleave.
  cases.sort((a, b) => a.start.localeCompare(b.start) || a.caseId.localeCompare(b.caseId));
  return { cases, truncated };
}
