import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { ingestBatch } from './batch/ingest.ts';
import { sessionCaseId } from './identity.ts';

let stores: Stores;
beforeEach(async () => {
  stores = await openStores('memory');
});
afterEach(() => stores.close());

const now = new Date('2024-06-01T12:00:00Z');
const send = (batch: unknown[]) => ingestBatch(stores.warehouse, batch, { now });
const all = (sql: string) => stores.warehouse.all(sql);

describe('identity resolution', () => {
  it('puts web, CRM and service-desk events of one person on one customer, re-keying earlier anonymous history', async () => {
    // 1. The web: an anonymous visitor browses and answers a survey.
    await send([
      {
        type: 'track',
        messageId: 'w1',
        anonymousId: 'web-1',
        event: 'Viewed Tariffs',
        timestamp: '2024-05-02T09:00:00Z',
      },
      {
        type: 'track',
        messageId: 'w2',
        anonymousId: 'web-1',
        event: 'Started Checkout',
        timestamp: '2024-05-02T09:05:00Z',
      },
      { type: 'feedback', messageId: 'w3', anonymousId: 'web-1', csat: 2, timestamp: '2024-05-02T09:06:00Z' },
    ]);
    expect(await all('select distinct customer_id, case_id from events')).toEqual([
      { customer_id: 'anon:web-1', case_id: 'anon:web-1/2024-05-02' },
    ]);
    expect(await all('select count(*) as n from customers')).toEqual([{ n: 0 }]); // visitors are not customers yet

    // 2. The CRM knows the customer by its own id and a CRM number.
    await send([
      {
        type: 'identify',
        messageId: 'c1',
        userId: 'cust-42',
        traits: { crm_id: 'CRM-42', segment: 'consumer', region: 'north', plan: 'L' },
      },
      {
        type: 'track',
        messageId: 'c2',
        userId: 'cust-42',
        event: 'Contract Signed',
        timestamp: '2024-05-03T10:00:00Z',
        properties: { source_system: 'crm' },
      },
    ]);
    // 3. The visitor logs in on the web: the anonymous id is linked, and its history moves with it.
    const login = await send([
      { type: 'identify', messageId: 'l1', userId: 'cust-42', anonymousId: 'web-1' },
    ]);
    expect(login.results).toEqual([{ messageId: 'l1', status: 'accepted' }]);
    // 4. The service desk knows only its ticket-system id, linked once through the CRM number.
    await send([
      {
        type: 'identify',
        messageId: 's1',
        traits: { service_desk_id: 'SD-7', crm_id: 'CRM-42' },
        context: { library: { name: 'desk' } },
      },
      {
        type: 'track',
        messageId: 's2',
        event: 'Ticket Opened',
        timestamp: '2024-05-04T08:00:00Z',
        context: { externalIds: [{ id: 'SD-7', type: 'service_desk' }] },
      },
      { type: 'feedback', messageId: 's3', nps: 4, context: { traits: { service_desk_id: 'SD-7' } } },
    ]);

    expect(await all('select event_id, customer_id, case_id from events order by event_id')).toEqual([
      { event_id: 'c2', customer_id: 'cust-42', case_id: 'cust-42/2024-05-03' },
      { event_id: 's2', customer_id: 'cust-42', case_id: 'cust-42/2024-05-04' },
      { event_id: 'w1', customer_id: 'cust-42', case_id: 'cust-42/2024-05-02' },
      { event_id: 'w2', customer_id: 'cust-42', case_id: 'cust-42/2024-05-02' },
    ]);
    expect(await all('select response_id, customer_id from feedback order by response_id')).toEqual([
      { response_id: 's3', customer_id: 'cust-42' },
      { response_id: 'w3', customer_id: 'cust-42' },
    ]);
    expect(
      await all('select source, external_id, customer_id from identities order by source, external_id'),
    ).toEqual([
      { source: 'anonymous_id', external_id: 'web-1', customer_id: 'cust-42' },
      { source: 'crm', external_id: 'CRM-42', customer_id: 'cust-42' },
      { source: 'service_desk', external_id: 'SD-7', customer_id: 'cust-42' },
      { source: 'user_id', external_id: 'cust-42', customer_id: 'cust-42' },
    ]);
    expect(await all('select customer_id, segment, region, attributes from customers')).toEqual([
      { customer_id: 'cust-42', segment: 'consumer', region: 'north', attributes: '{"plan":"L"}' },
    ]);
  });

  it('resolves inside one batch in message order, both ways round', async () => {
    await send([
      { type: 'track', messageId: 'a', anonymousId: 'x', event: 'Visit', timestamp: '2024-05-02T09:00:00Z' },
      { type: 'identify', messageId: 'b', anonymousId: 'x', userId: 'u1' },
      {
        type: 'track',
        messageId: 'c',
        anonymousId: 'x',
        event: 'Visit again',
        timestamp: '2024-05-02T10:00:00Z',
      },
    ]);
    expect(await all('select event_id, customer_id, case_id from events order by event_id')).toEqual([
      { event_id: 'a', customer_id: 'u1', case_id: 'u1/2024-05-02' },
      { event_id: 'c', customer_id: 'u1', case_id: 'u1/2024-05-02' },
    ]);
  });

  it('never merges two identified customers: the message is rejected with both ids named', async () => {
    await send([
      { type: 'identify', messageId: 'i1', userId: 'u-A', traits: { crm_id: 'CRM-A' } },
      { type: 'identify', messageId: 'i2', userId: 'u-B', traits: { crm_id: 'CRM-B' } },
    ]);
    const before = await all('select * exclude (load_id) from identities order by all');
    const r = await send([{ type: 'identify', messageId: 'i3', userId: 'u-A', traits: { crm_id: 'CRM-B' } }]);
    expect(r.results).toEqual([
      {
        messageId: 'i3',
        status: 'rejected',
        reason:
          'userId: ids belong to different customers (user_id u-A → customer u-A; crm CRM-B → customer u-B); identified customers are never merged',
      },
    ]);
    expect(await all('select * exclude (load_id) from identities order by all')).toEqual(before);
  });

  it('keeps a shared device’s history with its first identified customer', async () => {
    await send([
      {
        type: 'track',
        messageId: 't1',
        anonymousId: 'tablet',
        event: 'Visit',
        timestamp: '2024-05-02T09:00:00Z',
      },
      { type: 'identify', messageId: 'i1', userId: 'u-A', anonymousId: 'tablet' },
    ]);
    await send([{ type: 'identify', messageId: 'i2', userId: 'u-B', anonymousId: 'tablet' }]);
    await send([
      {
        type: 'track',
        messageId: 't2',
        anonymousId: 'tablet',
        event: 'Visit',
        timestamp: '2024-05-03T09:00:00Z',
      },
    ]);
    expect(await all('select event_id, customer_id from events order by event_id')).toEqual([
      { event_id: 't1', customer_id: 'u-A' },
      { event_id: 't2', customer_id: 'u-A' },
    ]);
    expect(await all("select customer_id from identities where source = 'user_id' order by 1")).toEqual([
      { customer_id: 'u-A' },
      { customer_id: 'u-B' },
    ]);
  });

  it('counts an identify that brings nothing new as a duplicate, and lets later traits win', async () => {
    await send([
      { type: 'identify', messageId: 'i1', userId: 'u1', traits: { segment: 'consumer', tier: 1 } },
    ]);
    const same = await send([
      { type: 'identify', messageId: 'i2', userId: 'u1', traits: { segment: 'consumer' } },
    ]);
    expect(same.results[0]).toMatchObject({ status: 'duplicate' });
    const changed = await send([
      {
        type: 'identify',
        messageId: 'i3',
        userId: 'u1',
        traits: { segment: 'business', createdAt: '2020-01-01T00:00:00Z' },
      },
    ]);
    expect(changed.results[0]).toMatchObject({ status: 'accepted' });
    expect(await all('select customer_id, segment, created_at, attributes from customers')).toEqual([
      {
        customer_id: 'u1',
        segment: 'business',
        created_at: '2020-01-01T00:00:00.000Z',
        attributes: '{"tier":1}',
      },
    ]);
    const bad = await send([
      { type: 'identify', messageId: 'i4', userId: 'u1', traits: { created_at: 'soon' } },
    ]);
    expect(bad.results[0]).toEqual({
      messageId: 'i4',
      status: 'rejected',
      reason: 'traits.created_at: "soon" is not a date-time',
    });
  });
});

