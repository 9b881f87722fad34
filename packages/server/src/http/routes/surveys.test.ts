import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logger.ts';
import { openStores, type Stores } from '../../stores.ts';
import { DEMO_SURVEYS, seedDemoSurveys } from '../../surveys/demo-surveys.ts';
import { createPersonalLink } from '../../surveys/triggers.ts';
import { createApp } from '../app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;
let time = new Date('2024-05-01T10:00:00Z');
const clock = { now: () => time };

beforeAll(async () => {
  stores = await openStores('memory');
  app = createApp({ ...stores, logger: silentLogger(), clock, config: { maxBodyBytes: 1024 * 1024 } });
  await seedDemoSurveys(stores.appStore, time);
});
afterAll(() => stores.close());
beforeEach(async () => {
  time = new Date('2024-05-01T10:00:00Z');
  for (const t of ['feedback', 'loads']) await stores.warehouse.run(`delete from ${t}`);
});

async function link(customerId = 'c42', extra: Record<string, string> = {}) {
  const l = await createPersonalLink(
    stores.appStore,
    {
      surveyId: 'nps-after-support',
      customerId,
      caseId: 'case-7',
      journey: 'support',
      channel: 'chat',
      ...extra,
    },
    time,
  );
  return { ...l, token: new URL(l.link, 'http://x').searchParams.get('t')! };
}
const form = (fields: Record<string, string>, path = '/s/nps-after-support') =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const postJson = (body: unknown, path = '/s/nps-after-support') =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const feedback = () =>
  stores.warehouse.all<Record<string, unknown>>(
    'select response_id, customer_id, case_id, survey_id, journey, touchpoint, channel, nps, csat, ces, elements, comment, source_system, load_id from feedback order by response_id',
  );
const count = async (t: string) =>
  (await stores.warehouse.all<{ n: number }>(`select count(*) as n from ${t}`))[0]!.n;

