import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { openStores } from '../../stores.ts';

/** `cxc import` and `cxc loads` as a user runs them: a child process on a temp data directory. */
const ROOT = join(import.meta.dirname, '../../../../..');
const CXC = join(ROOT, 'bin/cxc.js');
const RUNNING = join(ROOT, '../shared/data/eventlogs/running-example.csv');
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-cli-import-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cxc(dataDir: string, ...args: string[]) {
  return run(process.execPath, [CXC, ...args], { env: { ...process.env, CX_DATA_DIR: dataDir }, cwd: ROOT });
}

async function counts(dataDir: string) {
  const stores = await openStores(loadConfig({ CX_DATA_DIR: dataDir }));
  try {
    const [r] = await stores.warehouse.all<{ events: number; loads: number }>(
      'select (select count(*) from events) as events, (select count(*) from loads) as loads',
    );
    return r!;
  } finally {
    await stores.close();
  }
}

describe('cxc import / loads', () => {
  it('imports, lists and undoes a load; a refused file exits 2 with the line named', async () => {
    const data = join(dir, 'd1');
    const { stdout } = await cxc(data, 'import', RUNNING, '--json');
    const summary = JSON.parse(stdout) as { loadId: string; rowsStored: number };
    expect(summary.rowsStored).toBe(42);
    const again = await cxc(data, 'import', RUNNING);
    expect(again.stdout).toMatch(/stored\s+0\n\s+duplicate\s+42/);
    const list = JSON.parse((await cxc(data, 'loads', 'list', '--json')).stdout) as { load_id: string }[];
    expect(list).toHaveLength(2);
    const undo = await cxc(data, 'loads', 'undo', summary.loadId);
    expect(undo.stdout).toContain('removed 42 rows (events 42)');
    expect(await counts(data)).toEqual({ events: 0, loads: 2 });
    const bad = await cxc(data, 'import', RUNNING, '--map', 'ts=Costs').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain(
      'error: running-example.csv, line 2, field Costs: cannot parse "50" as a timestamp',
    );
  }, 60_000);

  it('leaves the store unchanged when the import process is killed half-way', async () => {
    const data = join(dir, 'd2');
    const big = join(dir, 'big.csv');
    const gen = await openStores('memory');
    await gen.warehouse.run(
      `copy (select 'case-' || (i % 200000) as case_id, 'step ' || (i % 20) as activity,
                    timestamptz '2024-01-01 00:00:00+00' + to_seconds(i) as ts, 'web' as channel
             from range(3000000) t(i)) to '${big}' (format csv, header true)`,
    );
    await gen.close();
    await cxc(data, 'import', RUNNING);
    const child: ChildProcess = spawn(process.execPath, [CXC, 'import', big], {
      env: { ...process.env, CX_DATA_DIR: data },
      cwd: ROOT,
      stdio: 'ignore',
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGKILL');
    // Killed, not finished: otherwise this test would prove nothing.
    expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await counts(data)).toEqual({ events: 42, loads: 1 });
  }, 120_000);
});
