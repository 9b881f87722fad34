import { mkdirSync } from 'node:fs';
import { AppError } from '@cx/core';
import type { Command } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from '../../app-store/api-keys.ts';
import { audit } from '../../app-store/audit.ts';
import type { AppStore } from '../../app-store/port.ts';
import { openSqliteAppStore } from '../../app-store/sqlite.ts';
import { loadConfig } from '../../config.ts';
import { output } from '../context.ts';

/**
 * `cxc keys create|list|revoke`: ingestion API keys. Only the app store (SQLite, WAL) is opened, not
 * the warehouse, so keys can be managed while `cxc serve` holds the warehouse file.
 */
async function withAppStore<T>(fn: (store: AppStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openSqliteAppStore(config.appStorePath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('Ingestion API keys (for POST /v1/batch)');
  keys
    .command('create')
    .description('Create a key and print it (it is shown once; only its hash is stored)')
    .option('--name <name>', 'a name that says who uses the key', 'default')
    .option('--json', 'print JSON: {"keyId", "name", "key"}')
    .action(async (opts: { name: string; json?: boolean }) => {
      await withAppStore(async (store) => {
        const now = new Date();
        const { keyId, secret } = await createApiKey(store, opts.name, now);
        await audit(store, {
          at: now,
          actor: 'cli',
          action: 'api_key.create',
          target: keyId,
          details: { name: opts.name },
        });
        output(Boolean(opts.json), { keyId, name: opts.name, key: secret }, () =>
          [
            secret,
            '',
            `key id ${keyId} (“${opts.name}”). Store the key now: it cannot be shown again.`,
            'Send it as the HTTP Basic user name (Segment libraries: writeKey) or as a Bearer token.',
          ].join('\n'),
        );
      });
    });
  keys
    .command('list')
    .description('List keys (ids and names, never the secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withAppStore(async (store) => {
        const rows = await listApiKeys(store);
        output(Boolean(opts.json), rows, () =>
          rows.length === 0
            ? 'no keys (create one with `cxc keys create`)'
            : rows
                .map(
                  (r) =>
                    `${r.key_id}  ${r.name.padEnd(20)} created ${r.created_at}${r.revoked_at ? `  revoked ${r.revoked_at}` : ''}`,
                )
                .join('\n'),
        );
      });
    });
  keys
    .command('revoke <keyId>')
    .description('Revoke a key: requests with it get 401 from then on')
    .option('--json', 'print JSON')
    .action(async (keyId: string, opts: { json?: boolean }) => {
      await withAppStore(async (store) => {
        const now = new Date();
        if (!(await revokeApiKey(store, keyId, now))) {
          throw new AppError('not_found', `No active key with id ${keyId} (see \`cxc keys list\`)`, {
            field: 'keyId',
          });
        }
        await audit(store, { at: now, actor: 'cli', action: 'api_key.revoke', target: keyId });
        output(Boolean(opts.json), { keyId, revoked: true }, () => `revoked ${keyId}`);
      });
    });
}
