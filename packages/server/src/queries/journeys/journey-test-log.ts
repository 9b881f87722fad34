import type { WarehouseSession } from '../../warehouse/port.ts';

/** One hand-made event: case, customer, time (ISO, or minutes after 2024-01-01T00:00Z), activity, channel, journey, touchpoint. */
export type LogRow = [
  caseId: string,
  customer: string | null,
  at: number | string,
  activity: string,
  channel?: string | null,
  journey?: string | null,
  touchpoint?: string | null,
];

const T0 = Date.UTC(2024, 0, 1);

/** Appends the rows in the given order (= file order, the tie-break after ts). Test support only. */
export async function appendLog(
  db: Pick<WarehouseSession, 'append'>,
  rows: readonly LogRow[],
): Promise<void> {
  await db.append(
    'events',
    ['event_id', 'case_id', 'customer_id', 'ts', 'activity', 'channel', 'journey', 'touchpoint'],
    rows.map(([c, cu, at, activity, channel, journey, touchpoint], i) => [
      `e${i}`,
      c,
      cu,
      typeof at === 'number' ? T0 + at * 60_000 : Date.parse(at),
      activity,
      channel ?? null,
      journey ?? null,
      touchpoint ?? null,
    ]),
  );
}

export async function appendCustomers(
  db: Pick<WarehouseSession, 'append'>,
  rows: readonly [customer: string, segment: string, region: string][],
): Promise<void> {
  await db.append('customers', ['customer_id', 'segment', 'region'], rows);
}

/**
 * A seeded random log: `cases` cases of 3–8 events over activities a–f, one day apart, with repeats
 * and ties in time (a quarter of the steps happen in the same minute as the one before), and a
 * customer for every 30th case. Test support only.
 */
export function randomLog(cases: number, seed = 7): LogRow[] {
  let x = seed;
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return Math.floor(x / 65536) % n;
  };
  const rows: LogRow[] = [];
  for (let c = 0; c < cases; c++) {
    let minute = c * 1440;
    const n = 3 + rnd(6);
    for (let k = 0; k < n; k++) {
      minute += rnd(4) === 0 ? 0 : 1 + rnd(20);
      rows.push([`c${c}`, `u${c % 30}`, minute, 'abcdef'[rnd(6)]!, 'web']);
    }
  }
  return rows;
}

/**
 * Numbers to 12 significant digits: DuckDB's parallel aggregates may add in another order on the
 * two paths, and a standard deviation can then differ in its last bit.
 */
export const significant = (v: unknown): unknown =>
  typeof v === 'number'
    ? Number(v.toPrecision(12))
    : Array.isArray(v)
      ? v.map(significant)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, significant(x)]))
        : v;
