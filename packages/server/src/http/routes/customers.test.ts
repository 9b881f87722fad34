import {
  type CustomerFileResponse,
  CustomerFileResponseSchema,
  type CustomerSearch,
  CustomerSummarySchema,
} from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { createLlmClient } from '../../llm/client.ts';
import { type FakeLlm, startFakeLlm } from '../../llm/fake-server.ts';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { createApp } from '../app.ts';

/**
 * Customer 360 over a small demo company plus one hand-made customer who carries personal data
 * (name and e-mail in attributes, e-mail, phone and name in a comment) for the LLM redaction test.
 */
let stores: Stores;
let app: ReturnType<typeof createApp>;
let llm: FakeLlm;
const KEY = 'sk-test-123';
const PII_ID = 'C9999999';

async function insertPiiCustomer(s: Stores) {
  const wh = s.warehouse;
  await wh.append(
    'customers',
    ['customer_id', 'created_at', 'segment', 'region', 'attributes', 'source_system', 'load_id'],
    [
      [
        PII_ID,
        Date.parse('2018-02-01T00:00:00Z'),
        'premium',
        'west',
        { full_name: 'Greta Lindqvist', email: 'greta.l@example.org', products_at_start: ['mobile'] },
        'test',
        'test',
      ],
    ],
  );
  await wh.append(
    'identities',
    ['source', 'external_id', 'customer_id', 'source_system', 'load_id'],
    [
      ['crm', 'CRM-PII-001', PII_ID, 'test', 'test'],
      ['billing', 'BIL-PII-777', PII_ID, 'test', 'test'],
    ],
  );
  const t0 = Date.parse('2026-06-01T09:00:00Z');
  await wh.append(
    'events',
    [
      'event_id',
      'customer_id',
      'case_id',
      'ts',
      'activity',
      'journey',
      'channel',
      'value',
      'properties',
      'load_id',
    ],
    [
      [
        'pe1',
        PII_ID,
        'PII-CASE-1',
        t0,
        'Call hotline',
        'billing_question',
        'call_centre',
        400,
        { wait_seconds: 400 },
        'test',
      ],
      [
        'pe2',
        PII_ID,
        'PII-CASE-1',
        t0 + 600_000,
        'Agent explains bill',
        'billing_question',
        'call_centre',
        null,
        null,
        'test',
      ],
      [
        'pe3',
        PII_ID,
        'PII-CASE-1',
        t0 + 700_000,
        'Question resolved',
        'billing_question',
        'back_office',
        null,
        null,
        'test',
      ],
    ],
  );
  await wh.append(
    'feedback',
    [
      'response_id',
      'customer_id',
      'case_id',
      'ts',
      'survey_id',
      'journey',
      'nps',
      'comment',
      'language',
      'themes',
      'load_id',
    ],
    [
      [
        'PII-R1',
        PII_ID,
        'PII-CASE-1',
        Date.parse('2026-06-02T09:00:00Z'),
        'tx_billing_question',
        'billing_question',
        2,
        'Waited almost 7 minutes and the bill is still wrong. My name is Greta Lindqvist, mail me at greta.l@example.org or ring 0171 2345678. Account BIL-PII-777.',
        'en',
        ['billing'],
        'test',
      ],
    ],
  );
}

beforeAll(async () => {
  stores = await openStores('memory');
  await seedDemo(stores.warehouse, { customers: 2000, seed: 42 });
  await insertPiiCustomer(stores);
  llm = await startFakeLlm({
    apiKey: KEY,
    reply: 'A premium customer with a billing problem; call back today.',
  });
  app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date('2026-11-23T00:00:00Z') },
    config: { maxBodyBytes: 1024 * 1024 },
    llm: createLlmClient({ url: llm.url, apiKey: KEY, model: 'fake-model', timeoutMs: 500 }),
  });
}, 60_000);
afterAll(async () => {
  await llm?.close();
  await stores?.close();
});

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as T };
}
async function post<T>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const one = async <T>(sql: string, params: (string | number)[] = []) =>
  (await stores.warehouse.all<T>(sql, params))[0]!;

