import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from '@cx/core';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerText } from './text.ts';
import {
  type ClassifyLine,
  formatTrain,
  registerTextModels,
  runTextClassify,
  runTextThemes,
  runTextTrain,
} from './text-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'cx-text-models-'));
function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const DELIVERY = [
  'delivery was late, the parcel arrived after two weeks',
  'late delivery and the parcel was damaged',
  'parcel delivery delayed again',
  'my parcel never arrived, delivery is a mess',
  'slow delivery, the parcel came late',
  'the delivery driver lost my parcel',
];
const SIZE = [
  'runs small, order a size up',
  'size too small and tight',
  'tight fit, runs small, size up',
  'runs small in the waist, size up',
  'the size runs small and tight',
  'tight and small, wrong size',
];
const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
const rows: string[] = ['id,comment,topic'];
let n = 0;
for (let rep = 0; rep < 3; rep++) {
  for (const t of DELIVERY) rows.push(`d${++n},${q(`${t}${'!'.repeat(rep)}`)},delivery`);
  for (const t of SIZE) rows.push(`s${++n},${q(`${t}${'!'.repeat(rep)}`)},fit`);
}
rows.push(`x${++n},"a comment
over two lines about a late parcel",`);
rows.push(`y${++n},,fit`);
const labelled = file('labelled.csv', `${rows.join('\n')}\n`);

describe('cxc text train', () => {
  it('reports k-fold accuracy and macro-F1, skips rows without comment or label, and writes the model', async () => {
    const out = join(dir, 'model.json');
    const r = await runTextTrain(labelled, {
      textColumn: 'comment',
      labelColumn: 'topic',
      out,
      folds: '3',
    });
    expect(r).toMatchObject({ examples: 36, skipped: 2, labels: { delivery: 18, fit: 18 }, k: 3 });
    expect(r.accuracy).toBeGreaterThan(0.9);
    expect(r.macroF1).toBeGreaterThan(0.9);
    const model = text.parseClassifierModel(JSON.parse(readFileSync(out, 'utf8')));
    expect(model.labels).toEqual(['delivery', 'fit']);
    expect(formatTrain(r)).toMatch(/3-fold cross-validation: accuracy \d+\.\d %, macro-F1 \d+\.\d %/);
  });

  it('names the file and the column when a column is missing or has one label only', async () => {
    const base = { textColumn: 'comment', labelColumn: 'topic', out: join(dir, 'x.json') };
    await expect(runTextTrain(labelled, { ...base, labelColumn: 'Topic' })).rejects.toThrow(
      /^labelled\.csv, line 1, field Topic: the column "Topic" \(--label-column\) is not in the header/,
    );
    const one = file('one.csv', 'comment,topic\ngood,a\nbad,a\n');
    await expect(runTextTrain(one, base)).rejects.toThrow(
      /^one\.csv, field topic: need at least two different labels to train, got only "a"/,
    );
    await expect(runTextTrain(labelled, { ...base, folds: '1' })).rejects.toThrow(
      /--folds must be at least 2/,
    );
    await expect(runTextTrain(join(dir, 'nope.csv'), base)).rejects.toThrow(/no such file/);
  });
});

describe('cxc text classify', () => {
  it('writes {id, label, confidence} per row; empty comments get label null', async () => {
    const out = join(dir, 'model2.json');
    await runTextTrain(labelled, { textColumn: 'comment', labelColumn: 'topic', out, folds: '2' });
    const input = file('new.csv', 'ref,text\nA,the parcel is late again\nB,\nC,"too tight, size up"\n');
    const lines: ClassifyLine[] = [];
    const count = await runTextClassify(input, { textColumn: 'text', idColumn: 'ref', model: out }, (l) => {
      lines.push(l);
    });
    expect(count).toBe(3);
    expect(lines.map((l) => [l.id, l.label])).toEqual([
      ['A', 'delivery'],
      ['B', null],
      ['C', 'fit'],
    ]);
    expect(lines[0]!.confidence).toBeGreaterThan(0.5);
    const noIds: ClassifyLine[] = [];
    await runTextClassify(input, { textColumn: 'text', model: out }, (l) => {
      noIds.push(l);
    });
    expect(noIds.map((l) => l.id)).toEqual([1, 2, 3]);
  });

  it('refuses a model file that is not a model, naming it', async () => {
    const bad = file('bad-model.json', '{"format":"something"}');
    await expect(runTextClassify(labelled, { textColumn: 'comment', model: bad }, () => {})).rejects.toThrow(
      /^bad-model\.json.*not a CX text classifier model/,
    );
    const notJson = file('not.json', 'hello');
    await expect(
      runTextClassify(labelled, { textColumn: 'comment', model: notJson }, () => {}),
    ).rejects.toThrow(/^not\.json, field --model: the model file is not JSON/);
  });
});

describe('cxc text themes', () => {
  it('finds the two themes with labels, sizes and example comments with their ids', async () => {
    const auto = await runTextThemes(labelled, { textColumn: 'comment' });
    expect(auto.k).toBeGreaterThanOrEqual(2);
    expect(auto.k).toBeLessThanOrEqual(4); // maxK = ⌊√(37/2)⌋
    const r = await runTextThemes(labelled, { textColumn: 'comment', idColumn: 'id', k: '2' });
    expect(r.comments).toBe(37);
    expect(r.k).toBe(2);
    expect(r.themes.map((t) => t.size).sort()).toEqual([18, 19]);
    const delivery = r.themes.find((t) => /delivery|parcel/.test(t.label))!;
    expect(delivery.size).toBe(19);
    expect(delivery.examples).toHaveLength(3);
    expect(delivery.examples[0]!.id).toMatch(/^[dx]\d+$/);
    await expect(runTextThemes(labelled, { textColumn: 'comment', k: '1' })).rejects.toThrow(
      /--k must be at least 2/,
    );
  });
});

describe('registration', () => {
  it('adds train, classify and themes to the shared text group, in either order', () => {
    const a = new Command();
    registerTextModels(a);
    registerText(a);
    const b = new Command();
    registerText(b);
    registerTextModels(b);
    for (const p of [a, b]) {
      const group = p.commands.find((c) => c.name() === 'text')!;
      expect(group.commands.map((c) => c.name()).sort()).toEqual([
        'classify',
        'sentiment',
        'themes',
        'train',
      ]);
    }
  });
});

describe('cxc text themes --taxonomy', () => {
  it('counts the themes of the default or a given taxonomy, with examples', async () => {
    const r = await runTextThemes(labelled, { textColumn: 'comment', idColumn: 'id', taxonomy: 'default' });
    expect(r.method).toBe('taxonomy');
    const fit = r.themes.find((t) => t.id === 'fit_size')!;
    expect(fit).toMatchObject({ label: 'Fit and size', size: 18 });
    expect(fit.examples[0]).toEqual({ id: 's7', text: 'runs small, order a size up' });
    const own = file(
      'tax.json',
      JSON.stringify({ version: 1, themes: [{ id: 'late', label: 'Late', keywords: ['late'] }] }),
    );
    const o = await runTextThemes(labelled, { textColumn: 'comment', taxonomy: own });
    expect(o.themes).toMatchObject([{ id: 'late', size: 10 }]);
    expect(o.unclustered).toBe(27);
    const bad = file(
      'bad-tax.json',
      JSON.stringify({ version: 1, themes: [{ id: 'x', label: 'X', keywords: [] }] }),
    );
    await expect(runTextThemes(labelled, { textColumn: 'comment', taxonomy: bad })).rejects.toThrow(
      /^bad-tax\.json, field themes\.0\.keywords: /,
    );
  });
});
