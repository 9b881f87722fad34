import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { readTable } from './read-table.ts';

const dir = mkdtempSync(join(tmpdir(), 'cx-read-table-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

describe('readTable', () => {
  it('CSV with ";", quotes, CRLF, a BOM and no final newline; numeric decided over all rows', async () => {
    const p = file(
      'bank.csv',
      Buffer.from(
        '\uFEFF"id";"age";"job";"note";"y"\r\n' +
          '"3074457347487777543";56;"house;maid";"said ""no""\r\nthen hung up";"no"\r\n' +
          '"2";;"services";"";"yes"\r\n' +
          '"3";41.5;"unknown";"x";"no"',
      ),
    );
    const t = await readTable(p, { separator: ';', textColumns: ['id'] });
    expect(t.file).toBe('bank.csv');
    expect(t.rows).toBe(3);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'categorical'],
      ['age', 'numeric'],
      ['job', 'categorical'],
      ['note', 'categorical'],
      ['y', 'categorical'],
    ]);
    const col = (n: string) => Array.from(t.columns.find((c) => c.name === n)!.values);
    expect(col('id')).toEqual(['3074457347487777543', '2', '3']); // 19 digits kept exactly
    expect(col('age')).toEqual([56, Number.NaN, 41.5]);
    expect(col('job')).toEqual(['house;maid', 'services', 'unknown']);
    expect(col('note')).toEqual(['said "no"\r\nthen hung up', null, 'x']);
  });

  it('guesses the separator from the header line when none is given', async () => {
    const semi = await readTable(file('semi.csv', '"a";"b,c"\n1;"x,y"\n'));
    expect(semi.columns.map((c) => c.name)).toEqual(['a', 'b,c']);
    const pipe = await readTable(file('pipe.txt', 'a|b|c\n1|2|3\n'));
    expect(pipe.columns).toHaveLength(3);
    const comma = await readTable(file('one.csv', 'a\n1\n'));
    expect(comma.columns.map((c) => c.name)).toEqual(['a']);
  });

  it('one text value makes a column categorical; missing markers do not', async () => {
    const p = file('m.csv', 'a,b,y\n1,1,0\n2,NA,1\n3,x,0\n');
    const t = await readTable(p, { missingMarkers: ['NA'] });
    expect(t.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical', 'numeric']);
    const t2 = await readTable(file('m2.csv', 'a,b\n1,1\n2,NA\n'), { missingMarkers: ['NA'] });
    expect(Array.from(t2.columns[1]!.values)).toEqual([1, Number.NaN]);
  });

  it('reads JSON Lines and Parquet', async () => {
    const j = file(
      't.jsonl',
      '{"id": 1, "plan": "pro", "spend": 3.5}\n\n{"id": 2, "plan": null, "spend": 4}\n',
    );
    const t = await readTable(j);
    expect(t.rows).toBe(2);
    expect(t.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'numeric'],
      ['plan', 'categorical'],
      ['spend', 'numeric'],
    ]);
    expect(Array.from(t.columns[1]!.values)).toEqual(['pro', null]);

    const pq = join(dir, 't.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(
      `copy (select * from (values (1, 'a', true, 2.5), (2, null, false, null)) v(id, plan, active, spend)) to '${pq}' (format parquet)`,
    );
    c.closeSync();
    db.closeSync();
    const tp = await readTable(pq);
    expect(tp.columns.map((x) => [x.name, x.kind])).toEqual([
      ['id', 'numeric'],
      ['plan', 'categorical'],
      ['active', 'categorical'],
      ['spend', 'numeric'],
    ]);
    expect(Array.from(tp.columns[2]!.values)).toEqual(['true', 'false']);
  });

  it('bad files: missing, ragged row (names the line), duplicate header, bad JSON line', async () => {
    await expect(readTable(join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: no such file/);
    await expect(readTable(file('r.csv', 'a,b\n1,2\n"x\ny",3,4\n'))).rejects.toThrow(
      /r\.csv, line 3: the row has 3 fields but the header has 2/,
    );
    await expect(readTable(file('d.csv', 'a,b,a\n1,2,3\n'))).rejects.toThrow(
      /d\.csv, line 1, field a: the header names the column "a" twice/,
    );
    await expect(readTable(file('b.jsonl', '{"a":1}\n{"a":\n'))).rejects.toThrow(
      /b\.jsonl, line 2: not valid JSON/,
    );
  });
});