describe('GET /api/customers (search)', () => {
  it('finds a customer by id, by any external id and by prefix, exact match first', async () => {
    const byId = await get<CustomerSearch>('/api/customers?q=c0000042');
    expect(byId.status).toBe(200);
    expect(byId.body.customers[0]).toMatchObject({ customerId: 'C0000042', matchedBy: null });

    const ident = await one<{ source: string; external_id: string; customer_id: string }>(
      "select source, external_id, customer_id from identities where source = 'billing' order by external_id limit 1 offset 7",
    );
    const byExt = await get<CustomerSearch>(`/api/customers?q=${encodeURIComponent(ident.external_id)}`);
    expect(byExt.body.customers[0]).toMatchObject({
      customerId: ident.customer_id,
      matchedBy: `${ident.source}: ${ident.external_id}`,
    });

    // A prefix: every customer id starting C00001 (C0000100 … C0000199), paginated.
    const page1 = await get<CustomerSearch>('/api/customers?q=C00001&limit=40');
    expect(page1.body.total).toBe(100);
    expect(page1.body.customers).toHaveLength(40);
    expect(page1.body.customers[0]!.customerId).toBe('C0000100');
    const page3 = await get<CustomerSearch>('/api/customers?q=C00001&limit=40&offset=80');
    expect(page3.body.customers.map((c) => c.customerId).at(-1)).toBe('C0000199');
    expect(page3.body.customers).toHaveLength(20);
    // The user's wildcards match literally.
    for (const q of ['C00001%', '_0000042', '%']) {
      expect((await get<CustomerSearch>(`/api/customers?q=${encodeURIComponent(q)}`)).body.total, q).toBe(0);
    }
    const past = await get<CustomerSearch>('/api/customers?q=C00001&limit=40&offset=400');
    expect(past.body).toMatchObject({ total: 100, customers: [] });
  });

  it('filters by segment and region and applies the data scope in the database', async () => {
    const expected = await one<{ n: number }>(
      "select count(*)::int as n from customers where segment = 'business' and region = 'north'",
    );
    const r = await get<CustomerSearch>('/api/customers?segment=business&region=north&limit=5');
    expect(r.body.total).toBe(expected.n);
    expect(r.body.customers.every((c) => c.segment === 'business' && c.region === 'north')).toBe(true);
    // The latest month's products and revenue, as in outcomes.
    const c = r.body.customers[0]!;
    const latest = await one<{ products: number; revenue: number }>(
      'select products, round(revenue, 2) as revenue from outcomes where customer_id = ? order by period desc limit 1',
      [c.customerId],
    );
    expect(c).toMatchObject({ products: latest.products, revenue: latest.revenue });
    // The scope (regions=) is a restriction: the region filter cannot reach past it.
    const south = await one<{ n: number }>(
      "select count(*)::int as n from customers where segment = 'business' and region = 'south'",
    );
    expect((await get<CustomerSearch>('/api/customers?segment=business&regions=south')).body.total).toBe(
      south.n,
    );
    expect((await get<CustomerSearch>('/api/customers?region=north&regions=south')).body.total).toBe(0);
  });

  it('refuses a bad page size naming the field', async () => {
    const r = await get<{ error: { code: string; message: string } }>('/api/customers?limit=0');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/^limit/);
  });
});

