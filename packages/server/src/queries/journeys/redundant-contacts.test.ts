import { RedundantContactsResultSchema, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { appendLog } from './journey-test-log.ts';
import { redundantContacts } from './redundant-contacts.ts';

const h = (hours: number) => hours * 60;

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, [
    // k1 billing: call, chat 10 h later (redundant), call 190 h after that (outside 168 h); web is not assisted
    ['a1', 'k1', h(0), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    ['a1', 'k1', h(1), 'View bill', 'web', 'billing', 'portal'],
    ['a1', 'k1', h(10), 'Start chat', 'chat', 'billing', 'chat'],
    ['a3', 'k1', h(200), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    // k1 tech support: another topic
    ['a2', 'k1', h(5), 'Call hotline', 'call_centre', 'tech_support', 'hotline'],
    // k2: two shop contacts (two cases) at the same instant
    ['b1', 'k2', h(0), 'Shop visit', 'shop', 'billing', 'store'],
    ['b2', 'k2', h(0), 'Shop visit', 'shop', 'billing', 'store'],
    // k6: one call of two events, then web, then a second call 2 h later (redundant)
    ['f1', 'k6', h(0), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    ['f1', 'k6', h(0.5), 'Agent explains bill', 'call_centre', 'billing', 'hotline'],
    ['f1', 'k6', h(1), 'View bill', 'web', 'billing', 'portal'],
    ['f1', 'k6', h(2), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    // k3: exactly 168 h apart (window inclusive); k5: 169 h apart
    ['c1', 'k3', h(0), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    ['c2', 'k3', h(168), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    ['d1', 'k5', h(0), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    ['d2', 'k5', h(169), 'Call hotline', 'call_centre', 'billing', 'hotline'],
    // k4: no topic, left out
    ['e1', 'k4', h(0), 'Call hotline', 'call_centre', null, null],
    ['e1', 'k4', h(1), 'Call hotline', 'call_centre', null, null],
  ]);
});
afterAll(async () => {
  await s.close();
});

describe('redundant contacts', () => {
  it('same customer, same journey, within 168 h by default', async () => {
    const r = RedundantContactsResultSchema.parse(await redundantContacts(s.warehouse, UNRESTRICTED));
    expect(r).toEqual({
      windowHours: 168,
      topic: 'journey',
      assistedChannels: ['call_centre', 'shop', 'chat'],
      contacts: 12,
      redundantContacts: 4,
      redundantShare: 1 / 3,
      customers: 5,
      customersWithRedundant: 4,
      customerShare: 0.8,
      byTopic: [
        {
          topic: 'billing',
          contacts: 11,
          redundantContacts: 4,
          redundantShare: 4 / 11,
          customersWithRedundant: 4,
        },
        {
          topic: 'tech_support',
          contacts: 1,
          redundantContacts: 0,
          redundantShare: 0,
          customersWithRedundant: 0,
        },
      ],
    });
  });

  it('a shorter window', async () => {
    const r = await redundantContacts(s.warehouse, UNRESTRICTED, { windowHours: 24 });
    expect([r.redundantContacts, r.customersWithRedundant]).toEqual([3, 3]);
  });

  it('topic = touchpoint groups across journeys', async () => {
    const r = await redundantContacts(s.warehouse, UNRESTRICTED, { topic: 'touchpoint' });
    // k1: hotline at 0 h and 5 h (other journey) → redundant; chat alone; hotline at 200 h is 195 h after.
    expect(r.byTopic).toEqual([
      {
        topic: 'hotline',
        contacts: 9,
        redundantContacts: 3,
        redundantShare: 3 / 9,
        customersWithRedundant: 3,
      },
      { topic: 'store', contacts: 2, redundantContacts: 1, redundantShare: 0.5, customersWithRedundant: 1 },
      { topic: 'chat', contacts: 1, redundantContacts: 0, redundantShare: 0, customersWithRedundant: 0 },
    ]);
  });

  it('honours the filter and rejects bad options', async () => {
    const r = await redundantContacts(s.warehouse, UNRESTRICTED, {
      filter: { attributes: [{ field: 'channel', values: ['chat'], level: 'event', exclude: true }] },
    });
    // Without the chat, k1's billing calls are 200 h apart.
    expect([r.contacts, r.redundantContacts]).toEqual([11, 3]);
    await expect(redundantContacts(s.warehouse, UNRESTRICTED, { windowHours: -1 })).rejects.toMatchObject({
      code: 'bad_input',
      details: { field: 'windowHours' },
    });
  });
});
