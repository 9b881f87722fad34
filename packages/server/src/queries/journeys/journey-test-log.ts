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
