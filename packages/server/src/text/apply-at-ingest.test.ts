import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../app-store/api-keys.ts';
import { createApp } from '../http/app.ts';
import { importFile } from '../ingestion/import/import-file.ts';
import { silentLogger } from '../logger.ts';
import { openStores, type Stores } from '../stores.ts';
import { seedDemoSurveys } from '../surveys/demo-surveys.ts';
import { createPersonalLink } from '../surveys/triggers.ts';
import { currentTextAnalysis } from './current-analysis.ts';
import { createPendingModel } from './model-store.ts';

/**
 * Issue 5 end to end: label → background training → activate → the three ingest paths (file import,
 * batch API, hosted survey) store the model's label. The made-up words "zorblax" (loved) and
 * "quimble" (hated) carry no sentiment for the lexicon, so only a trained model can label them.
 */
let stores: Stores;
let app: ReturnType<typeof createApp>;
let key: string;
let dir: string;
const now = new Date('2024-05-01T10:00:00Z');
const clock = { now: () => now };

const THINGS = ['order', 'parcel', 'box', 'item', 'delivery', 'package'];
const sentimentItems = THINGS.flatMap((t) => [
  { text: `the zorblax ${t} came today`, label: 'positive' },
  { text: `my ${t} was zorblax`, label: 'positive' },
  { text: `the quimble ${t} came today`, label: 'negative' },
  { text: `my ${t} was quimble`, label: 'negative' },
]);
const themeItems = THINGS.flatMap((t) => [
  { text: `the gizmo in my ${t}`, label: 'gizmos' },
  { text: `a gizmo ${t} arrived`, label: 'gizmos' },
  { text: `the ${t} arrived on monday`, label: 'none' },
  { text: `a ${t} for my sister`, label: 'none' },
]);

type Body = Record<string, unknown> & {
  modelId: string;
  status: string;
  active: string | null;
  error: { message: string };
};

