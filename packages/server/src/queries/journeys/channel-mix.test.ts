import { AppError, ChannelMixResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { channelMix } from './channel-mix.ts';
import { appendLog } from './journey-test-log.ts';

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, [
    // web, web, call, (no channel), web: two switches — an event without a channel does not break the run
    ['m1', 'u1', 0, 'A', 'web'],
    ['m1', 'u1', 1, 'B', 'web'],
    ['m1', 'u1', 2, 'C', 'call_centre'],
    ['m1', 'u1', 3, 'D', null],
    ['m1', 'u1', 4, 'E', 'web'],
    ['m2', 'u2', 0, 'A', 'app'],
    ['m2', 'u2', 1, 'B', 'app'],
    ['m3', 'u3', 0, 'A', 'chat'],
    // a tie: call before web in file order, so call → web
    ['m4', 'u4', 10, 'C', 'call_centre'],
    ['m4', 'u4', 10, 'A', 'web'],
    ['m4', 'u4', 20, 'B', 'web'],
    ['m5', 'u5', 0, 'A', null],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('channel mix', () => {
  it('events and cases per channel, switches and their pairs', async () => {
    const r = ChannelMixResultSchema.parse(await channelMix(s.warehouse, UNRESTRICTED));
    expect(r).toEqual({
      events: 12,
      cases: 5,
      switches: 3,
      casesWithSwitch: 2,
      switchShare: 0.4,
      channels: [
        { channel: 'web', events: 5, eventShare: 5 / 12, cases: 2, caseShare: 0.4 },
        { channel: 'app', events: 2, eventShare: 2 / 12, cases: 1, caseShare: 0.2 },
        { channel: 'call_centre', events: 2, eventShare: 2 / 12, cases: 2, caseShare: 0.4 },
        { channel: null, events: 2, eventShare: 2 / 12, cases: 2, caseShare: 0.4 },
        { channel: 'chat', events: 1, eventShare: 1 / 12, cases: 1, caseShare: 0.2 },
      ],
      switchPairs: [
        { from: 'call_centre', to: 'web', count: 2 },
        { from: 'web', to: 'call_centre', count: 1 },
      ],
      casesByChannelCount: [
        { channels: 0, cases: 1 },
        { channels: 1, cases: 2 },
        { channels: 2, cases: 2 },
      ],
    });
  });

  it('limits the pairs and honours the filter', async () => {
    expect((await channelMix(s.warehouse, UNRESTRICTED, { topSwitches: 1 })).switchPairs).toEqual([
      { from: 'call_centre', to: 'web', count: 2 },
    ]);
    const r = await channelMix(s.warehouse, UNRESTRICTED, {
      filter: { attributes: [{ field: 'channel', values: ['call_centre'], level: 'event', exclude: true }] },
    });
    expect([r.events, r.switches, r.casesWithSwitch, r.switchPairs]).toEqual([10, 0, 0, []]);
  });

  it('rejects bad options naming the field', async () => {
    await expect(channelMix(s.warehouse, UNRESTRICTED, { topSwitches: 0 })).rejects.toMatchObject({
      code: 'bad_input',
      details: { field: 'topSwitches' },
    });
    await expect(channelMix(s.warehouse, UNRESTRICTED, { topSwitches: 0 })).rejects.toBeInstanceOf(AppError);
  });
});