describe('identity look-up', () => {
  it('reads a customer id holding the answer separator (U+001F) correctly', async () => {
    await stores.warehouse.run(
      "insert into identities (source, external_id, customer_id, source_system) values ('user_id', 'u9', 'odd' || chr(31) || 'id', 'crm')",
    );
    await send([
      { type: 'track', messageId: 't1', userId: 'u9', event: 'E', timestamp: '2024-05-01T10:00:00Z' },
      { type: 'track', messageId: 't2', userId: 'u8', event: 'E', timestamp: '2024-05-01T10:00:00Z' },
    ]);
    expect(await all('select event_id, customer_id from events order by 1')).toEqual([
      { event_id: 't1', customer_id: 'odd\u001fid' },
      { event_id: 't2', customer_id: 'u8' },
    ]);
  });
});

describe('sessionCaseId', () => {
  it("is the customer's UTC day, also across day changes and before 1970 (the day text is cached)", () => {
    const at = (iso: string) => sessionCaseId('c1', Date.parse(iso));
    expect(at('2024-01-01T23:59:59.999Z')).toBe('c1/2024-01-01');
    expect(at('2024-01-02T00:00:00Z')).toBe('c1/2024-01-02');
    expect(at('2024-01-01T00:00:00+01:00')).toBe('c1/2023-12-31');
    expect(at('1969-12-31T12:00:00Z')).toBe('c1/1969-12-31');
    expect(sessionCaseId('c2', Date.parse('1969-12-31T23:00:00Z'))).toBe('c2/1969-12-31');
  });
});
