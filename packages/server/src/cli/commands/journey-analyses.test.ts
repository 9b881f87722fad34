import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../../..');
const LOG = join(ROOT, '../shared/data/eventlogs/running-example.xes');
const CXC = join(ROOT, 'bin/cxc.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-journey-analyses-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cxc = (...args: string[]) => run('node', [CXC, ...args], { env: { ...process.env, CX_DATA_DIR: dir } });

/**
 * running-example.xes (6 cases): "examine thoroughly" occurs in cases 1, 3 and 4, each followed by
 * "decide"; cases 2, 5 and 6 only examine casually. Only case 6 follows the model below exactly.
 */
const STEPS = 'register request,examine thoroughly,decide';

describe('cxc journeys funnel / paths / conformance', () => {
  it('funnel: --json steps, and --drop-off lists the cases behind a step', async () => {
    const { stdout } = await cxc('journeys', 'funnel', LOG, '--steps', STEPS, '--window', '30d', '--json');
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ mode: 'ordered', windowSeconds: 30 * 86400, totalCases: 6 });
    expect(r.steps.map((s: { cases: number }) => s.cases)).toEqual([6, 3, 3]);
    const d = await cxc('journeys', 'funnel', LOG, '--steps', STEPS, '--drop-off', '1', '--json');
    const drop = JSON.parse(d.stdout);
    expect(drop.total).toBe(3);
    expect(drop.cases.map((c: { caseId: string }) => c.caseId).sort()).toEqual(['2', '5', '6']);
    const text = await cxc('journeys', 'funnel', LOG, '--steps', STEPS, '--mode', 'strict');
    expect(text.stdout).toContain('strict funnel, window 14.0 d: 6 of 6 cases entered, 0 converted');
  }, 180_000);

  it('paths: the top paths before an anchor with shares', async () => {
    const { stdout } = await cxc(
      'journeys',
      'paths',
      LOG,
      '--anchor',
      'decide',
      '--direction',
      'before',
      '--depth',
      '2',
      '--json',
    );
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ cases: 6, customers: 6, distinctPaths: 4 });
    expect(r.paths[0]).toEqual({
      activities: ['examine casually', 'check ticket', 'decide'],
      cases: 3,
      customers: 3,
      shareOfCases: 0.5,
      shareOfCustomers: 0.5,
    });
  }, 180_000);

  it('conformance: a model file, and a bad one named by file and field', async () => {
    const model = join(dir, 'model.json');
    writeFileSync(
      model,
      JSON.stringify({
        startActivities: ['register request'],
        endActivities: ['pay compensation', 'reject request'],
        transitions: [
          { from: 'register request', to: 'examine casually' },
          { from: 'examine casually', to: 'check ticket' },
          { from: 'check ticket', to: 'decide' },
          { from: 'decide', to: 'pay compensation' },
          { from: 'decide', to: 'reject request' },
        ],
        expectedOrder: ['register request', 'check ticket', 'decide'],
      }),
    );
    const { stdout } = await cxc('journeys', 'conformance', LOG, '--model', model, '--json');
    const r = JSON.parse(stdout);
    expect(r).toMatchObject({ cases: 6, conformingCases: 1 });
    expect(r.share).toBeCloseTo(1 / 6, 12);
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ startActivities: ['a'], endActivities: ['b'], transitions: [{ from: 'a', to: 7 }] }),
    );
    await expect(cxc('journeys', 'conformance', LOG, '--model', bad)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`${bad}, field transitions[0].to`),
    });
  }, 180_000);

  it('--store analyses the events of the data directory', async () => {
    await cxc('import', LOG);
    const { stdout } = await cxc(
      'journeys',
      'funnel',
      '--store',
      '--steps',
      STEPS,
      '--window',
      '30d',
      '--json',
    );
    expect(JSON.parse(stdout).steps.map((s: { cases: number }) => s.cases)).toEqual([6, 3, 3]);
  }, 180_000);

  it('bad flags are clear input errors', async () => {
    await expect(cxc('journeys', 'funnel', LOG, '--steps', 'a')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--steps'),
    });
    await expect(cxc('journeys', 'paths', LOG, '--anchor', 'a', '--depth', '9')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--depth'),
    });
  }, 180_000);

  it('export: a filtered slice as XES that discovers to the slice, and a clear error without a format', async () => {
    const out = join(dir, 'thorough.xes');
    const filter = JSON.stringify({ withActivities: ['examine thoroughly'] });
    const { stdout } = await cxc('journeys', 'export', LOG, '--filter', filter, '--out', out, '--json');
    expect(JSON.parse(stdout)).toMatchObject({ format: 'xes', cases: 3, path: out });
    const d = await cxc('journeys', 'discover', out, '--json');
    expect(JSON.parse(d.stdout)).toMatchObject({ cases: 3 });
    await expect(cxc('journeys', 'export', LOG, '--out', join(dir, 'x.txt'))).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--format'),
    });
  }, 180_000);
});
