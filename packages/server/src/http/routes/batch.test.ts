import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../app-store/api-keys.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;
let key: string;
const clock = { now: () => new Date('2024-05-01T10:00:00Z') };
const LIMIT = 64 * 1024;
const TS_HINT = 'expected an ISO 8601 date-time with Z or an offset, e.g. 2024-05-01T10:00:00Z';

beforeAll(async () => {
  stores = await openStores('memory');
  app = createApp({ ...stores, logger: silentLogger(), clock, config: { maxBodyBytes: LIMIT } });
  key = (await createApiKey(stores.appStore, 'test', clock.now())).secret;
});
afterAll(() => stores.close());
beforeEach(async () => {
  for (const t of ['events', 'feedback', 'customers', 'identities', 'loads', 'dead_letters'])
    await stores.warehouse.run(`delete from ${t}`);
});

const basic = (k: string) => `Basic ${Buffer.from(`${k}:`).toString('base64')}`;
function post(body: unknown, headers: Record<string, string> = {}, path = '/v1/batch') {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(key), ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
  });
}
async function counts() {
  const out: Record<string, number> = {};
  for (const t of ['events', 'feedback', 'customers', 'identities', 'loads', 'dead_letters']) {
    const [r] = await stores.warehouse.all<{ n: number }>(`select count(*) as n from ${t}`);
    out[t] = r!.n;
  }
  return out;
}
const track = (messageId: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  messageId,
  userId: 'u1',
  event: 'Order Completed',
  timestamp: '2024-04-30T08:00:00.000Z',
  ...extra,
});

