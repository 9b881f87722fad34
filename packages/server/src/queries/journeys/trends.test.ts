import { TrendsResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { appendLog } from './journey-test-log.ts';
import { trends } from './trends.ts';

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, [
    // Monday 2024-01-01: rework (A twice), assisted, one switch, 1800 s
    ['w1', 'u1', '2024-01-01T00:00:00Z', 'A', 'web'],
    ['w1', 'u1', '2024-01-01T00:10:00Z', 'A', 'web'],
    ['w1', 'u1', '2024-01-01T00:30:00Z', 'B', 'call_centre'],
    // 2024-01-03: self-service, 600 s
    ['w2', 'u2', '2024-01-03T12:00:00Z', 'A', 'app'],
    ['w2', 'u2', '2024-01-03T12:10:00Z', 'B', 'app'],
    // starts 2024-01-31 (week of Monday 01-29), ends in February: belongs to January; two switches
    ['w3', 'u3', '2024-01-31T23:00:00Z', 'X', 'web'],
    ['w3', 'u3', '2024-02-01T00:00:00Z', 'Y', 'chat'],
    ['w3', 'u3', '2024-02-01T01:00:00Z', 'Z', 'web'],
    // a one-event case in February
    ['w4', 'u4', '2024-02-05T08:00:00Z', 'A', 'web'],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('trends', () => {
  it('per month of case start', async () => {
    const r = TrendsResultSchema.parse(await trends(s.warehouse, UNRESTRICTED));
    expect(r).toEqual({
      grain: 'month',
      assistedChannels: ['call_centre', 'shop', 'chat'],
      periods: [
        {
          period: '2024-01-01',
          cases: 3,
          events: 8,
          medianCaseSeconds: 1800,
          reworkShare: 1 / 3,
          selfServiceShare: 1 / 3,
          switches: 3,
          casesWithSwitch: 2,
        },
        {
          period: '2024-02-01',
          cases: 1,
          events: 1,
          medianCaseSeconds: 0,
          reworkShare: 0,
          selfServiceShare: 1,
          switches: 0,
          casesWithSwitch: 0,
        },
      ],
    });
  });

  it('per ISO week (Monday), empty weeks absent', async () => {
    const r = await trends(s.warehouse, UNRESTRICTED, { grain: 'week' });
    expect(r.periods.map((p) => [p.period, p.cases, p.medianCaseSeconds])).toEqual([
      ['2024-01-01', 2, 1200],
      ['2024-01-29', 1, 7200],
      ['2024-02-05', 1, 0],
    ]);
  });

  it('honours the filter and the assisted channel list', async () => {
    const chat = await trends(s.warehouse, UNRESTRICTED, {
      filter: { attributes: [{ field: 'channel', values: ['chat'] }] },
    });
    expect(chat.periods.map((p) => [p.period, p.cases, p.switches])).toEqual([['2024-01-01', 1, 2]]);
    const r = await trends(s.warehouse, UNRESTRICTED, { assistedChannels: ['chat'] });
    expect(r.periods[0]!.selfServiceShare).toBe(2 / 3);
  });

  it('rejects an unknown grain naming the field; an empty slice has no periods', async () => {
    await expect(trends(s.warehouse, UNRESTRICTED, { grain: 'day' as 'week' })).rejects.toMatchObject({
      code: 'bad_input',
      details: { field: 'grain' },
    });
    expect((await trends(s.warehouse, { journeys: ['none'] })).periods).toEqual([]);
  });
});
