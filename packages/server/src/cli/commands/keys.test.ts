import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyApiKey } from '../../app-store/api-keys.ts';
import { openSqliteAppStore } from '../../app-store/sqlite.ts';

/** `cxc keys` as a user runs it: a child process on a temp data directory. */
const ROOT = join(import.meta.dirname, '../../../../..');
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-cli-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cxc = (...args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin/cxc.js'), ...args], {
    env: { ...process.env, CX_DATA_DIR: dir },
    cwd: ROOT,
  });

describe('cxc keys', () => {
  it('creates a working key, audits it, lists and revokes it', async () => {
    const { stdout } = await cxc('keys', 'create', '--name', 'web shop', '--json');
    const created = JSON.parse(stdout) as { keyId: string; name: string; key: string };
    expect(created).toMatchObject({ name: 'web shop', key: expect.stringMatching(/^cxk_[0-9a-f]{12}_/) });

    const listed = JSON.parse((await cxc('keys', 'list', '--json')).stdout) as {
      key_id: string;
      name: string;
    }[];
    expect(listed.map((k) => [k.key_id, k.name])).toEqual([[created.keyId, 'web shop']]);
    expect(JSON.stringify(listed)).not.toContain(created.key); // secrets are never listed

    await cxc('keys', 'revoke', created.keyId);
    const store = await openSqliteAppStore(join(dir, 'app.sqlite'));
    try {
      expect(await verifyApiKey(store, created.key)).toBeNull();
      const audit = await store.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'target'])
        .orderBy('audit_id')
        .execute();
      expect(audit).toEqual([
        { actor: 'cli', action: 'api_key.create', target: created.keyId },
        { actor: 'cli', action: 'api_key.revoke', target: created.keyId },
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);
});
