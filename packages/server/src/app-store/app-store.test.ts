import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, revokeApiKey, verifyApiKey } from './api-keys.ts';
import { audit } from './audit.ts';
import type { AppStore } from './port.ts';
import { openSqliteAppStore } from './sqlite.ts';

let store: AppStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});
const now = new Date('2024-05-01T10:00:00Z');

describe('SQLite app store', () => {
  it('creates the operational tables', async () => {
    store = await openSqliteAppStore(':memory:');
    const tables = await store.db.introspection.getTables();
    expect(
      tables
        .map((t) => t.name)
        .filter((n) => !n.startsWith('kysely_'))
        .sort(),
    ).toEqual([
      'alerts',
      'api_keys',
      'audit_log',
      'cases',
      'dashboards',
      'insights',
      'journey_maps',
      'kpis',
      'metrics_trees',
      'rules',
      'survey_invitations',
      'survey_state',
      'survey_triggers',
      'surveys',
      'text_labels',
      'text_models',
      'text_taxonomies',
      'users',
      'webhook_outbox',
    ]);
  });

  it('issues API keys that verify, stores only their hash, and can be revoked', async () => {
    store = await openSqliteAppStore(':memory:');
    const { keyId, secret } = await createApiKey(store, 'web tracker', now, { regions: ['north'] });
    expect(secret).toMatch(/^cxk_[0-9a-f]{12}_/);
    const row = await store.db.selectFrom('api_keys').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await verifyApiKey(store, secret)).toEqual({
      keyId,
      name: 'web tracker',
      scope: { regions: ['north'] },
    });
    expect(await verifyApiKey(store, `${secret}x`)).toBeNull();
    expect(await verifyApiKey(store, 'not-a-key')).toBeNull();
    expect(await revokeApiKey(store, keyId, now)).toBe(true);
    expect(await verifyApiKey(store, secret)).toBeNull();
    expect((await listApiKeys(store))[0]?.revoked_at).toBe(now.toISOString());
  });

  it('appends to the audit log', async () => {
    store = await openSqliteAppStore(':memory:');
    await audit(store, {
      at: now,
      actor: 'cli',
      action: 'api_key.create',
      target: 'k1',
      details: { name: 'x' },
    });
    const rows = await store.db.selectFrom('audit_log').selectAll().execute();
    expect(rows).toEqual([
      {
        audit_id: 1,
        at: now.toISOString(),
        actor: 'cli',
        action: 'api_key.create',
        target: 'k1',
        details_json: '{"name":"x"}',
      },
    ]);
  });
});
