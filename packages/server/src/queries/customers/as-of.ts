import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * The "now" of a customer file: the latest event in the store, or the clock when that is earlier.
 * A store loaded from history (the demo ends 2026-06-30) then reads "the last 90 days" as the last
 * 90 days of its data, not an empty quarter after it. max(ts) is answered from DuckDB's zone maps.
 */
export async function storeAsOf(wh: WarehouseSession, now: Date): Promise<string> {
  const [r] = await wh.all<{ ts: string | null }>('select max(ts) as ts from events');
  if (!r?.ts) return now.toISOString();
  const latest = new Date(r.ts);
  return (latest < now ? latest : now).toISOString();
}