describe('POST /v1/batch', () => {
  it('maps a track message onto one events row', async () => {
    const res = await post({
      batch: [
        track('e1', {
          properties: {
            case_id: 'C-9',
            journey: 'purchase',
            channel: 'web',
            touchpoint: 'checkout',
            resource: 'shop',
            value: 42.5,
            coupon: 'X',
          },
          context: { library: { name: 'web-sdk' } },
        }),
        track('e2', { timestamp: '2024-04-30T23:30:00+02:00' }),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 });
    const rows = await stores.warehouse.all(
      'select event_id, customer_id, case_id, ts, activity, journey, touchpoint, channel, resource, value, source_system, properties from events order by event_id',
    );
    expect(rows).toEqual([
      {
        event_id: 'e1',
        customer_id: 'u1',
        case_id: 'C-9',
        ts: '2024-04-30T08:00:00.000Z',
        activity: 'Order Completed',
        journey: 'purchase',
        touchpoint: 'checkout',
        channel: 'web',
        resource: 'shop',
        value: 42.5,
        source_system: 'web-sdk',
        properties: JSON.stringify({
          case_id: 'C-9',
          journey: 'purchase',
          channel: 'web',
          touchpoint: 'checkout',
          resource: 'shop',
          value: 42.5,
          coupon: 'X',
        }),
      },
      {
        // No case id given: the customer's UTC day is the session (23:30+02:00 is 21:30 UTC).
        event_id: 'e2',
        customer_id: 'u1',
        case_id: 'u1/2024-04-30',
        ts: '2024-04-30T21:30:00.000Z',
        activity: 'Order Completed',
        journey: null,
        touchpoint: null,
        channel: null,
        resource: null,
        value: null,
        source_system: 'api',
        properties: null,
      },
    ]);
    const [load] = await stores.warehouse.all(
      'select kind, source, rows_read, rows_stored, status from loads',
    );
    expect(load).toEqual({ kind: 'batch', source: 'api', rows_read: 2, rows_stored: 2, status: 'done' });
  });

  it('reports accepted, duplicate and rejected per message; a bad message never blocks the good ones', async () => {
    const res = await post({
      batch: [
        track('a'),
        track('a'),
        { type: 'track', userId: 'u1', event: 'x', timestamp: '2024-04-30T08:00:00Z' },
        track('no-event', { event: undefined }),
        track('no-ids', { userId: undefined }),
        track('bad-ts', { timestamp: 'yesterday' }),
        track('impossible-ts', { timestamp: '2024-02-30T10:00:00Z' }),
        { type: 'feedback', messageId: 'f-bad', userId: 'u1', csat: 6 },
        {
          type: 'feedback',
          messageId: 'f-ok',
          userId: 'u1',
          nps: 10,
          csat: 5,
          ces: 7,
          elements: { ease: 4 },
          themes: ['speed'],
        },
        { type: 'screen', messageId: 's' },
        'not an object',
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      results: { messageId: string | null; status: string; reason?: string }[];
    };
    expect(body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 8 });
    expect(body.results).toEqual([
      { messageId: 'a', status: 'accepted' },
      { messageId: 'a', status: 'duplicate', reason: 'messageId repeated in this batch' },
      { messageId: null, status: 'rejected', reason: 'messageId: required' },
      { messageId: 'no-event', status: 'rejected', reason: 'event: required' },
      { messageId: 'no-ids', status: 'rejected', reason: 'userId: userId or anonymousId is required' },
      { messageId: 'bad-ts', status: 'rejected', reason: `timestamp: ${TS_HINT}` },
      { messageId: 'impossible-ts', status: 'rejected', reason: `timestamp: ${TS_HINT}` },
      { messageId: 'f-bad', status: 'rejected', reason: expect.stringMatching(/^csat: .*5/) },
      { messageId: 'f-ok', status: 'accepted' },
      {
        messageId: 's',
        status: 'rejected',
        reason: 'type: "screen" is not supported; use one of track, identify, feedback',
      },
      { messageId: null, status: 'rejected', reason: 'message: expected a JSON object' },
    ]);
    expect(await counts()).toMatchObject({ events: 1, feedback: 1, dead_letters: 8, loads: 1 });
    expect(await stores.warehouse.all('select nps, csat, ces, elements, themes from feedback')).toEqual([
      { nps: 10, csat: 5, ces: 7, elements: '{"ease":4}', themes: ['speed'] },
    ]);
    expect(await stores.warehouse.all("select line, field from dead_letters where field = 'csat'")).toEqual([
      { line: 7, field: 'csat' },
    ]);
  });

  it('stores nothing twice when the same batch is retried', async () => {
    const batch = [
      track('r1'),
      track('r2', { anonymousId: 'anon-7' }),
      { type: 'identify', messageId: 'r3', userId: 'u1', traits: { segment: 'consumer' } },
      { type: 'feedback', messageId: 'r4', userId: 'u1', nps: 3 },
    ];
    const first = await post({ batch });
    expect(await first.json()).toMatchObject({ accepted: 4, duplicates: 0 });
    const before = await counts();
    const retry = await post({ batch });
    expect(retry.status).toBe(200);
    const body = (await retry.json()) as {
      accepted: number;
      duplicates: number;
      results: { status: string }[];
    };
    expect(body.accepted).toBe(0);
    expect(body.duplicates).toBe(4);
    expect(body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await counts()).toEqual({ ...before, loads: before.loads! + 1 });
  });

  it('refuses a wrong, revoked or missing API key with 401 and leaves the store unchanged', async () => {
    const before = await counts();
    const batch = { batch: [track('k1')] };
    const wrong = await post(batch, { authorization: basic('cxk_000000000000_nope') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringContaining('Invalid') },
    });
    expect((await post(batch, { authorization: '' })).status).toBe(401);
    expect((await post({ ...batch, writeKey: 'wrong' }, { authorization: '' })).status).toBe(401);
    const revoked = await createApiKey(stores.appStore, 'old', clock.now());
    await revokeApiKey(stores.appStore, revoked.keyId, clock.now());
    expect((await post(batch, { authorization: `Bearer ${revoked.secret}` })).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it('takes the key as Basic user, Bearer token or writeKey in the body', async () => {
    expect((await post({ batch: [track('b1')] }, { authorization: basic(key) })).status).toBe(200);
    expect((await post({ batch: [track('b2')] }, { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await post({ batch: [track('b3')], writeKey: key }, { authorization: '' })).status).toBe(200);
    expect((await counts()).events).toBe(3);
  });

  it('refuses an oversize body with 413 and leaves the store unchanged', async () => {
    const before = await counts();
    const big = { batch: Array.from({ length: 2000 }, (_, i) => track(`big-${i}`)) };
    const res = await post(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: 'payload_too_large', details: { limit: LIMIT } },
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses a gzip bomb with 413 without storing anything', async () => {
    const before = await counts();
    // 64 MiB of zeros compress to ~64 KiB… so use 16 MiB (16 KiB gzipped), under the raw limit.
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await post(bomb, { 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      error: { code: 'payload_too_large', message: expect.stringContaining('after gzip decoding') },
    });
    expect(await counts()).toEqual(before);
  });

  it('accepts a gzip-encoded body', async () => {
    const res = await post(gzipSync(JSON.stringify({ batch: [track('g1'), track('g2')] })), {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    expect((await counts()).events).toBe(2);
  });

  it('answers malformed bodies with 400 or 415 naming the problem', async () => {
    const before = await counts();
    const bad = await post('{"batch": [', {});
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: {
        code: 'bad_input',
        message: expect.stringMatching(/^The body is not valid JSON: /),
        details: { field: 'body' },
      },
    });
    const noBatch = await post({ messages: [] });
    expect(noBatch.status).toBe(400);
    expect(await noBatch.json()).toMatchObject({ error: { code: 'bad_input', details: { field: 'batch' } } });
    const notGzip = await post('plain', { 'content-encoding': 'gzip' });
    expect(notGzip.status).toBe(400);
    expect(await notGzip.json()).toMatchObject({
      error: { message: expect.stringContaining('not valid gzip') },
    });
    expect((await post('{}', { 'content-encoding': 'br' })).status).toBe(415);
    expect(await counts()).toEqual(before);
  });

  it('takes single messages on /v1/track, /v1/identify and /v1/feedback', async () => {
    const t = await post(
      { messageId: 's1', userId: 'u9', event: 'Called', properties: { channel: 'call_centre' } },
      {},
      '/v1/track',
    );
    expect(await t.json()).toMatchObject({ accepted: 1, results: [{ messageId: 's1', status: 'accepted' }] });
    const i = await post({ messageId: 's2', userId: 'u9', traits: { region: 'north' } }, {}, '/v1/identify');
    expect(await i.json()).toMatchObject({ accepted: 1 });
    const f = await post({ messageId: 's3', userId: 'u9', survey_id: 'nps-q2', nps: 7 }, {}, '/v1/feedback');
    expect(await f.json()).toMatchObject({ accepted: 1 });
    const wrongType = await post({ type: 'identify', messageId: 's4', userId: 'u9' }, {}, '/v1/track');
    expect(await wrongType.json()).toMatchObject({
      rejected: 1,
      results: [{ reason: 'type: this endpoint takes track messages, got "identify"' }],
    });
    expect(await stores.warehouse.all('select customer_id, region from customers')).toEqual([
      { customer_id: 'u9', region: 'north' },
    ]);
    expect(
      await stores.warehouse.all('select response_id, customer_id, survey_id, nps from feedback'),
    ).toEqual([{ response_id: 's3', customer_id: 'u9', survey_id: 'nps-q2', nps: 7 }]);
  });

  it('documents the ingestion routes in the OpenAPI document', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.paths['/v1/batch']?.post).toMatchObject({ security: [{ basicAuth: [] }, { bearerAuth: [] }] });
    expect(JSON.stringify(doc.paths['/v1/batch'])).toContain('feedback');
    expect(doc.paths['/v1/track']?.post).toBeDefined();
  });
});
