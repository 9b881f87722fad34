import type { WarehouseSession } from '../../warehouse/port.ts';
import type { createApp } from '../app.ts';

/**
 * The hand-countable log of the journey route tests (test support only). Seconds after
 * 2024-01-01T00:00Z; customer; channel:
 *   k1 A web          a@0  b@60  c@180
 *   k2 A web          a@0  b@120 c@240
 *   k3 B call_centre  a@0  c@30
 *   k4 B call_centre  a@0  b@10  b@20 c@50     (repeats b)
 */
export const FIXTURE_T0 = Date.UTC(2024, 0, 1);

const CASES: [caseId: string, customer: string, channel: string, events: [string, number][]][] = [
  [
    'k1',
    'A',
    'web',
    [
      ['a', 0],
      ['b', 60],
      ['c', 180],
    ],
  ],
  [
    'k2',
    'A',
    'web',
    [
      ['a', 0],
      ['b', 120],
      ['c', 240],
    ],
  ],
  [
    'k3',
    'B',
    'call_centre',
    [
      ['a', 0],
      ['c', 30],
    ],
  ],
  [
    'k4',
    'B',
    'call_centre',
    [
      ['a', 0],
      ['b', 10],
      ['b', 20],
      ['c', 50],
    ],
  ],
];

/** Appends the fixture's events, all in `journey` when one is given. */
export async function appendFixtureEvents(
  db: Pick<WarehouseSession, 'append'>,
  journey: string | null = null,
): Promise<void> {
  const rows: unknown[][] = [];
  for (const [kase, cust, channel, evs] of CASES)
    evs.forEach(([act, s], i) => {
      rows.push([`${kase}-${i}`, cust, kase, FIXTURE_T0 + s * 1000, act, journey, channel, 'fixture']);
    });
  await db.append(
    'events',
    ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'load_id'],
    rows,
  );
}

/** POSTs a JSON body (or a raw string) to the app and reads the JSON answer. */
export async function postTo<T = unknown>(
  app: ReturnType<typeof createApp>,
  path: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
