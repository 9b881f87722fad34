import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../../..');
const LOGS = join(ROOT, '../shared/data/eventlogs');
const CXC = join(ROOT, 'bin/cxc.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-journeys-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cxc = (...args: string[]) => run('node', [CXC, ...args], { env: { ...process.env, CX_DATA_DIR: dir } });

describe('cxc journeys discover', () => {
  it('analyses running-example.xes from a file, --json with exactly the documented keys', async () => {
    const { stdout } = await cxc('journeys', 'discover', join(LOGS, 'running-example.xes'), '--json');
    const r = JSON.parse(stdout);
    expect(Object.keys(r)).toEqual([
      'events',
      'cases',
      'activities',
      'startActivities',
      'endActivities',
      'dfg',
      'variants',
      'caseDurations',
    ]);
    const ref = JSON.parse(readFileSync(join(LOGS, 'running-example.xes.pm4py.json'), 'utf8'));
    expect(r.variants).toEqual(ref.variants);
    // README anchor: check ticket → decide, count 6, mean 181,960 s, median 129,300 s.
    expect(r.dfg[0]).toMatchObject({
      from: 'check ticket',
      to: 'decide',
      count: 6,
      meanSeconds: 181960,
      medianSeconds: 129300,
    });
  }, 60_000);

  it('maps CSV columns by name and prints a readable summary', async () => {
    const csv = join(dir, 'log.csv');
    writeFileSync(
      csv,
      'cid;act;when\nx;A;2024-01-01 10:00:00\nx;B;2024-01-01 11:00:00\ny;A;2024-01-02 10:00:00\n',
    );
    const { stdout } = await cxc(
      'journeys',
      'discover',
      csv,
      '--case-column',
      'cid',
      '--activity-column',
      'act',
      '--timestamp-column',
      'when',
      '--separator',
      ';',
    );
    expect(stdout).toContain('3 events in 2 cases, 2 activities, 1 edges, 2 variants');
    expect(stdout).toContain('A → B');
  }, 60_000);

  it('an unknown column or classifier is a clear input error', async () => {
    const bad = cxc('journeys', 'discover', join(LOGS, 'running-example.csv'), '--case-column', 'nope');
    await expect(bad).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('nope') });
    const cls = cxc('journeys', 'discover', join(LOGS, 'running-example.csv'), '--classifier', 'x');
    await expect(cls).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('classifier') });
  }, 60_000);
});
