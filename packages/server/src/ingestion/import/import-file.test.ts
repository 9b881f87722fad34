import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AppError } from '@cx/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { listLoads, undoLoad } from '../loads.ts';
import { csvBufferSize } from './csv.ts';
import { type ImportOptions, importFile } from './import-file.ts';

const DATA = join(import.meta.dirname, '../../../../../../shared/data');
const LOGS = join(DATA, 'eventlogs');
let dir: string;
let stores: Stores | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-import-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await stores?.close();
  stores = undefined;
});

async function open(): Promise<Stores> {
  stores = await openStores('memory');
  return stores;
}

function write(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** Rows per table plus loads and dead letters: what "the store is unchanged" compares. */
async function snapshot(s: Stores) {
  const [r] = await s.warehouse.all<Record<string, number>>(
    `select (select count(*) from events) as events, (select count(*) from feedback) as feedback,
            (select count(*) from customers) as customers, (select count(*) from loads) as loads,
            (select count(*) from dead_letters) as dead_letters`,
  );
  return r!;
}

/** Runs an import that must be refused; returns its error and checks the store did not change. */
async function refused(s: Stores, opts: ImportOptions): Promise<AppError> {
  const before = await snapshot(s);
  const err = await importFile(s.warehouse, { deadLetterDir: dir, ...opts }).then(
    () => {
      throw new Error('the import was expected to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect(await snapshot(s)).toEqual(before);
  // Nothing left behind in the session either: the next import works.
  return err as AppError;
}

describe('event logs', () => {
  it('imports receipt.xes: 8,577 events in 1,434 cases, offsets honoured', async () => {
    const s = await open();
    const r = await importFile(s.warehouse, { path: join(LOGS, 'receipt.xes') });
    expect(r).toMatchObject({
      kind: 'events',
      format: 'xes',
      rowsRead: 8577,
      rowsStored: 8577,
      rowsDuplicate: 0,
    });
    const [c] = await s.warehouse.all<{ n: number; cases: number; acts: number }>(
      'select count(*) as n, count(distinct case_id) as cases, count(distinct activity) as acts from events',
    );
    expect(c).toEqual({ n: 8577, cases: 1434, acts: 27 });
    // customer = case for process logs; lifecycle and resource in their own columns
    const [e] = await s.warehouse.all<Record<string, string>>(
      'select customer_id, case_id, lifecycle, source_system, properties->>\'$."case:channel"\' as channel from events limit 1',
    );
    expect(e!.customer_id).toBe(e!.case_id);
    expect(e).toMatchObject({ lifecycle: 'complete', source_system: 'receipt.xes' });
    expect(e!.channel).toBeTypeOf('string');
    const again = await importFile(s.warehouse, { path: join(LOGS, 'receipt.xes') });
    expect(again).toMatchObject({ rowsStored: 0, rowsDuplicate: 8577 });
  });

  it('imports a gzip-compressed XES (.xes.gz) the same way', async () => {
    const s = await open();
    const gz = write('running-example.xes.gz', gzipSync(readFileSync(join(LOGS, 'running-example.xes'))));
    expect(await importFile(s.warehouse, { path: gz })).toMatchObject({ format: 'xes', rowsStored: 42 });
    const [c] = await s.warehouse.all<{ cases: number }>(
      'select count(distinct case_id) as cases from events',
    );
    expect(c!.cases).toBe(6);
  });

  it('imports running-example.csv: 42 events in 6 string case ids; the second import stores nothing', async () => {
    const s = await open();
    const first = await importFile(s.warehouse, { path: join(LOGS, 'running-example.csv') });
    expect(first).toMatchObject({ rowsRead: 42, rowsStored: 42, rowsDuplicate: 0, rowsRejected: 0 });
    const cases = await s.warehouse.all<{ case_id: string }>(
      'select distinct case_id from events order by 1',
    );
    expect(cases.map((c) => c.case_id)).toEqual(['1', '2', '3', '4', '5', '6']);
    const second = await importFile(s.warehouse, { path: join(LOGS, 'running-example.csv') });
    expect(second).toMatchObject({ rowsRead: 42, rowsStored: 0, rowsDuplicate: 42 });
    expect(await snapshot(s)).toMatchObject({ events: 42, loads: 2 });
    const loads = await listLoads(s.warehouse);
    expect(loads.map((l) => [l.rows_stored, l.rows_duplicate]).sort()).toEqual([
      [0, 42],
      [42, 0],
    ]);
    expect(loads[0]!.file_sha256).toBe('9adbd697dfb047f657c16391ddfe54cbea89c664e3a5d64c36a110742760c355');
  });

  it('stores receipt.csv (mixed +01:00/+02:00 offsets) as the same instants as receipt.xes', async () => {
    const s = await open();
    await importFile(s.warehouse, { path: join(LOGS, 'receipt.xes') });
    await importFile(s.warehouse, { path: join(LOGS, 'receipt.csv') });
    const [d] = await s.warehouse.all<{ n: number }>(
      `select count(*) as n from (
         (select case_id, activity, ts from events where source_system = 'receipt.xes'
          except all select case_id, activity, ts from events where source_system = 'receipt.csv')
         union all
         (select case_id, activity, ts from events where source_system = 'receipt.csv'
          except all select case_id, activity, ts from events where source_system = 'receipt.xes'))`,
    );
    expect(d!.n).toBe(0);
    const [first] = await s.warehouse.all<{ ts: string }>(
      "select ts from events where source_system = 'receipt.csv' and case_id = 'case-10011' order by ts limit 1",
    );
    // 2011-10-11 13:45:40.276000+02:00 is 11:45:40.276 UTC
    expect(first!.ts).toBe('2011-10-11T11:45:40.276Z');
  });
});

describe('CSV details', () => {
  it('reads a file over 64 MiB with a bigger buffer (whole row groups per batch), in file order', async () => {
    const n = 700_000; // ~104-byte lines: 73 MB
    const lines = ['case_id,activity,ts,seq,pad'];
    const t0 = Date.UTC(2024, 0, 1);
    for (let i = 0; i < n; i++)
      lines.push(`c${i % 1000},a${i % 7},${new Date(t0 + i * 1000).toISOString()},${i},${'x'.repeat(60)}`);
    const p = write('big.csv', `${lines.join('\n')}\n`);
    const size = statSync(p).size;
    // 104 bytes × 122,880 rows × 8 = 102 MB → the next power of two.
    expect(await csvBufferSize(p, size)).toBe(128 * 2 ** 20);
    expect(await csvBufferSize(p, 60 * 2 ** 20)).toBeUndefined();
    const s = await open();
    expect(await importFile(s.warehouse, { path: p })).toMatchObject({ rowsRead: n, rowsStored: n });
    // Stored in file order: the journey index breaks timestamp ties by it.
    const [r] = await s.warehouse.all<{ misplaced: number }>(
      `select count(*) filter (where seq <> rn - 1) as misplaced
       from (select cast(properties->>'seq' as bigint) as seq, row_number() over (order by rowid) as rn from events)`,
    );
    expect(r!.misplaced).toBe(0);
  });

  it('keeps "NA", "null", "N/A" as values, strips a BOM, and handles quotes with CRLF inside', async () => {
    const s = await open();
    const p = write(
      'literal.csv',
      `\uFEFFcase_id,activity,ts,note\r\nNA,null,2024-01-01T10:00:00Z,"line one\r\nline ""two"""\r\nN/A,open,2024-01-01T11:00:00+02:00,\r\n`,
    );
    const r = await importFile(s.warehouse, { path: p });
    expect(r).toMatchObject({ rowsRead: 2, rowsStored: 2, bagColumns: ['note'] });
    const rows = await s.warehouse.all<Record<string, string>>(
      'select case_id, customer_id, activity, ts, properties from events order by ts',
    );
    expect(rows).toEqual([
      {
        case_id: 'N/A',
        customer_id: 'N/A',
        activity: 'open',
        ts: '2024-01-01T09:00:00.000Z',
        properties: '{"note":""}',
      },
      {
        case_id: 'NA',
        customer_id: 'NA',
        activity: 'null',
        ts: '2024-01-01T10:00:00.000Z',
        properties: '{"note":"line one\\r\\nline \\"two\\""}',
      },
    ]);
  });

  it('reads latin-1 with --encoding latin1, and refuses it as UTF-8 with a hint', async () => {
    const s = await open();
    const p = write(
      'latin.csv',
      Buffer.from('case_id,activity,ts\nc1,ok,2024-01-01\nc2,caf\xe9,2024-01-02\n', 'latin1'),
    );
    const err = await refused(s, { path: p });
    expect(err.message).toBe(
      'latin.csv, line 3, field encoding: the file is not valid UTF-8. If it is latin-1 (ISO-8859-1, Windows-1252), read it with --encoding latin1',
    );
    await importFile(s.warehouse, { path: p, encoding: 'latin1' });
    expect(await s.warehouse.all('select activity from events order by ts')).toEqual([
      { activity: 'ok' },
      { activity: 'café' },
    ]);
  });

  it('maps columns by flag, parses a custom timestamp format, and reads TSV', async () => {
    const s = await open();
    const p = write(
      'custom.tsv',
      'Ticket\tStep\tWhen\tAgent\nT-1\topened\t03/02/2024 08:15\tann\nT-1\tclosed\t04/02/2024 09:00\tbob\n',
    );
    const r = await importFile(s.warehouse, {
      path: p,
      map: { case_id: 'Ticket', activity: 'Step', ts: 'When', resource: 'Agent' },
      timestampFormat: '%d/%m/%Y %H:%M',
      sourceSystem: 'helpdesk',
    });
    expect(r).toMatchObject({ format: 'tsv', rowsStored: 2, bagColumns: [] });
    expect(
      await s.warehouse.all('select case_id, activity, ts, resource, source_system from events order by ts'),
    ).toEqual([
      {
        case_id: 'T-1',
        activity: 'opened',
        ts: '2024-02-03T08:15:00.000Z',
        resource: 'ann',
        source_system: 'helpdesk',
      },
      {
        case_id: 'T-1',
        activity: 'closed',
        ts: '2024-02-04T09:00:00.000Z',
        resource: 'bob',
        source_system: 'helpdesk',
      },
    ]);
  });

  it('imports JSONL and Parquet through the same mapping and validation', async () => {
    const s = await open();
    const jl = write(
      'fb.jsonl',
      '{"user":3074457347487777543,"score":9,"text":"great","at":"2024-03-01T10:00:00+01:00"}\n\n{"user":"u2","score":"3","text":null,"at":"2024-03-02"}\n',
    );
    const r = await importFile(s.warehouse, {
      path: jl,
      kind: 'feedback',
      map: { customer_id: 'user', nps: 'score', comment: 'text', ts: 'at' },
    });
    expect(r).toMatchObject({ format: 'jsonl', rowsRead: 2, rowsStored: 2 });
    expect(await s.warehouse.all('select customer_id, nps, comment, ts from feedback order by ts')).toEqual([
      { customer_id: '3074457347487777543', nps: 9, comment: 'great', ts: '2024-03-01T09:00:00.000Z' },
      { customer_id: 'u2', nps: 3, comment: null, ts: '2024-03-02T00:00:00.000Z' },
    ]);
    const pq = join(dir, 'ev.parquet');
    await s.warehouse.run(
      `copy (select 'c' || (i % 3) as case_id, 'step ' || i as activity, timestamptz '2024-01-01 00:00:00+00' + to_minutes(i) as ts,
                    i * 1.5 as value, i as n from range(10) t(i)) to '${pq}' (format parquet)`,
    );
    const p = await importFile(s.warehouse, { path: pq });
    expect(p).toMatchObject({ format: 'parquet', rowsRead: 10, rowsStored: 10, bagColumns: ['n'] });
    expect(
      await s.warehouse.all("select case_id, ts, value, properties from events where activity = 'step 3'"),
    ).toEqual([{ case_id: 'c0', ts: '2024-01-01T00:03:00.000Z', value: 4.5, properties: '{"n":3}' }]);
  });

  it('keeps exact duplicate rows (occurrence-numbered derived keys) and still stores nothing twice', async () => {
    const s = await open();
    const p = write(
      'dups.csv',
      'user_id,text,NPS_Score\n3074457347487777543,same,10\n3074457347487777543,same,10\n3074457347487777543,other,3\n',
    );
    const opts = {
      path: p,
      kind: 'feedback' as const,
      map: { customer_id: 'user_id', comment: 'text', nps: 'NPS_Score' },
    };
    expect(await importFile(s.warehouse, opts)).toMatchObject({ rowsStored: 3, rowsDuplicate: 0 });
    expect(await importFile(s.warehouse, opts)).toMatchObject({ rowsStored: 0, rowsDuplicate: 3 });
  });

  it('gives a row the same key on the single-pass and the staged path, so overlapping files dedupe', async () => {
    const s = await open();
    const header = 'case_id,activity,ts\n';
    const rows = ['c1,a,2024-01-01T00:00:00Z', 'c1,b,2024-01-01T00:01:00Z', 'c2,a,2024-01-01T00:02:00Z'];
    // The source system is part of a row's identity (it defaults to the file name), so it is fixed.
    // No repeats: the single pass stores it.
    const first = await importFile(s.warehouse, {
      path: write('first.csv', `${header}${rows.join('\n')}\n`),
      sourceSystem: 'crm',
    });
    expect(first).toMatchObject({ rowsRead: 3, rowsStored: 3, rowsDuplicate: 0 });
    // An exact repeat inside the file forces the staged path (occurrence numbers); its first
    // occurrences must match the rows stored above, its second occurrence and the new row are new.
    const second = write(
      'second.csv',
      `${header}${[...rows, rows[0], 'c3,a,2024-01-01T00:03:00Z'].join('\n')}\n`,
    );
    expect(await importFile(s.warehouse, { path: second, sourceSystem: 'crm' })).toMatchObject({
      rowsRead: 5,
      rowsStored: 2,
      rowsDuplicate: 3,
    });
    // A file overlapping the stored rows without repeats goes the single pass, with its anti-join.
    const third = write('third.csv', `${header}${rows[1]}\nc4,z,2024-01-02T00:00:00Z\n`);
    expect(await importFile(s.warehouse, { path: third, sourceSystem: 'crm' })).toMatchObject({
      rowsRead: 2,
      rowsStored: 1,
      rowsDuplicate: 1,
    });
    const [n] = await s.warehouse.all<{ n: number; ids: number }>(
      'select count(*) as n, count(distinct event_id) as ids from events',
    );
    expect(n).toEqual({ n: 6, ids: 6 });
  });

  it('enriches imported comments: PII redacted, language, sentiment and themes stored', async () => {
    const s = await open();
    const p = write(
      'comments.csv',
      'id,text,score\n1,"Had to call three times, nobody called back. Call me on +44 20 7946 0958",1\n2,Not bad at all,9\n',
    );
    await importFile(s.warehouse, {
      path: p,
      kind: 'feedback',
      map: { response_id: 'id', comment: 'text', nps: 'score' },
    });
    expect(
      await s.warehouse.all('select response_id, comment, language, sentiment from feedback order by 1'),
    ).toEqual([
      {
        response_id: '1',
        comment: 'Had to call three times, nobody called back. Call me on [phone]',
        language: 'en',
        sentiment: 'negative',
      },
      { response_id: '2', comment: 'Not bad at all', language: 'en', sentiment: 'positive' },
    ]);
  });

  it('validates the mapping before reading rows', async () => {
    const s = await open();
    const p = write('m.csv', 'Case,Act,When\n1,a,2024-01-01\n');
    expect(
      (await refused(s, { path: p, map: { case_id: 'Case', activity: 'Activity', ts: 'When' } })).message,
    ).toBe(
      'm.csv, field Activity: the mapping (--map) maps activity to the column "Activity", which is not in the file; its columns are "Case", "Act", "When"',
    );
    expect((await refused(s, { path: p, map: { case_id: 'Case', activity: 'Act' } })).message).toMatch(
      /^m\.csv, field ts: no source for the required events column ts; map it \(--map ts=<column>\)/,
    );
    expect(
      (await refused(s, { path: p, map: { case_id: 'Case', activity: 'Act', ts: 'When', colour: 'Act' } }))
        .message,
    ).toMatch(/^--map, field colour: events has no column "colour"/);
    const mf = write('bad-mapping.json', JSON.stringify({ kind: 'events', columns: { ts: 5 } }));
    expect((await refused(s, { path: p, mapping: mf })).message).toMatch(
      /^bad-mapping\.json, field columns\.ts: /,
    );
    const mf2 = write('bad-kind.json', JSON.stringify({ kind: 'tickets' }));
    expect((await refused(s, { path: p, mapping: mf2 })).message).toMatch(/^bad-kind\.json, field kind: /);
  });
});

describe('refusals leave the store unchanged', () => {
  it('names the line of a row with the wrong column count (lines, not records)', async () => {
    const s = await open();
    await importFile(s.warehouse, { path: join(LOGS, 'running-example.csv') });
    const p = write(
      'cols.csv',
      'case_id,activity,ts\nc1,"two\nlines",2024-01-01\nc1,b,2024-01-02\nc1,c,2024-01-03,extra\n',
    );
    expect((await refused(s, { path: p })).message).toBe(
      'cols.csv, line 5: the row has 4 fields but the header has 3 (check the separator and the quoting on this line)',
    );
  });

  it('names line and field of an unparseable timestamp', async () => {
    const s = await open();
    const p = write(
      'running.csv',
      'case:concept:name,concept:name,time:timestamp\n1,a,2024-01-01 10:00:00+01:00\n1,"b\nc",2024-01-01\n1,d,yesterday\n',
    );
    expect((await refused(s, { path: p })).message).toBe(
      'running.csv, line 5, field time:timestamp: cannot parse "yesterday" as a timestamp',
    );
  });

  it('reports an empty required cell and a score out of range', async () => {
    const s = await open();
    const p = write('empty.csv', 'case_id,activity,ts\nc1,a,2024-01-01\nc2,,2024-01-01\n');
    const e = await refused(s, { path: p });
    expect(e.message).toBe('empty.csv, line 3, field activity: a value is required but the cell is empty');
    expect(e.details).toMatchObject({ file: 'empty.csv', line: 3, field: 'activity' });
    const f = write('nps.csv', 'id,score\nr1,9\nr2,11\nr3,NA\n');
    expect(
      (await refused(s, { path: f, kind: 'feedback', map: { response_id: 'id', nps: 'score' } })).message,
    ).toBe(
      'nps.csv, line 3, field score: the value "11" is outside the allowed range 0–10 (1 more invalid row; use --skip-invalid to store the valid rows and set the others aside)',
    );
  });

  it('refuses an unterminated quote and a malformed JSONL line', async () => {
    const s = await open();
    const p = write('q.csv', 'case_id,activity,ts\nc1,"open,2024-01-01\nc1,b,2024-01-02\n');
    expect((await refused(s, { path: p })).message).toBe(
      'q.csv, line 2: a quoted field is never closed (unterminated `"`)',
    );
    const j = write('bad.jsonl', '{"case_id":"c1","activity":"a","ts":"2024-01-01"}\n\n{"case_id": c2}\n');
    expect((await refused(s, { path: j })).message).toMatch(/^bad\.jsonl, line 3: not valid JSON/);
  });

  it('rolls back an import killed half-way (after rows were staged), CSV and XES alike', async () => {
    const s = await open();
    await importFile(s.warehouse, { path: join(LOGS, 'running-example.csv') });
    const kill = () => {
      throw new Error('killed');
    };
    for (const path of [join(LOGS, 'receipt.csv'), join(LOGS, 'receipt.xes')]) {
      const before = await snapshot(s);
      await expect(
        importFile(s.warehouse, { path, onProgress: (done) => done > 0 && kill() }),
      ).rejects.toThrow('killed');
      expect(await snapshot(s)).toEqual(before);
    }
    // The session is clean afterwards.
    expect(await importFile(s.warehouse, { path: join(LOGS, 'receipt.csv') })).toMatchObject({
      rowsStored: 8577,
    });
  });

  it('dry run validates and counts but stores nothing', async () => {
    const s = await open();
    const r = await importFile(s.warehouse, { path: join(LOGS, 'running-example.csv'), dryRun: true });
    expect(r).toMatchObject({ dryRun: true, rowsRead: 42, rowsStored: 42 });
    expect(await snapshot(s)).toMatchObject({ events: 0, loads: 0 });
  });
});

describe('--skip-invalid', () => {
  it('stores the good rows and writes each bad one with its reason to dead_letters and a file', async () => {
    const s = await open();
    const p = write(
      'mixed.csv',
      'case_id,activity,ts\nc1,a,2024-01-01\nc1,"b\nb",yesterday\nc2,,2024-01-02\nc2,d,2024-01-03\n',
    );
    const dl = join(dir, 'dl', 'mixed.jsonl');
    const r = await importFile(s.warehouse, { path: p, skipInvalid: true, deadLetterFile: dl });
    expect(r).toMatchObject({ rowsRead: 4, rowsStored: 2, rowsRejected: 2, deadLetterFile: dl });
    expect(
      await s.warehouse.all(
        'select load_id, source, line, field, reason, raw from dead_letters order by line',
      ),
    ).toEqual([
      {
        load_id: r.loadId,
        source: 'mixed.csv',
        line: 3,
        field: 'ts',
        reason: 'cannot parse "yesterday" as a timestamp',
        raw: '{"case_id":"c1","activity":"b\\nb","ts":"yesterday"}',
      },
      {
        load_id: r.loadId,
        source: 'mixed.csv',
        line: 5,
        field: 'activity',
        reason: 'a value is required but the cell is empty',
        raw: '{"case_id":"c2","activity":"","ts":"2024-01-02"}',
      },
    ]);
    const lines = readFileSync(dl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.line, l.field, l.reason])).toEqual([
      [3, 'ts', 'cannot parse "yesterday" as a timestamp'],
      [5, 'activity', 'a value is required but the cell is empty'],
    ]);
    const [load] = await listLoads(s.warehouse);
    expect(load).toMatchObject({ rows_read: 4, rows_stored: 2, rows_rejected: 2 });
    // Undo removes the load's rows and its dead letters.
    expect((await undoLoad(s.warehouse, r.loadId, new Date())).events).toBe(2);
    expect(await snapshot(s)).toMatchObject({ events: 0, dead_letters: 0 });
  });
});
