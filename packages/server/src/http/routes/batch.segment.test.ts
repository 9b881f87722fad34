import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Analytics } from '@segment/analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../app-store/api-keys.ts';
import { systemClock } from '../../deps.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

/**
 * Wire compatibility: Segment's own Node library, pointed at CX Cockpit with its `host` option, over
 * real HTTP on 127.0.0.1. It posts to host + '/v1/batch' with the write key as the Basic user name.
 */
let stores: Stores;
let server: ServerType;
let host: string;

beforeAll(async () => {
  stores = await openStores('memory');
  const app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: systemClock,
    config: { maxBodyBytes: 5 * 1024 * 1024 },
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stores.close();
});

describe('@segment/analytics-node against CX Cockpit', () => {
  it('delivers identify and track messages that land unchanged', async () => {
    const { secret } = await createApiKey(stores.appStore, 'segment', new Date());
    const analytics = new Analytics({
      writeKey: secret,
      host,
      flushAt: 7,
      flushInterval: 200,
      maxRetries: 0,
    });
    const statuses: number[] = [];
    const errors: unknown[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.on('error', (e) => errors.push(e));

    const t = (iso: string) => new Date(iso);
    const sent = [
      {
        anonymousId: 'visitor-1',
        event: 'Viewed Tariffs',
        properties: { page: '/tariffs', channel: 'web' },
        timestamp: t('2024-05-02T09:00:00.123Z'),
      },
      {
        anonymousId: 'visitor-1',
        event: 'Started Checkout',
        properties: { cart: { items: 2, total: 49.9 }, tags: ['promo', 'ü-ß'], journey: 'purchase' },
        timestamp: t('2024-05-02T09:03:00Z'),
      },
      {
        userId: 'cust-7',
        event: 'Order Completed',
        properties: { value: 49.9, case_id: 'ORD-1' },
        timestamp: t('2024-05-02T09:10:00Z'),
      },
      { userId: 'cust-8', event: 'Called Support', properties: {}, timestamp: t('2024-05-03T15:00:00Z') },
    ];
    analytics.track(sent[0]!);
    analytics.track(sent[1]!);
    analytics.identify({
      userId: 'cust-7',
      anonymousId: 'visitor-1',
      traits: { segment: 'consumer', region: 'south', crm_id: 'CRM-7' },
    });
    analytics.track(sent[2]!);
    analytics.identify({ userId: 'cust-8', traits: { region: 'north' } });
    analytics.track(sent[3]!);
    // A retry of an already delivered message id is stored once.
    analytics.track({ ...sent[3]!, messageId: 'fixed-id' } as never);
    analytics.track({ ...sent[3]!, messageId: 'fixed-id' } as never);
    await analytics.closeAndFlush({ timeout: 10_000 });

    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const rows = await stores.warehouse.all<{
      activity: string;
      customer_id: string;
      ts: string;
      properties: string;
      source_system: string;
    }>(
      "select activity, customer_id, ts, properties, source_system from events where event_id <> 'fixed-id' order by ts",
    );
    expect(rows.map((r) => r.activity)).toEqual(sent.map((s) => s.event));
    expect(rows.map((r) => r.ts)).toEqual(sent.map((s) => s.timestamp.toISOString()));
    expect(rows.map((r) => JSON.parse(r.properties))).toEqual(sent.map((s) => s.properties));
    expect(rows.map((r) => r.customer_id)).toEqual(['cust-7', 'cust-7', 'cust-7', 'cust-8']);
    expect(new Set(rows.map((r) => r.source_system))).toEqual(new Set(['@segment/analytics-node']));
    expect(
      await stores.warehouse.all("select count(*) as n from events where event_id = 'fixed-id'"),
    ).toEqual([{ n: 1 }]);
    expect(
      await stores.warehouse.all('select customer_id, segment, region from customers order by 1'),
    ).toEqual([
      { customer_id: 'cust-7', segment: 'consumer', region: 'south' },
      { customer_id: 'cust-8', segment: null, region: 'north' },
    ]);
    expect(
      await stores.warehouse.all('select source, external_id, customer_id from identities order by all'),
    ).toEqual([
      { source: 'anonymous_id', external_id: 'visitor-1', customer_id: 'cust-7' },
      { source: 'crm', external_id: 'CRM-7', customer_id: 'cust-7' },
      { source: 'user_id', external_id: 'cust-7', customer_id: 'cust-7' },
      { source: 'user_id', external_id: 'cust-8', customer_id: 'cust-8' },
    ]);
  });

  it('gets a 401 for a wrong write key and stores nothing', async () => {
    const before = await stores.warehouse.all('select count(*) as n from events');
    const analytics = new Analytics({ writeKey: 'cxk_000000000000_wrong', host, flushAt: 1, maxRetries: 0 });
    const statuses: number[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    analytics.on('error', () => {});
    analytics.track({ userId: 'x', event: 'Nope' });
    await analytics.closeAndFlush({ timeout: 5_000 });
    expect(statuses).toEqual([401]);
    expect(await stores.warehouse.all('select count(*) as n from events')).toEqual(before);
  });
});
