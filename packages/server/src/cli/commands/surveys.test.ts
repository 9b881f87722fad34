import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `cxc surveys` as a user runs it: a child process on a temp data directory. */
const ROOT = join(import.meta.dirname, '../../../../..');
const run = promisify(execFile);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-cli-surveys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cxc = (...args: string[]) =>
  run(process.execPath, [join(ROOT, 'bin/cxc.js'), ...args], {
    env: { ...process.env, CX_DATA_DIR: dir },
    cwd: ROOT,
  });
const fails = (...args: string[]) =>
  cxc(...args).then(
    () => {
      throw new Error('expected the command to fail');
    },
    (e: { code: number; stderr: string }) => e,
  );

// Each command is a fresh Node process (tsx start-up of a few seconds on a busy machine).
describe('cxc surveys', { timeout: 120_000 }, () => {
  it('imports a survey as JSON with triggers, lists, exports it and makes a personal link', async () => {
    const file = join(dir, 'quick.json');
    const survey = {
      id: 'quick',
      title: 'Quick one',
      questions: [{ kind: 'nps', id: 'q', text: 'Recommend?' }],
      triggers: [{ activity: 'order_placed', sampleRate: 0.5, quietDays: 7 }],
    };
    writeFileSync(file, JSON.stringify(survey));
    expect((await cxc('surveys', 'import', file)).stdout).toBe('saved quick as version 1\n');
    expect((await cxc('surveys', 'import', file)).stdout).toBe('quick is unchanged (version 1)\n');
    const listed = JSON.parse((await cxc('surveys', 'list', '--json')).stdout);
    expect(listed).toEqual([
      {
        id: 'quick',
        title: 'Quick one',
        version: 1,
        questions: 1,
        triggers: [
          { surveyId: 'quick', activity: 'order_placed', sampleRate: 0.5, quietDays: 7, expiresInDays: 14 },
        ],
      },
    ]);
    const exported = JSON.parse((await cxc('surveys', 'export', 'quick')).stdout);
    expect(exported).toMatchObject({ ...survey, triggers: [{ ...survey.triggers[0], expiresInDays: 14 }] });
    const link = JSON.parse(
      (
        await cxc(
          'surveys',
          'link',
          'quick',
          '--customer',
          'c1',
          '--base-url',
          'https://cx.example',
          '--json',
        )
      ).stdout,
    );
    expect(link.link).toMatch(/^https:\/\/cx\.example\/s\/quick\?t=[\w-]+\.[\w-]{43}$/);
  });

  it('refuses a bad file naming file and field, and changes nothing', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'other',
        title: 'x',
        questions: [{ kind: 'nps', id: 'q', text: 'x' }],
        triggers: [{ activity: 'a', sampleRate: 2, quietDays: 7 }],
      }),
    );
    const e = await fails('surveys', 'import', file);
    expect(e.code).toBe(2);
    expect(e.stderr).toBe(
      `error: ${file}, field triggers.0.sampleRate: Too big: expected number to be <=1\n`,
    );
    writeFileSync(file, '{"id": "Bad Id"');
    expect((await fails('surveys', 'import', file)).stderr).toContain(`${file}: not valid JSON`);
    const listed = JSON.parse((await cxc('surveys', 'list', '--json')).stdout) as { id: string }[];
    expect(listed.map((s) => s.id)).toEqual(['quick']);
  });
});
