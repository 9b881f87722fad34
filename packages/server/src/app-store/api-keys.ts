import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type DataScope, DataScopeSchema } from '@cx/core';
import type { AppStore } from './port.ts';

/**
 * Ingestion API keys. The secret is `cxk_<key id>_<random>`; only its sha256 is stored, so a leaked
 * database does not leak working keys.
 */
export interface ApiKey {
  keyId: string;
  name: string;
  scope: DataScope;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export async function createApiKey(store: AppStore, name: string, now: Date, scope: DataScope = {}) {
  const keyId = randomBytes(6).toString('hex');
  const secret = `cxk_${keyId}_${randomBytes(24).toString('base64url')}`;
  await store.db
    .insertInto('api_keys')
    .values({
      key_id: keyId,
      key_hash: hash(secret),
      name,
      scope_json: JSON.stringify(scope),
      created_at: now.toISOString(),
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
  return { keyId, secret };
}

/** Returns the key if the secret is valid and not revoked, else null. */
export async function verifyApiKey(store: AppStore, secret: string): Promise<ApiKey | null> {
  const m = /^cxk_([0-9a-f]{12})_/.exec(secret);
  if (!m) return null;
  const row = await store.db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_id', '=', m[1]!)
    .executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const a = Buffer.from(row.key_hash, 'hex');
  const b = Buffer.from(hash(secret), 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return { keyId: row.key_id, name: row.name, scope: DataScopeSchema.parse(JSON.parse(row.scope_json)) };
}

export async function revokeApiKey(store: AppStore, keyId: string, now: Date): Promise<boolean> {
  const r = await store.db
    .updateTable('api_keys')
    .set({ revoked_at: now.toISOString() })
    .where('key_id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listApiKeys(store: AppStore) {
  return store.db
    .selectFrom('api_keys')
    .select(['key_id', 'name', 'created_at', 'revoked_at', 'last_used_at'])
    .orderBy('created_at')
    .execute();
}