describe('hosted survey page', () => {
  it('renders an accessible, small page for a personal link', async () => {
    const { token } = await link();
    const res = await app.request(`/s/nps-after-support?t=${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'nonce-[^']+'/);
    const html = await res.text();
    expect(Buffer.byteLength(html)).toBeLessThan(15_000);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toContain('<legend>How likely are you to recommend us to a friend or colleague?');
    expect(html.match(/type="radio" name="recommend"/g)).toHaveLength(11);
    expect(html).toContain('<label for="comment">');
    expect(html).toContain(`name="t" value="${token}"`);
    // The inline script carries the nonce the CSP allows.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(html).toContain(`<script nonce="${nonce}">`);
  });

  it('speaks German when asked, and previews without a link', async () => {
    const de = await (await app.request('/s/nps-after-support?preview=1&lang=de')).text();
    expect(de).toContain('<html lang="de">');
    expect(de).toContain('Wie waren wir?');
    expect(de).toContain('Vorschau');
    const accept = await app.request('/s/nps-after-support?preview=1', {
      headers: { 'accept-language': 'fr-CH, de;q=0.8' },
    });
    expect(await accept.text()).toContain('<html lang="de">');
  });

  it('refuses a missing, tampered or expired link with a clear page, and an unknown survey with 404', async () => {
    const none = await app.request('/s/nps-after-support');
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('personal link');
    const { token } = await link();
    const [payload, sig] = token.split('.') as [string, string];
    const other = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('"c42"', '"c99"'),
    ).toString('base64url');
    const tampered = await app.request(`/s/nps-after-support?t=${other}.${sig}`);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('signature does not match');
    time = new Date('2024-06-01T00:00:00Z');
    const expired = await app.request(`/s/nps-after-support?t=${token}`);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('The survey link expired on 2024-05-15');
    expect((await app.request('/s/no-such-survey')).status).toBe(404);
  });

  it('escapes HTML in survey texts', async () => {
    const def = { ...DEMO_SURVEYS[1]!, id: 'xss', title: '<script>alert(1)</script>', allowAnonymous: true };
    const put = await app.request('/api/surveys/xss', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(def),
    });
    expect(put.status).toBe(200);
    const html = await (await app.request('/s/xss')).text();
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('serves the embed snippet', async () => {
    const res = await app.request('/s/nps-after-support/embed.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    const js = await res.text();
    expect(js).toContain('\'/s/\'+"nps-after-support"');
    expect(js).toContain("getAttribute('data-token')");
    expect(() => new Function(js)).not.toThrow();
  });
});

describe('answering a survey', () => {
  it('stores a form post at once as one feedback row tied to the link, in its own load', async () => {
    const { token, invitationId } = await link();
    const res = await form({
      t: token,
      recommend: '4',
      recommend__followup: 'Too slow',
      ease: '2',
      courtesy: '5',
      comment: 'Thanks',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('your feedback goes straight to the team');
    const rows = await feedback();
    expect(rows).toEqual([
      {
        response_id: `svy_${invitationId}`,
        customer_id: 'c42',
        case_id: 'case-7',
        survey_id: 'nps-after-support',
        journey: 'support',
        touchpoint: 'ticket_closed',
        channel: 'chat',
        nps: 4,
        csat: null,
        ces: null,
        elements: '{"ease":2,"courtesy":5}',
        comment: 'Too slow\n\nThanks',
        source_system: 'survey',
        load_id: expect.stringMatching(/^ld_/),
      },
    ]);
    const [load] = await stores.warehouse.all<{ kind: string; source: string; rows_stored: number }>(
      'select kind, source, rows_stored from loads',
    );
    expect(load).toEqual({ kind: 'survey', source: 'survey:nps-after-support', rows_stored: 1 });
    const inv = await stores.appStore.db
      .selectFrom('survey_invitations')
      .selectAll()
      .where('invitation_id', '=', invitationId)
      .executeTakeFirstOrThrow();
    expect(inv.response_id).toBe(`svy_${invitationId}`);
    expect(inv.responded_at).toBe(time.toISOString());
  });

  it('stores the comment with language, sentiment and themes, and PII redacted', async () => {
    const { token } = await link();
    const comment = 'I waited 40 minutes on the phone, terrible service. Mail me at john@example.com';
    expect((await form({ t: token, recommend: '2', comment })).status).toBe(200);
    const [row] = await stores.warehouse.all<Record<string, unknown>>(
      'select comment, language, sentiment, sentiment_score, themes from feedback',
    );
    expect(row).toMatchObject({
      comment: 'I waited 40 minutes on the phone, terrible service. Mail me at [email]',
      language: 'en',
      sentiment: 'negative',
      themes: ['waiting_time'],
    });
    expect(row!.sentiment_score).toBeLessThan(-0.5);
    // The per-question answers kept in properties are redacted too.
    const [props] = await stores.warehouse.all<{ p: string }>(
      'select properties::varchar as p from feedback',
    );
    expect(props!.p).not.toContain('john@example.com');
    expect(JSON.parse(props!.p).answers).toEqual({
      recommend: 2,
      comment: expect.stringContaining('[email]'),
    });
  });

  it('answering the same link twice updates the response instead of adding one', async () => {
    const { token } = await link();
    expect((await postJson({ t: token, answers: { recommend: 3 } })).status).toBe(200);
    const second = await postJson({ t: token, answers: { recommend: 9, comment: 'Better now' } });
    expect(await second.json()).toMatchObject({ replaced: true });
    const rows = await feedback();
    expect(rows.map((r) => [r.nps, r.comment])).toEqual([[9, 'Better now']]);
  });

  it('refuses scores out of range with 400 naming the question, storing nothing', async () => {
    const { token } = await link();
    const res = await postJson({ t: token, answers: { recommend: 11 } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        code: 'bad_input',
        message: 'field recommend: score must be a whole number from 0 to 10, got 11',
        details: { field: 'recommend' },
      },
    });
    const page = await form({ t: token, recommend: '-1', ease: '9' });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain('Please check 2 answers');
    expect(html).toContain('href="#q-recommend"');
    expect(html).toContain('score must be a whole number from 1 to 5, got &quot;9&quot;');
    expect(await count('feedback')).toBe(0);
    expect(await count('loads')).toBe(0);
  });

  it('stores HTML in a comment as text, strips binary junk, refuses 100 kB comments and empty answers', async () => {
    const { token } = await link();
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    expect((await form({ t: token, recommend: '10', comment: script })).status).toBe(200);
    expect((await feedback())[0]!.comment).toBe(script);

    const junk = await link('c43');
    const bytes = Buffer.concat([
      Buffer.from(`t=${junk.token}&recommend=8&comment=`),
      Buffer.from([0x00, 0xff, 0xfe, 0x41, 0x1b, 0x42, 0x07, 0xc3]),
    ]);
    const res = await app.request('/s/nps-after-support', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: bytes,
    });
    expect(res.status).toBe(200);
    const stored = (await feedback()).find((r) => r.customer_id === 'c43')!;
    expect(stored.comment).toBe('AB');

    const big = await link('c44');
    const tooLong = await form({ t: big.token, recommend: '5', comment: 'x'.repeat(100_000) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('is 100,000 characters long; at most 10,000 are accepted');
    const empty = await form({ t: big.token, comment: '' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('a score is required');
    const raw = await app.request('/s/nps-after-support', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 1, 2, 3, 255, 254]),
    });
    expect(raw.status).toBe(403); // no token among the junk
    const notJson = await postJson('{"t":');
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.details.field).toBe('body');
    expect((await feedback()).map((r) => r.customer_id)).toEqual(expect.arrayContaining(['c42', 'c43']));
    expect(await count('feedback')).toBe(2);
  });

  it('refuses a body over the limit with 413', async () => {
    const { token } = await link();
    const res = await form({ t: token, recommend: '5', comment: 'x'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(await count('feedback')).toBe(0);
  });

  it('refuses a tampered token on submit, and a link for another survey', async () => {
    const { token } = await link();
    const bad = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await postJson({ t: bad, answers: { recommend: 9 } });
    expect(res.status).toBe(403);
    expect((await res.json()).error.details.field).toBe('t');
    const other = await postJson({ t: token, answers: { satisfied: 5 } }, '/s/csat-onboarding');
    expect(other.status).toBe(403);
    expect(await count('feedback')).toBe(0);
  });

  it('takes anonymous answers only where the survey allows them', async () => {
    expect((await postJson({ answers: { recommend: 9 } })).status).toBe(403);
    const ok = await form({ satisfied: '5', effort: '6' }, '/s/csat-onboarding');
    expect(ok.status).toBe(200);
    const [row] = await feedback();
    expect(row).toMatchObject({ customer_id: null, csat: 5, ces: 6, journey: 'onboarding' });
    expect(row!.response_id).toMatch(/^svy_anon_/);
  });
});

describe('survey designer API', () => {
  it('lists, reads, versions and validates surveys, documented in OpenAPI', async () => {
    const list = await (await app.request('/api/surveys')).json();
    expect(list.surveys.map((s: { id: string }) => s.id)).toEqual(
      expect.arrayContaining(['csat-onboarding', 'nps-after-support']),
    );
    const one = await (await app.request('/api/surveys/csat-onboarding')).json();
    expect(one).toMatchObject({
      version: 1,
      url: '/s/csat-onboarding',
      triggers: [{ activity: 'account_activated' }],
    });
    const put = (body: unknown) =>
      app.request('/api/surveys/csat-onboarding', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const same = await (await put(one.definition)).json();
    expect(same).toMatchObject({ version: 1, changed: false });
    const changed = await (await put({ ...one.definition, title: 'Hello' })).json();
    expect(changed).toMatchObject({ version: 2, changed: true });
    const bad = await put({ ...one.definition, questions: [{ kind: 'nps', id: 'Q 1', text: 'x' }] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.details.field).toBe('questions.0.id');
    const mismatch = await put({ ...one.definition, id: 'other' });
    expect((await mismatch.json()).error.details.field).toBe('id');
    const doc = await (await app.request('/api/openapi.json')).json();
    for (const p of ['/api/surveys', '/api/surveys/{id}', '/api/surveys/{id}/triggers', '/s/{survey}'])
      expect(doc.paths[p]).toBeDefined();
  });

  it('replaces triggers, refusing a bad sample rate with the trigger index', async () => {
    const put = (body: unknown) =>
      app.request('/api/surveys/nps-after-support/triggers', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await put([{ activity: 'x', sampleRate: 2, quietDays: 7 }]);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toBe('field 0.sampleRate: Too big: expected number to be <=1');
    const ok = await put([{ activity: 'ticket_closed', sampleRate: 0.5, quietDays: 14, channel: 'chat' }]);
    expect(await ok.json()).toEqual([
      {
        surveyId: 'nps-after-support',
        activity: 'ticket_closed',
        sampleRate: 0.5,
        quietDays: 14,
        channel: 'chat',
        expiresInDays: 14,
      },
    ]);
  });

  it('creates personal links and renders a live preview of an unsaved definition', async () => {
    const res = await app.request('/api/surveys/nps-after-support/links', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: 'c1', caseId: 'k1' }),
    });
    const l = await res.json();
    expect(l.link).toMatch(/^http:\/\/localhost\/s\/nps-after-support\?t=/);
    expect((await app.request(l.link.replace('http://localhost', ''))).status).toBe(200);
    const preview = await app.request('/api/surveys/preview', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'draft',
        title: 'Draft <b>',
        questions: [{ kind: 'open', id: 'c', text: 'Say' }],
      }),
    });
    const html = await preview.text();
    expect(html).toContain('Draft &lt;b&gt;');
    expect(html).not.toContain('<script');
  });
});
