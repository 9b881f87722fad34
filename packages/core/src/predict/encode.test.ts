import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors.ts';
import { columnReasons, encodeRows, encodeTable, type TableColumn } from './encode.ts';

const table = (): TableColumn[] => [
  { name: 'id', values: ['a', 'b', 'c', 'd', 'e', 'f'] },
  { name: 'age', values: ['20', '30', '40', '', '50', '60'] },
  { name: 'plan', values: ['basic', 'pro', 'basic', 'pro', '', 'basic'] },
  { name: 'country', values: ['DE', 'DE', 'DE', 'DE', 'DE', 'DE'] },
  { name: 'note', values: [null, null, '', null, null, ''] },
  { name: 'spend', values: [1, 2, 3, 4, 5, 6] },
  { name: 'churned', values: ['yes', 'no', 'no', 'yes', 'no', 'no'] },
];

function caught(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('encodeTable', () => {
  it('scales numerics, imputes blanks with a missing flag, one-hot encodes text, drops id/excluded', () => {
    const r = encodeTable(table(), {
      target: 'churned',
      positive: 'yes',
      idColumn: 'id',
      exclude: ['spend'],
    });
    expect(r.dataset.features).toEqual(['age', 'age:missing', 'plan=basic', 'plan=pro', 'plan:missing']);
    expect(Array.from(r.dataset.y)).toEqual([1, 0, 0, 1, 0, 0]);
    // age: mean of 20, 30, 40, 50, 60 = 40, population sd = √200.
    const sd = Math.sqrt(200);
    const x = r.dataset.x;
    const row = (i: number) => Array.from(x.subarray(i * 5, i * 5 + 5));
    expect(row(0)).toEqual([(20 - 40) / sd, 0, 1, 0, 0]);
    expect(row(3)).toEqual([0, 1, 0, 1, 0]); // blank age → mean (0 scaled) and flagged
    expect(row(4)).toEqual([(50 - 40) / sd, 0, 0, 0, 1]); // blank plan
    expect(r.encoder.columns[0]).toEqual({
      name: 'age',
      kind: 'numeric',
      mean: 40,
      sd,
      scaled: true,
      missing: true,
    });
  });

  it('warns about constant and all-missing columns, naming them', () => {
    const r = encodeTable(table(), { target: 'churned', positive: 'yes', idColumn: 'id' });
    expect(r.warnings).toContain('constant column dropped: "country"');
    expect(r.warnings).toContain('all-missing column dropped: "note"');
    expect(r.dataset.features).not.toContain('country=DE');
  });

  it('encodes new rows identically; unseen categories score as zeros', () => {
    const r = encodeTable(table(), { target: 'churned', positive: 'yes', idColumn: 'id' });
    const json = JSON.parse(JSON.stringify(r.encoder));
    const m = encodeRows(json, [
      { name: 'age', values: ['40', 'x'] },
      { name: 'plan', values: ['enterprise', 'pro'] },
      { name: 'spend', values: [3.5, null] },
    ]);
    expect(m.p).toBe(r.dataset.p);
    const f = r.dataset.features;
    const at = (i: number, name: string) => m.x[i * m.p + f.indexOf(name)];
    expect(at(0, 'age')).toBe(0);
    expect(at(0, 'plan=basic')).toBe(0);
    expect(at(0, 'plan=pro')).toBe(0);
    expect(at(1, 'plan=pro')).toBe(1);
    expect(at(1, 'age:missing')).toBe(1); // text in a numeric column is treated as blank
    expect(() => encodeRows(json, [{ name: 'age', values: [] }], { file: 'new.csv' })).toThrow(
      /new\.csv, field plan: the model needs the columns "plan", "spend"/,
    );
  });

  it('missing markers are configurable; "unknown" stays a category by default', () => {
    const cols: TableColumn[] = [
      { name: 'job', values: ['unknown', 'admin', 'unknown', 'admin'] },
      { name: 'y', values: ['1', '0', '0', '1'] },
    ];
    expect(encodeTable(cols, { target: 'y', positive: '1' }).dataset.features).toEqual([
      'job=admin',
      'job=unknown',
    ]);
    expect(
      encodeTable(cols, { target: 'y', positive: '1', missingMarkers: ['unknown'] }).dataset.features,
    ).toEqual(['job=admin', 'job:missing']);
  });

  it('a target with one class is refused, naming the target and the class', () => {
    const cols: TableColumn[] = [
      { name: 'a', values: [1, 2, 3] },
      { name: 'y', values: ['no', 'no', 'no'] },
    ];
    const e = caught(() => encodeTable(cols, { target: 'y', positive: 'no', file: 'f.csv' }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe(
      'f.csv, field y: the target "y" has one class only: "no" in all 3 rows; a model needs rows of both classes',
    );
  });

  it('a positive value that never occurs is refused, listing the values', () => {
    const e = caught(() => encodeTable(table(), { target: 'churned', positive: 'Yes' }));
    expect(e.message).toMatch(
      /the positive value "Yes" \(--positive\) does not occur in the target "churned"; its values are "no" \(4\), "yes" \(2\)/,
    );
  });

  it('an unknown target, id or excluded column is refused, listing the columns', () => {
    const e = caught(() => encodeTable(table(), { target: 'churn', positive: 'yes', file: 'c.csv' }));
    expect(e.message).toMatch(
      /^c\.csv, field churn: the column "churn" \(--target\) is not in the table; available columns: "id", "age",/,
    );
    expect(e.details?.field).toBe('churn');
    expect(() => encodeTable(table(), { target: 'churned', positive: 'yes', exclude: ['nope'] })).toThrow(
      /"nope" \(--exclude\)/,
    );
  });

  it('numeric targets match the positive value as a number; blank targets are left out with a warning', () => {
    const cols: TableColumn[] = [
      { name: 'a', values: [1, 2, 3, 4] },
      { name: 'y', values: [1, 0, null, 1] },
    ];
    const r = encodeTable(cols, { target: 'y', positive: '1.0' });
    expect(Array.from(r.dataset.y)).toEqual([1, 0, 1]);
    expect(Array.from(r.rows)).toEqual([0, 1, 3]);
    expect(r.warnings).toContain('1 rows with a blank target "y" were left out');
  });

  it('columnReasons sums a column’s features and phrases the strongest', () => {
    const r = encodeTable(table(), { target: 'churned', positive: 'yes', idColumn: 'id' });
    const f = r.dataset.features;
    const c = new Float64Array(f.length);
    c[f.indexOf('plan=pro')] = 0.7;
    c[f.indexOf('plan:missing')] = -0.2;
    c[f.indexOf('age:missing')] = 0.4;
    c[f.indexOf('spend')] = -0.1;
    const raw: Record<string, unknown> = { plan: 'pro', age: '', spend: 2 };
    const reasons = columnReasons(r.encoder, c, (col) => raw[col]);
    expect(reasons.map((x) => x.text)).toEqual([
      'plan = pro raises risk',
      'age is blank raises risk',
      'spend = 2 lowers risk',
    ]);
    expect(reasons[0]!.contribution).toBeCloseTo(0.5, 12);
  });
});
