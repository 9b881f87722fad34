import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * A tiny company with hand-countable answers, shared by the overview query and HTTP tests.
 * North (c1–c5, consumer) answered about onboarding on the web in January 2024; south (c6–c10,
 * business) about billing at the call centre in February. c11 (north) has no activity.
 *
 * Expected figures (counted by hand from the arrays below):
 *  - all:     NPS n = 21 (P 9, passives 4, D 8) → +4.76; CSAT 9 of 15; events 33, cases 12
 *  - north:   NPS n = 10 (P 6, passives 2, D 2) → +40; events 17, cases 6, customers 6
 *  - billing: NPS n = 10 (P 2, passives 2, D 6) → −40; events 17, cases 6, customers 6
 *  - theme slow (fn0–fn4, c1–c5, January): NPS n = 5 (P 3, passives 1, D 1) → +40; CSAT 4 of 5;
 *    CES mean 5.2; volumes of c1–c5: events 17, cases 6, customers 5
 *  - theme billing_error (fs0–fs4, c6–c10, February): NPS n = 5 (passives 1, D 4) → −80
 */
export const FIXTURE = {
  northNps: [10, 9, 9, 8, 3, 10, 7, 6, 9, 10],
  northCsat: [5, 4, 4, 3, 5, 5, 2, 4, 5, 1],
  northCes: [7, 6, 5, 6, 2, 7, 5, 3, 6, 7],
  southNps: [0, 2, 5, 6, 7, 8, 9, 10, 4, 6],
  southCsat: [1, 2, 3, 4, 5, null, null, null, null, null],
  southCes: [2, 3, 1, 4, 5, 2, 3, 4, 1, 2],
} as const;

const day = (m: number, d: number, h = 12) => Date.UTC(2024, m - 1, d, h);

export async function insertOverviewFixture(wh: WarehouseSession): Promise<void> {
  const customers: unknown[][] = [];
  for (let i = 1; i <= 11; i++) {
    const north = i <= 5 || i === 11;
    customers.push([
      `c${i}`,
      day(1, 1),
      north ? 'consumer' : 'business',
      north ? 'north' : 'south',
      'fixture',
    ]);
  }
  await wh.append(
    'customers',
    ['customer_id', 'created_at', 'segment', 'region', 'source_system'],
    customers,
  );

  const events: unknown[][] = [];
  const ev = (
    id: string,
    cust: string | null,
    kase: string,
    ts: number,
    act: string,
    journey: string | null,
    ch: string | null,
  ) => events.push([id, cust, kase, ts, act, journey, ch, 'fixture']);
  for (let i = 1; i <= 5; i++) {
    for (const [k, act] of ['signup', 'verify', 'activate'].entries()) {
      ev(`n${i}-${k}`, `c${i}`, `n-${i}`, day(1, 10 + i, 9 + k), act, 'onboarding', 'web');
    }
  }
  for (let i = 6; i <= 10; i++) {
    for (const [k, act] of ['bill', 'call', 'resolve'].entries()) {
      ev(`s${i}-${k}`, `c${i}`, `s-${i}`, day(2, 10 + i, 9 + k), act, 'billing', 'call_centre');
    }
  }
  ev('c1-b0', 'c1', 'c1-bill', day(2, 3), 'bill', 'billing', 'app');
  ev('c1-b1', 'c1', 'c1-bill', day(2, 4), 'pay', 'billing', 'app');
  ev('x-0', null, 'x', day(3, 5), 'visit', null, null);
  await wh.append(
    'events',
    ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'channel', 'source_system'],
    events,
  );

  const feedback: unknown[][] = [];
  const fb = (
    id: string,
    cust: string | null,
    ts: number,
    journey: string | null,
    ch: string | null,
    nps: number | null,
    csat: number | null,
    ces: number | null,
    themes: string[] | null = null,
  ) => feedback.push([id, cust, ts, journey, ch, nps, csat, ces, themes, 'fixture']);
  for (let k = 0; k < 10; k++) {
    const north = `c${(k % 5) + 1}`;
    fb(
      `fn${k}`,
      north,
      day(1, 20, k),
      'onboarding',
      'web',
      FIXTURE.northNps[k]!,
      FIXTURE.northCsat[k]!,
      FIXTURE.northCes[k]!,
      k < 5 ? ['slow'] : null,
    );
    const south = `c${(k % 5) + 6}`;
    fb(
      `fs${k}`,
      south,
      day(2, 20, k),
      'billing',
      'call_centre',
      FIXTURE.southNps[k]!,
      FIXTURE.southCsat[k]!,
      FIXTURE.southCes[k]!,
      k < 5 ? ['billing_error'] : null,
    );
  }
  // A comment without scores (counts in no n) and an unattributed promoter (visible only unrestricted).
  fb('f-comment', 'c1', day(1, 21), 'onboarding', 'web', null, null, null);
  fb('f-anon', null, day(3, 6), null, null, 10, null, null);
  await wh.append(
    'feedback',
    [
      'response_id',
      'customer_id',
      'ts',
      'journey',
      'channel',
      'nps',
      'csat',
      'ces',
      'themes',
      'source_system',
    ],
    feedback,
  );
}
