import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppError } from '@cx/core';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerText, runTextSentiment, type SentimentLine, textCommand } from './text.ts';

const dir = mkdtempSync(join(tmpdir(), 'cx-text-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

async function run(path: string, flags: Parameters<typeof runTextSentiment>[1]): Promise<SentimentLine[]> {
  const out: SentimentLine[] = [];
  await runTextSentiment(path, flags, (l) => {
    out.push(l);
  });
  return out;
}

describe('cxc text sentiment', () => {
  it('scores every row in file order, with the id column, quoted line breaks and empty comments', async () => {
    const p = file(
      'c.csv',
      'id,comment\nA,"Waited 40 minutes,\nstill no answer"\nB,\nC,"<b>nicht gut</b>"\nD,Lovely staff 😍\n',
    );
    expect(await run(p, { textColumn: 'comment', idColumn: 'id' })).toEqual([
      { id: 'A', sentiment: 'negative', score: expect.any(Number), language: 'en' },
      { id: 'B', sentiment: null, score: null, language: 'und' },
      { id: 'C', sentiment: 'negative', score: expect.any(Number), language: 'de' },
      { id: 'D', sentiment: 'positive', score: expect.any(Number), language: 'en' },
    ]);
  });

  it('numbers rows from 1 without an id column, reads TSV with a BOM and latin-1', async () => {
    const tsv = file('a.tsv', '\uFEFFrating\ttext\n5\tGreat speaker\n1\tTerrible, returned it\n');
    expect((await run(tsv, { textColumn: 'text' })).map((l) => [l.id, l.sentiment])).toEqual([
      [1, 'positive'],
      [2, 'negative'],
    ]);
    const latin = file('l.csv', Buffer.from('t\n"Très déçu"\n', 'latin1'));
    expect((await run(latin, { textColumn: 't', encoding: 'latin1' }))[0]).toMatchObject({
      sentiment: 'negative',
      language: 'fr',
    });
  });

  it('names the file and column when the column is missing', async () => {
    const p = file('m.csv', 'a,b\n1,2\n');
    const e = (await run(p, { textColumn: 'comment' }).catch((x) => x)) as AppError;
    expect(e.code).toBe('bad_input');
    expect(e.message).toContain('m.csv, line 1, field comment');
    expect(e.message).toContain('"a", "b"');
    await expect(run(p, { textColumn: 'a', idColumn: 'nope' })).rejects.toThrow('--id-column');
  });

  it('rejects a missing file, a bad separator and an unknown encoding', async () => {
    await expect(run(join(dir, 'none.csv'), { textColumn: 't' })).rejects.toThrow('no such file');
    const p = file('s.csv', 't\nx\n');
    await expect(run(p, { textColumn: 't', separator: ';;' })).rejects.toThrow('one character');
    await expect(run(p, { textColumn: 't', encoding: 'utf16' })).rejects.toThrow('unknown encoding');
  });

  it('explains invalid UTF-8 with its line', async () => {
    const p = file('bad.csv', Buffer.concat([Buffer.from('t\nok\n'), Buffer.from([0xff, 0xfe, 0x0a])]));
    await expect(run(p, { textColumn: 't' })).rejects.toThrow(/bad\.csv, line 3.*latin1/);
  });

  it('shares the text command group with other registrars, in any order', () => {
    const program = new Command();
    const other = textCommand(program);
    other.command('train');
    registerText(program);
    expect(program.commands.filter((c) => c.name() === 'text')).toHaveLength(1);
    expect(other.commands.map((c) => c.name())).toEqual(['train', 'sentiment']);
  });
});
