import type { WarehouseSession } from '../../warehouse/port.ts';

/**
 * Hand-countable feedback for the feedback analytics tests (queries and HTTP). Four blocks:
 *
 *  A  Jan 2024, billing / call_centre, customer c2 (south, business), 40 answers:
 *     NPS 10×9, 10×7, 20×3 → −25; CSAT 20×5, 20×2; CES 20×5, 20×3.
 *     The 20 detractors say "Waited 40 minutes on hold" [waiting_time], negative −0.6.
 *  B  Jan 2024, onboarding / web, customer c1 (north, consumer), 40 answers:
 *     NPS 30×10, 10×8 → +75; CSAT 35×5, 5×1; CES 30×6, 10×7 → 6.25.
 *     The first 10 say "Very friendly staff" [courtesy], positive 0.8.
 *  C  Feb 2024, billing / call_centre, c2, 40 answers: NPS 20×9, 10×8, 10×0 → +25; CSAT 30×4, 10×2;
 *     CES 20×5, 20×6. The 10 detractors: "Billing error, 50% overcharge! Waited again"
 *     [billing_error, waiting_time], negative −0.9; the 20 promoters: "Quick and friendly"
 *     [courtesy], positive 0.7.
 *  D  Feb 2024, moving / shop, no customer, 3 answers: NPS 10, 2, 6; no CSAT or CES. The 2 says
 *     "<script>alert(1)</script> bad shop" (no themes), negative −0.5.
 *
 * Expected (by hand): all NPS n 123, P 61 / passives 30 / D 32 → +23.58; billing n 80 → 0;
 * onboarding +75; moving n 3 (hidden). Jan n 80 → +25, Feb n 43 → +20.93. Comments 61 (Jan 30,
 * Feb 31). waiting_time n 30 all detractors → −100, impact +23.58 − 59/93·100 = −39.86.
 */
const day = (m: number, d: number, h = 12) => Date.UTC(2024, m - 1, d, h);

const COLUMNS = [
  'response_id',
  'customer_id',
  'ts',
  'survey_id',
  'journey',
  'touchpoint',
  'channel',
  'nps',
  'csat',
  'ces',
  'comment',
  'language',
  'sentiment',
  'sentiment_score',
  'themes',
  'source_system',
] as const;

export async function insertFeedbackAnalyticsFixture(wh: WarehouseSession): Promise<void> {
  await wh.append(
    'customers',
    ['customer_id', 'created_at', 'segment', 'region', 'source_system'],
    [
      ['c1', day(1, 1), 'consumer', 'north', 'fixture'],
      ['c2', day(1, 1), 'business', 'south', 'fixture'],
    ],
  );
  const rows: unknown[][] = [];
  const add = (
    id: string,
    cust: string | null,
    ts: number,
    journey: string,
    channel: string,
    nps: number,
    csat: number | null,
    ces: number | null,
    text?: [string, 'negative' | 'positive', number, string[]],
  ) =>
    rows.push([
      id,
      cust,
      ts,
      `tx_${journey}`,
      journey,
      `${journey} touchpoint`,
      channel,
      nps,
      csat,
      ces,
      text?.[0] ?? null,
      text ? 'en' : null,
      text?.[1] ?? null,
      text?.[2] ?? null,
      text?.[3] ?? null,
      'fixture',
    ]);
  for (let i = 0; i < 40; i++) {
    const nps = i < 10 ? 9 : i < 20 ? 7 : 3;
    add(
      `A${i}`,
      'c2',
      day(1, 5 + (i % 20), i % 24),
      'billing',
      'call_centre',
      nps,
      i < 20 ? 5 : 2,
      i < 20 ? 5 : 3,
      nps === 3 ? ['Waited 40 minutes on hold', 'negative', -0.6, ['waiting_time']] : undefined,
    );
  }
  for (let i = 0; i < 40; i++) {
    add(
      `B${i}`,
      'c1',
      day(1, 5 + (i % 20), 6),
      'onboarding',
      'web',
      i < 30 ? 10 : 8,
      i < 35 ? 5 : 1,
      i < 30 ? 6 : 7,
      i < 10 ? ['Very friendly staff', 'positive', 0.8, ['courtesy']] : undefined,
    );
  }
  for (let i = 0; i < 40; i++) {
    const nps = i < 20 ? 9 : i < 30 ? 8 : 0;
    add(
      `C${i}`,
      'c2',
      day(2, 1 + (i % 20), 10),
      'billing',
      'call_centre',
      nps,
      i < 30 ? 4 : 2,
      i < 20 ? 5 : 6,
      nps === 0
        ? ['Billing error, 50% overcharge! Waited again', 'negative', -0.9, ['billing_error', 'waiting_time']]
        : nps === 9
          ? ['Quick and friendly', 'positive', 0.7, ['courtesy']]
          : undefined,
    );
  }
  add('D0', null, day(2, 20, 9), 'moving', 'shop', 10, null, null);
  add('D1', null, day(2, 20, 10), 'moving', 'shop', 2, null, null, [
    '<script>alert(1)</script> bad shop',
    'negative',
    -0.5,
    [],
  ]);
  add('D2', null, day(2, 20, 11), 'moving', 'shop', 6, null, null);
  await wh.append('feedback', COLUMNS, rows);
}