describe('GET /api/customers/:id (the file)', () => {
  it('has the customer, identities, every event, response and month of the store', async () => {
    const busy = await one<{ customer_id: string }>(
      `select customer_id from feedback where comment is not null group by 1 order by count(*) desc, 1 limit 1`,
    );
    const id = busy.customer_id;
    const { status, body } = await get<CustomerFileResponse>(`/api/customers/${id}`);
    expect(status).toBe(200);
    const f = CustomerFileResponseSchema.parse(body);
    const counts = await one<{
      ev: number;
      cases: number;
      fb: number;
      months: number;
      ids: number;
      wait: number;
    }>(
      `select (select count(*) from events where customer_id = $1)::int as ev,
              (select count(distinct case_id) from events where customer_id = $1)::int as cases,
              (select count(*) from feedback where customer_id = $1)::int as fb,
              (select count(*) from outcomes where customer_id = $1)::int as months,
              (select count(*) from identities where customer_id = $1)::int as ids,
              (select coalesce(sum((properties->>'wait_seconds')::double), 0) from events where customer_id = $1) as wait`,
      [id],
    );
    expect(f.customer.customerId).toBe(id);
    expect(f.timeline.reduce((s, c) => s + c.events.length, 0)).toBe(counts.ev);
    expect(f.timeline).toHaveLength(counts.cases);
    expect(f.timeline.reduce((s, c) => s + c.waitSeconds, 0)).toBeCloseTo(counts.wait, 6);
    expect(f.responses).toHaveLength(counts.fb);
    expect(f.outcomes).toHaveLength(counts.months);
    expect(f.identities).toHaveLength(counts.ids);
    expect(f.identities.map((i) => i.source)).toEqual(
      expect.arrayContaining(['crm', 'billing', 'service_desk']),
    );
    // Oldest first, each case's events in time order.
    for (const c of f.timeline) {
      expect(c.events.map((e) => e.ts)).toEqual([...c.events.map((e) => e.ts)].sort());
      expect(c.start <= c.end).toBe(true);
    }
    // The demo ends 2026-06-30: the file's "now" is the store's latest event, not the clock.
    expect(f.asOf.slice(0, 7)).toBe('2026-06');
    expect(f.productNames.length).toBeGreaterThan(0);
    expect(f.summary.source).toBe('extractive');
    expect(f.summary.sentences[0]).toMatch(/^Customer since \d{4} \(/);
    expect(f.scores.status).toBe('not_scored');
    expect(f.summary.text).toContain('not scored yet');
    expect(f.llm).toEqual({ configured: true, model: 'fake-model' });
  });

  it('shows the latest churn and cross-sell scores with reasons, and follow-up cases from the app store', async () => {
    await stores.warehouse.run(`create table if not exists customer_scores (
      model_id varchar not null, target varchar not null, customer_id varchar not null,
      probability double not null, as_of date not null, reasons json, scored_at timestamptz not null)`);
    await stores.warehouse.run(
      `insert into customer_scores values
        ('m-old', 'churn', 'C0000007', 0.9, '2026-05-01', '[]', '2026-05-01T00:00:00Z'),
        ('m1', 'churn', 'C0000007', 0.42, '2026-07-01', '[{"feature":"contacts_90d","contribution":0.9,"text":"3 contacts in 90 days"},{"feature":"tenure","contribution":-0.2,"text":"long tenure"}]', '2026-07-01T00:00:00Z'),
        ('m2', 'cross_sell', 'C0000007', 0.12, '2026-07-01', '[{"feature":"products","contribution":0.4,"text":"one product only"}]', '2026-07-01T00:00:00Z')`,
    );
    await stores.appStore.db
      .insertInto('cases')
      .values({
        case_id: 'FU-7',
        customer_id: 'C0000007',
        title: 'Call back after NPS 2',
        state: 'open',
        priority: 'high',
        owner: 'team-north',
        opened_at: '2026-06-03T10:00:00Z',
        due_at: null,
        closed_at: null,
        reason_code: null,
        payload_json: '{}',
      })
      .execute();
    try {
      const { body: f } = await get<CustomerFileResponse>('/api/customers/C0000007');
      expect(f.scores.status).toBe('scored');
      expect(f.scores.churn).toMatchObject({ modelId: 'm1', probability: 0.42, asOf: '2026-07-01' });
      expect(f.scores.churn!.reasons[0]).toEqual({
        feature: 'contacts_90d',
        contribution: 0.9,
        text: '3 contacts in 90 days',
      });
      expect(f.scores.crossSell).toMatchObject({ modelId: 'm2', probability: 0.12 });
      expect(f.cases).toEqual([
        expect.objectContaining({
          caseId: 'FU-7',
          title: 'Call back after NPS 2',
          state: 'open',
          owner: 'team-north',
        }),
      ]);
      expect(f.summary.sentences).toContain('Churn risk 42 % (high): 3 contacts in 90 days.');
      expect(f.summary.sentences).toContain('Cross-sell propensity 12 %: one product only.');
      expect(f.summary.sentences).toContain('Open follow-up case: "Call back after NPS 2" (high priority).');
    } finally {
      await stores.warehouse.run("delete from customer_scores where customer_id = 'C0000007'");
      await stores.appStore.db.deleteFrom('cases').where('case_id', '=', 'FU-7').execute();
    }
  });

  it('is a 404 naming the id for an unknown customer and for one outside the data scope', async () => {
    const unknown = await get<{ error: { code: string; message: string } }>('/api/customers/NOPE-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('NOPE-1');
    const region = (
      await one<{ region: string }>("select region from customers where customer_id = 'C0000001'")
    ).region;
    const other = region === 'north' ? 'south' : 'north';
    const hidden = await get<{ error: { message: string } }>(`/api/customers/C0000001?regions=${other}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.message).toContain('C0000001');
    expect((await get(`/api/customers/C0000001?regions=${region}`)).status).toBe(200);
  });

  it('restricts the timeline and responses to the journeys in scope', async () => {
    const { body: all } = await get<CustomerFileResponse>(`/api/customers/${PII_ID}`);
    expect(all.timeline).toHaveLength(1);
    expect(all.timeline[0]).toMatchObject({ caseId: 'PII-CASE-1', contacts: 1, waitSeconds: 400 });
    // A journey owner of upgrades does not see this customer at all (no upgrade events).
    expect((await get(`/api/customers/${PII_ID}?journeys=upgrade`)).status).toBe(404);
  });
});

describe('POST /api/customers/:id/summary', () => {
  it('is extractive and offline by default', async () => {
    const before = llm.requests.length;
    const r = await post<unknown>(`/api/customers/${PII_ID}/summary`, {});
    expect(r.status).toBe(200);
    const s = CustomerSummarySchema.parse(r.body);
    expect(s).toMatchObject({ source: 'extractive', model: null, note: null });
    expect(s.text).toContain('In the last 90 days: a billing question, 1 call with 7 min waiting in total.');
    expect(llm.requests.length).toBe(before);
  });

  it('asks the LLM with the PII-redacted file and shows its summary', async () => {
    llm.options = { apiKey: KEY, reply: 'A premium customer with a billing problem; call back today.' };
    const r = await post<unknown>(`/api/customers/${PII_ID}/summary`, { llm: true });
    const s = CustomerSummarySchema.parse(r.body);
    expect(s).toEqual({
      source: 'llm',
      text: 'A premium customer with a billing problem; call back today.',
      sentences: ['A premium customer with a billing problem; call back today.'],
      model: 'fake-model',
      note: null,
    });
    const req = llm.requests.at(-1)!;
    expect(req).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      authorization: `Bearer ${KEY}`,
    });
    const body = req.body as {
      model: string;
      temperature: number;
      messages: { role: string; content: string }[];
    };
    expect(body.model).toBe('fake-model');
    expect(body.temperature).toBe(0);
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const prompt = body.messages.map((m) => m.content).join('\n');
    // The facts went out …
    expect(prompt).toContain('Waited almost 7 minutes and the bill is still wrong.');
    expect(prompt).toContain('premium');
    // … no identifier or personal datum did.
    for (const pii of [
      PII_ID,
      'CRM-PII-001',
      'BIL-PII-777',
      'PII-CASE',
      'greta.l@example.org',
      '0171',
      '2345678',
      'Greta',
      'Lindqvist',
    ]) {
      expect(prompt, pii).not.toContain(pii);
    }
  });

  it('falls back to the extractive summary with a note on a server error and on a timeout', async () => {
    llm.options = { apiKey: KEY, reply: 'x', status: 500 };
    const failed = CustomerSummarySchema.parse(
      (await post(`/api/customers/${PII_ID}/summary`, { llm: true })).body,
    );
    expect(failed.source).toBe('extractive');
    expect(failed.note).toBe('LLM unavailable: HTTP 500: The server had an error');
    expect(failed.text).toMatch(/^Customer since 2018/);

    llm.options = { apiKey: KEY, reply: 'too late', delayMs: 1_500 };
    const slow = CustomerSummarySchema.parse(
      (await post(`/api/customers/${PII_ID}/summary`, { llm: true })).body,
    );
    expect(slow).toMatchObject({ source: 'extractive', note: 'LLM unavailable: no answer within 0.5 s' });

    llm.options = { apiKey: 'wrong', reply: 'x' };
    const denied = CustomerSummarySchema.parse(
      (await post(`/api/customers/${PII_ID}/summary`, { llm: true })).body,
    );
    expect(denied.note).toBe('LLM unavailable: HTTP 401: Incorrect API key provided');
  });

  it('notes that no LLM is configured, and refuses a bad body naming the field', async () => {
    const noLlm = createApp({
      ...stores,
      logger: silentLogger(),
      clock: { now: () => new Date('2026-11-23T00:00:00Z') },
      config: { maxBodyBytes: 1024 },
    });
    const res = await noLlm.request(`/api/customers/${PII_ID}/summary`, {
      method: 'POST',
      body: JSON.stringify({ llm: true }),
    });
    const s = CustomerSummarySchema.parse(await res.json());
    expect(s).toMatchObject({
      source: 'extractive',
      note: 'LLM unavailable: no LLM is configured (set CX_LLM_URL)',
    });
    const file = (await (await noLlm.request(`/api/customers/${PII_ID}`)).json()) as CustomerFileResponse;
    expect(file.llm).toEqual({ configured: false, model: null });

    const bad = await post<{ error: { message: string } }>(`/api/customers/${PII_ID}/summary`, {
      llm: 'yes',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^llm/);
    const notJson = await post<{ error: { message: string } }>(`/api/customers/${PII_ID}/summary`, '{oops');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toContain('body');
    expect((await post(`/api/customers/NOPE/summary`, {})).status).toBe(404);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await get<{ paths: Record<string, Record<string, unknown>> }>('/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/api/customers']!)).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/customers/{id}']!)).toEqual(['get']);
    expect(doc.paths['/api/customers/{id}/summary']!.post).toBeDefined();
  });
});