async function call(method: string, path: string, body?: unknown) {
  const res = await app.request(path, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

async function train(task: string, items: { text: string; label: string }[]): Promise<string> {
  expect((await call('POST', '/api/text/labels', { task, items })).status).toBe(200);
  const started = await call('POST', '/api/text/models', { task, k: 3 });
  expect(started).toMatchObject({ status: 202, body: { status: 'training' } });
  for (let i = 0; i < 600; i++) {
    const m = await call('GET', `/api/text/models/${started.body.modelId}`);
    if (m.body.status === 'ready') return m.body.modelId;
    expect(m.body.status).toBe('training');
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('training did not finish');
}

const stored = (id: string) =>
  stores.warehouse.all<{ sentiment: string; sentiment_score: number; themes: string[] }>(
    'select sentiment, sentiment_score, themes from feedback where response_id = ?',
    [id],
  );

let sentimentModel: string;
let themeModel: string;
let otherModel: string;

beforeAll(async () => {
  stores = await openStores('memory');
  app = createApp({ ...stores, logger: silentLogger(), clock, config: { maxBodyBytes: 1024 * 1024 } });
  key = (await createApiKey(stores.appStore, 'test', now)).secret;
  await seedDemoSurveys(stores.appStore, now);
  dir = mkdtempSync(join(tmpdir(), 'cx-apply-'));
  sentimentModel = await train('sentiment', sentimentItems);
  themeModel = await train('theme', themeItems);
  otherModel = await train(
    'department',
    THINGS.map((t, i) => ({ text: `${t} ${i}`, label: i % 2 ? 'a' : 'b' })),
  );
}, 120_000);
afterAll(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('active models', () => {
  it('the lexicon alone cannot label the made-up words (the control)', () => {
    expect(text.enrichComment('my zorblax box arrived').sentiment).toBe('neutral');
    expect(text.enrichComment('my quimble box arrived').sentiment).toBe('neutral');
  });

  it('activates at most one model per target, and lists which is active', async () => {
    const a = await call('PUT', `/api/text/models/${sentimentModel}/active`, { target: 'sentiment' });
    expect(a).toMatchObject({ status: 200, body: { active: 'sentiment', status: 'ready' } });
    // A second sentiment model replaces the first.
    const second = await train('sentiment', [...sentimentItems, { text: 'zorblax!', label: 'positive' }]);
    expect((await call('PUT', `/api/text/models/${second}/active`)).body.active).toBe('sentiment');
    const list = (await call('GET', '/api/text/models?task=sentiment')).body as unknown as {
      modelId: string;
      active: string | null;
    }[];
    expect(list.filter((m) => m.active === 'sentiment').map((m) => m.modelId)).toEqual([second]);
    expect((await call('DELETE', `/api/text/models/${second}/active`)).body.active).toBeNull();
    expect((await call('PUT', `/api/text/models/${sentimentModel}/active`, {})).body.active).toBe(
      'sentiment',
    );
    expect((await call('PUT', `/api/text/models/${themeModel}/active`)).body.active).toBe('theme');
    const analysis = await currentTextAnalysis(stores.appStore);
    expect(analysis.models.sentiment?.labels).toEqual(['negative', 'positive']);
    expect(analysis.models.theme?.labels).toEqual(['gizmos', 'none']);
  });

  it('refuses a model of another target, a task with no target and a missing id, changing nothing', async () => {
    const wrong = await call('PUT', `/api/text/models/${themeModel}/active`, { target: 'sentiment' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toBe(
      `field target: model ${themeModel} is a theme model (task "theme"), not a sentiment model`,
    );
    const other = await call('PUT', `/api/text/models/${otherModel}/active`);
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/^field modelId: .*task "department"/);
    const missing = await call('PUT', '/api/text/models/m_nope/active');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ message: 'No model m_nope', details: { field: 'modelId' } });
    expect((await call('PUT', `/api/text/models/${themeModel}/active`, { target: 'mood' })).status).toBe(400);
    expect((await call('PUT', `/api/text/models/${themeModel}/active`, '{')).status).toBe(400);
    const active = (
      (await call('GET', '/api/text/models')).body as unknown as { modelId: string; active: string }[]
    )
      .filter((m) => m.active)
      .map((m) => [m.active, m.modelId]);
    expect(active.sort()).toEqual([
      ['sentiment', sentimentModel],
      ['theme', themeModel],
    ]);
  });

  it('a file import stores the models’ labels', async () => {
    const f = join(dir, 'comments.csv');
    writeFileSync(
      f,
      'id,text\nimp1,my zorblax box arrived\nimp2,my quimble box arrived\nimp3,the gizmo was late\n',
    );
    await importFile(stores.warehouse, {
      path: f,
      kind: 'feedback',
      map: { response_id: 'id', comment: 'text' },
      ...(await currentTextAnalysis(stores.appStore)),
    });
    const [pos] = await stored('imp1');
    expect(pos!.sentiment).toBe('positive');
    expect(pos!.sentiment_score).toBeGreaterThan(0.2);
    expect((await stored('imp2'))[0]!.sentiment).toBe('negative');
    // The taxonomy's "late" theme (punctuality) stays, the model adds "gizmos".
    expect((await stored('imp3'))[0]!.themes).toContain('gizmos');
    expect((await stored('imp1'))[0]!.themes).not.toContain('gizmos');
  });

  it('a batch feedback message stores the model’s label', async () => {
    const res = await app.request('/v1/batch', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`,
      },
      body: JSON.stringify({
        batch: [
          {
            type: 'feedback',
            messageId: 'b1',
            userId: 'u1',
            nps: 8,
            comment: 'my quimble gizmo arrived',
            timestamp: '2024-04-30T08:00:00Z',
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const rows = await stores.warehouse.all<{ sentiment: string; themes: string[] }>(
      "select sentiment, themes from feedback where comment = 'my quimble gizmo arrived'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sentiment).toBe('negative');
    expect(rows[0]!.themes).toContain('gizmos');
  });

  it('a hosted-survey response stores the model’s label', async () => {
    const l = await createPersonalLink(
      stores.appStore,
      { surveyId: 'nps-after-support', customerId: 'c9', caseId: 'k1', journey: 'support', channel: 'chat' },
      now,
    );
    const t = new URL(l.link, 'http://x').searchParams.get('t')!;
    const res = await app.request('/s/nps-after-support', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ t, answers: { recommend: 9, comment: 'my zorblax box arrived' } }),
    });
    expect(res.status).toBe(200);
    const { responseId } = (await res.json()) as { responseId: string };
    expect((await stored(responseId))[0]!.sentiment).toBe('positive');
  });

  it('marks a training that no job is running (cut off by a restart) as failed', async () => {
    const orphan = await createPendingModel(stores.appStore, 'sentiment', 3, { actor: 't', now });
    const m = await call('GET', `/api/text/models/${orphan.modelId}`);
    expect(m.body).toMatchObject({
      status: 'failed',
      error: 'interrupted: the server stopped before the training finished',
      metrics: null,
    });
    expect((await call('PUT', `/api/text/models/${orphan.modelId}/active`)).status).toBe(400);
  });
});
