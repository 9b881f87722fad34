import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, TABLES, type TableKind } from '@cx/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from './duckdb.ts';
import { WAREHOUSE_MIGRATIONS } from './migrations.ts';
import type { Warehouse } from './port.ts';

const open: Warehouse[] = [];
afterEach(async () => {
  for (const w of open.splice(0)) await w.close().catch(() => {});
});
async function memory() {
  const wh = await openDuckDbWarehouse(':memory:');
  open.push(wh);
  return wh;
}

describe('DuckDB warehouse', () => {
  it('creates every canonical table with the columns of the spec, plus load_id', async () => {
    const wh = await memory();
    for (const kind of Object.keys(TABLES) as TableKind[]) {
      const cols = await wh.all<{ column_name: string }>(
        'select column_name from information_schema.columns where table_name = ? order by ordinal_position',
        [kind],
      );
      expect(cols.map((c) => c.column_name)).toEqual([...TABLES[kind].columns.map((c) => c.name), 'load_id']);
    }
  });

  it('applies each migration once, also when reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-wh-'));
    try {
      const file = join(dir, 'cx.duckdb');
      const a = await openDuckDbWarehouse(file);
      await a.run("insert into campaigns (campaign_id, name) values ('c1', 'Spring')");
      await a.close();
      const b = await openDuckDbWarehouse(file);
      const versions = await b.all<{ version: number }>('select version from schema_migrations order by 1');
      expect(versions).toEqual(WAREHOUSE_MIGRATIONS.map((m) => ({ version: m.version })));
      expect(versions.length).toBeGreaterThanOrEqual(2);
      expect(await b.all('select campaign_id from campaigns')).toEqual([{ campaign_id: 'c1' }]);
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes a transaction back to disk early without committing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-wh-'));
    try {
      const wh = await openDuckDbWarehouse(join(dir, 'cx.duckdb'));
      open.push(wh);
      const big =
        "insert into campaigns (campaign_id, name) select 'c' || i, repeat('x', 100) from range(200000) t(i)";
      // Written back, then rolled back: nothing is stored.
      const failed = wh.transaction(async (tx) => {
        await tx.run(big);
        await tx.writeBack();
        throw new Error('refused');
      });
      await expect(failed).rejects.toThrow('refused');
      expect(await wh.all('select count(*) as n from campaigns')).toEqual([{ n: 0 }]);
      // Written back, then committed: everything is stored, and survives a reopen.
      await wh.transaction(async (tx) => {
        await tx.run(big);
        await tx.writeBack();
      });
      await wh.close();
      const again = await openDuckDbWarehouse(join(dir, 'cx.duckdb'));
      open.push(again);
      expect(await again.all('select count(*) as n from campaigns')).toEqual([{ n: 200_000 }]);
      // In memory there is nothing to write.
      await expect((await memory()).writeBack()).resolves.toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('appends typed values in bulk and returns plain JSON values', async () => {
    const wh = await memory();
    const ts = Date.UTC(2024, 0, 31, 12, 30, 15, 250);
    await wh.append(
      'feedback',
      ['response_id', 'ts', 'nps', 'sentiment_score', 'themes', 'elements'],
      [
        ['r1', ts, 9, 0.5, ['billing', 'waiting'], { ease: 4 }],
        ['r2', new Date(ts), null, undefined, [], null],
      ],
    );
    const rows = await wh.all(
      'select response_id, ts, nps, sentiment_score, themes, elements from feedback order by 1',
    );
    expect(rows).toEqual([
      {
        response_id: 'r1',
        ts: '2024-01-31T12:30:15.250Z',
        nps: 9,
        sentiment_score: 0.5,
        themes: ['billing', 'waiting'],
        elements: '{"ease":4}',
      },
      {
        response_id: 'r2',
        ts: '2024-01-31T12:30:15.250Z',
        nps: null,
        sentiment_score: null,
        themes: [],
        elements: null,
      },
    ]);
    const [count] = await wh.all<{ n: number }>('select count(*) as n from feedback');
    expect(count!.n).toBe(2);
  });

  it('stores all of a transaction or nothing of it', async () => {
    const wh = await memory();
    await expect(
      wh.transaction(async (tx) => {
        await tx.append('campaigns', ['campaign_id', 'name'], [['c1', 'A']]);
        throw new Error('half-way failure');
      }),
    ).rejects.toThrow('half-way failure');
    expect(await wh.all('select * from campaigns')).toEqual([]);
    await wh.transaction((tx) => tx.append('campaigns', ['campaign_id', 'name'], [['c2', 'B']]));
    expect(await wh.all('select campaign_id from campaigns')).toEqual([{ campaign_id: 'c2' }]);
  });

  it('serialises concurrent transactions so they never interleave', async () => {
    const wh = await memory();
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        wh.transaction(async (tx) => {
          order.push(`${id}:start`);
          await tx.run('insert into campaigns (campaign_id, name) values (?, ?)', [id, id]);
          await new Promise((r) => setTimeout(r, 5));
          order.push(`${id}:end`);
        }),
      ),
    );
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('keeps the database file locked against other processes after a write-back', async () => {
    // DuckDB locks the file with a POSIX record lock, which the OS releases when the process closes
    // any handle of that file: the write-back must not open and close one of its own while in use.
    const dir = mkdtempSync(join(tmpdir(), 'cx-lock-'));
    const file = join(dir, 'cx.duckdb');
    try {
      const wh = await openDuckDbWarehouse(file);
      open.push(wh);
      await wh.transaction(async (tx) => {
        await tx.run("insert into campaigns (campaign_id, name) values ('c1', 'Spring')");
        await tx.writeBack();
      });
      await wh.writeBack();
      const { execFileSync } = await import('node:child_process');
      const other = execFileSync(
        process.execPath,
        [
          '-e',
          `import('@duckdb/node-api').then((m) => m.DuckDBInstance.create(${JSON.stringify(file)})).then(() => console.log('opened'), (e) => console.log(String(e.message)))`,
        ],
        { encoding: 'utf8' },
      );
      expect(other).toMatch(/lock/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a database file held by another process with a clear locked error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cx-lock-'));
    const file = join(dir, 'cx.duckdb');
    const { spawn } = await import('node:child_process');
    // A second process holds the file open (DuckDB allows one writer process per file). It keeps a
    // global reference, or garbage collection would close the instance and release the lock.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `import('@duckdb/node-api').then(async (m) => { const i = await m.DuckDBInstance.create(${JSON.stringify(file)}); globalThis.held = [i, await i.connect()]; console.log('ready'); setInterval(() => {}, 1000); })`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        holder.on('exit', () => reject(new Error('holder exited')));
      });
      const err = await openDuckDbWarehouse(file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('locked');
      expect((err as AppError).message).toMatch(/in use by another process/);
    } finally {
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
