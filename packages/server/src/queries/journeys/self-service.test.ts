import { DEFAULT_ASSISTED_CHANNELS, SelfServiceResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { appendLog } from './journey-test-log.ts';
import { selfService } from './self-service.ts';

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, [
    ['s1', 'u1', 0, 'Log in', 'web', 'billing'],
    ['s1', 'u1', 5, 'View bill', 'app', 'billing'],
    ['s2', 'u1', 10, 'View bill', 'web', 'billing'],
    ['s2', 'u1', 15, 'Call hotline', 'call_centre', 'billing'],
    ['s3', 'u2', 0, 'Start chat', 'chat', 'billing'],
    ['s4', 'u3', 0, 'Welcome mail', 'email', 'onboarding'],
    ['s4', 'u3', 30, 'Activate', 'web', 'onboarding'],
    ['s5', 'u4', 0, 'Shop visit', 'shop', 'onboarding'],
    ['s6', 'u5', 0, 'Browse', 'web', null],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('self-service rate', () => {
  it('defaults to the demo assisted channels', () => {
    expect([...DEFAULT_ASSISTED_CHANNELS]).toEqual(['call_centre', 'shop', 'chat']);
  });

  it('share of cases without an assisted event, per journey', async () => {
    const r = SelfServiceResultSchema.parse(await selfService(s.warehouse, UNRESTRICTED));
    expect(r).toEqual({
      assistedChannels: ['call_centre', 'shop', 'chat'],
      cases: 6,
      selfServiceCases: 3,
      selfServiceShare: 0.5,
      byJourney: [
        { journey: 'billing', cases: 3, selfServiceCases: 1, selfServiceShare: 1 / 3 },
        { journey: 'onboarding', cases: 2, selfServiceCases: 1, selfServiceShare: 0.5 },
        { journey: null, cases: 1, selfServiceCases: 1, selfServiceShare: 1 },
      ],
    });
  });

  it('takes the assisted channels as a parameter', async () => {
    const r = await selfService(s.warehouse, UNRESTRICTED, { assistedChannels: ['call_centre'] });
    expect([r.cases, r.selfServiceCases]).toEqual([6, 5]);
  });

  it('counts cases of the case notion: u1’s two cases are one session', async () => {
    const r = await selfService(s.warehouse, UNRESTRICTED, {
      caseNotion: { kind: 'session', gapMinutes: 60 },
    });
    expect([r.cases, r.selfServiceCases]).toEqual([5, 2]);
  });

  it('rejects an empty channel list naming the field', async () => {
    await expect(selfService(s.warehouse, UNRESTRICTED, { assistedChannels: [] })).rejects.toMatchObject({
      code: 'bad_input',
      details: { field: 'assistedChannels' },
    });
  });

  it('an empty slice gives a null share', async () => {
    expect(await selfService(s.warehouse, { journeys: ['none'] })).toMatchObject({
      cases: 0,
      selfServiceCases: 0,
      selfServiceShare: null,
      byJourney: [],
    });
  });
});
