import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { AppError } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXesTimestamp, type ReadXesOptions, readXes, type XesEvent } from './xes.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const logs = join(here, '../../../../../../shared/data/eventlogs');
const RUNNING = join(logs, 'running-example.xes');
const RECEIPT = join(logs, 'receipt.xes');
const ROAD = join(logs, 'roadtraffic100traces.xes');

async function readAll(path: string, opts?: ReadXesOptions): Promise<XesEvent[]> {
  const out: XesEvent[] = [];
  for await (const batch of readXes(path, opts)) out.push(...batch);
  return out;
}

/** The AppError a read throws (fails the test if it does not throw one). */
async function readError(path: string, opts?: ReadXesOptions): Promise<AppError> {
  try {
    await readAll(path, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`expected ${path} to be refused`);
}

function byCase(events: XesEvent[]): Map<string, XesEvent[]> {
  const m = new Map<string, XesEvent[]>();
  for (const e of events) {
    const list = m.get(e.caseId) ?? [];
    list.push(e);
    m.set(e.caseId, list);
  }
  return m;
}

/** Events of each case in timestamp order, ties in file order (a stable sort, as PM4Py does). */
function ordered(events: XesEvent[]): Map<string, XesEvent[]> {
  const m = byCase(events);
  for (const list of m.values()) list.sort((a, b) => a.ts - b.ts || a.ordinal - b.ordinal);
  return m;
}

interface Reference {
  n_events: number;
  n_cases: number;
  activities: { name: string; count: number }[];
  variants: { activities: string[]; count: number }[];
  case_duration_seconds_by_case: Record<string, number>;
}
const reference = (file: string): Reference =>
  JSON.parse(readFileSync(join(logs, file), 'utf8')) as Reference;

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'cx-xes-test-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('parseXesTimestamp', () => {
  it('turns an offset into the true UTC instant', () => {
    expect(parseXesTimestamp('2010-12-30T14:32:00.000+01:00')).toBe(Date.UTC(2010, 11, 30, 13, 32));
    expect(parseXesTimestamp('2011-10-11T13:45:40.276+02:00')).toBe(Date.UTC(2011, 9, 11, 11, 45, 40, 276));
    expect(parseXesTimestamp('2024-01-01T00:00:00-05:30')).toBe(Date.UTC(2024, 0, 1, 5, 30));
    expect(parseXesTimestamp('2024-01-01T00:00:00+0530')).toBe(Date.UTC(2023, 11, 31, 18, 30));
    expect(parseXesTimestamp('2024-01-01T00:00:00+05')).toBe(Date.UTC(2023, 11, 31, 19));
  });

  it('reads Z, no offset (UTC), no seconds, a date alone and a space separator', () => {
    expect(parseXesTimestamp('2024-02-29T23:59:59Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseXesTimestamp('2024-02-29T23:59:59')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseXesTimestamp('2024-02-29T23:59')).toBe(Date.UTC(2024, 1, 29, 23, 59));
    expect(parseXesTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseXesTimestamp('2011-10-11 13:45:40.276000+02:00')).toBe(
      Date.UTC(2011, 9, 11, 11, 45, 40, 276),
    );
    expect(parseXesTimestamp('2024-01-01T24:00:00Z')).toBe(Date.UTC(2024, 0, 2));
  });

  it('reads 1 to 9 fraction digits, truncated to milliseconds', () => {
    const base = Date.UTC(2024, 5, 1, 12, 0, 0);
    expect(parseXesTimestamp('2024-06-01T12:00:00.5Z')).toBe(base + 500);
    expect(parseXesTimestamp('2024-06-01T12:00:00.05Z')).toBe(base + 50);
    expect(parseXesTimestamp('2024-06-01T12:00:00.123Z')).toBe(base + 123);
    expect(parseXesTimestamp('2024-06-01T12:00:00.1239Z')).toBe(base + 123);
    expect(parseXesTimestamp('2024-06-01T12:00:00.123456789Z')).toBe(base + 123);
    expect(parseXesTimestamp('2024-06-01T12:00:00,25Z')).toBe(base + 250);
  });

  it('refuses what is not a valid date-time', () => {
    for (const bad of [
      '',
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-04-31',
      '2024-01-01T25:00:00Z',
      '2024-01-01T24:00:01Z',
      '2024-01-01T10:60:00Z',
      '2024-01-01T10:00:60Z',
      '2024-01-01T10:00:00.Z',
      '2024-01-01T10:00:00.1234567890Z',
      '2024-01-01T10:00:00+1',
      '2024-01-01T10:00:00+01:0',
      '2024-01-01T10:00:00ZZ',
      '2024-01-01X10:00:00Z',
      '24-01-01T10:00:00Z',
      '2024/01/01',
    ]) {
      expect(parseXesTimestamp(bad), bad).toBeNaN();
    }
  });

  it('agrees with Date.parse on random ISO date-times with offsets', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const p2 = (n: number) => String(n).padStart(2, '0');
    for (let k = 0; k < 2000; k++) {
      const y = 1900 + rand(250);
      const mo = 1 + rand(12);
      const d = 1 + rand(28);
      const off = rand(3) === 0 ? 'Z' : `${rand(2) ? '+' : '-'}${p2(rand(15))}:${p2(rand(4) * 15)}`;
      const s = `${y}-${p2(mo)}-${p2(d)}T${p2(rand(24))}:${p2(rand(60))}:${p2(rand(60))}.${String(rand(1000)).padStart(3, '0')}${off}`;
      expect(parseXesTimestamp(s), s).toBe(Date.parse(s));
    }
  });
});

describe('readXes on the reference logs', () => {
  it('running-example.xes: 42 events in 6 cases, true UTC instants', async () => {
    const events = await readAll(RUNNING);
    expect(events).toHaveLength(42);
    const cases = byCase(events);
    expect([...cases.keys()].sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(new Set(events.map((e) => e.activity)).size).toBe(8);
    const first = cases.get('3')![0]!;
    expect(first).toMatchObject({
      caseId: '3',
      activity: 'register request',
      ts: Date.UTC(2010, 11, 30, 13, 32),
      lifecycle: null,
      resource: 'Pete',
      attributes: { Activity: 'register request', Resource: 'Pete', Costs: '50' },
      caseAttributes: { creator: 'Fluxicon Nitro' },
      line: 23,
      ordinal: 0,
    });
    expect(new Date(first.ts).toISOString()).toBe('2010-12-30T13:32:00.000Z');
    expect(events.map((e) => e.ordinal)).toEqual(events.map((_, i) => i));
    // The log-level <global> declares concept:name "name"; it must not leak into events.
    expect(events.some((e) => e.activity === 'name' || e.caseId === 'name')).toBe(false);
  });

  it('receipt.xes: 8,577 events, 1,434 cases, 27 activities, durations as the tz-correct reference', async () => {
    const ref = reference('receipt.xes.pm4py-tz.json');
    const events = await readAll(RECEIPT);
    expect(events).toHaveLength(8577);
    const cases = ordered(events);
    expect(cases.size).toBe(1434);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.activity, (counts.get(e.activity) ?? 0) + 1);
    expect(counts.size).toBe(27);
    expect(Object.fromEntries(counts)).toEqual(
      Object.fromEntries(ref.activities.map((a) => [a.name, a.count])),
    );
    for (const [id, list] of cases) {
      const seconds = (list[list.length - 1]!.ts - list[0]!.ts) / 1000;
      expect(Math.abs(seconds - ref.case_duration_seconds_by_case[id]!), id).toBeLessThanOrEqual(0.001);
    }
    const first = events[0]!;
    expect(first).toMatchObject({
      caseId: 'case-10011',
      activity: 'Confirmation of receipt',
      ts: Date.UTC(2011, 9, 11, 11, 45, 40, 276),
      lifecycle: 'complete',
      resource: 'Resource21',
      attributes: { 'org:group': 'Group 1', 'concept:instance': 'task-42933' },
      line: 1807,
    });
    expect(first.caseAttributes).toEqual({
      startdate: '2011-10-11T13:42:22.688+02:00',
      responsible: 'Resource21',
      enddate_planned: '2011-12-06T13:41:31.788+01:00',
      department: 'General',
      group: 'Group 2',
      deadline: '2011-12-06T13:41:31.788+01:00',
      channel: 'Internet',
    });
    // Nested meta attributes before the first trace (e.g. Resource14 under a meta float) are skipped.
    expect(events.some((e) => 'Resource14' in e.attributes || 'Resource14' in e.caseAttributes)).toBe(false);
  });

  it('roadtraffic100traces.xes: 390 events, 100 cases, ties keep file order, typed attributes', async () => {
    const ref = reference('roadtraffic100traces.xes.pm4py-tz.json');
    const events = await readAll(ROAD);
    expect(events).toHaveLength(390);
    const cases = ordered(events);
    expect(cases.size).toBe(100);
    // Variants depend on the order of equal timestamps (12 ties in this log): file order wins.
    const variants = new Map<string, number>();
    for (const list of cases.values()) {
      const k = JSON.stringify(list.map((e) => e.activity));
      variants.set(k, (variants.get(k) ?? 0) + 1);
    }
    expect(Object.fromEntries(variants)).toEqual(
      Object.fromEntries(ref.variants.map((v) => [JSON.stringify(v.activities), v.count])),
    );
    let ties = 0;
    for (const list of cases.values()) {
      for (let i = 1; i < list.length; i++) {
        if (list[i]!.ts === list[i - 1]!.ts) {
          ties++;
          expect(list[i]!.ordinal).toBeGreaterThan(list[i - 1]!.ordinal);
          expect(list[i]!.line).toBeGreaterThan(list[i - 1]!.line);
        }
      }
    }
    expect(ties).toBe(12);
    for (const [id, list] of cases) {
      const seconds = (list[list.length - 1]!.ts - list[0]!.ts) / 1000;
      expect(seconds, id).toBe(ref.case_duration_seconds_by_case[id]);
    }
    const first = cases.get('N77802')![0]!;
    // A local midnight at +01:00 is 23:00 UTC of the day before.
    expect(new Date(first.ts).toISOString()).toBe('2005-03-22T23:00:00.000Z');
    expect(first.attributes).toEqual({
      amount: 35,
      dismissal: 'NIL',
      vehicleClass: 'A',
      totalPaymentAmount: 0,
      article: 157,
      points: 0,
    });
    expect(events.filter((e) => e.resource === null)).toHaveLength(290);
  });

  it('gives the same events whatever the chunk size (tags and characters split across reads)', async () => {
    const whole = await readAll(RECEIPT);
    expect(await readAll(RECEIPT, { readSize: 509 })).toEqual(whole);
    const small = await readAll(RUNNING);
    expect(await readAll(RUNNING, { readSize: 1 })).toEqual(small);
    const entities = await readAll(join(fixtures, 'entities.xes'));
    expect(await readAll(join(fixtures, 'entities.xes'), { readSize: 1 })).toEqual(entities);
  });

  it('yields batches of at most batchSize, in file order', async () => {
    const sizes: number[] = [];
    const ordinals: number[] = [];
    for await (const batch of readXes(RUNNING, { batchSize: 10 })) {
      sizes.push(batch.length);
      ordinals.push(...batch.map((e) => e.ordinal));
    }
    expect(sizes).toEqual([10, 10, 10, 10, 2]);
    expect(ordinals).toEqual([...Array(42).keys()]);
  });

  it('reads gzip by its magic bytes, whatever the file name', async () => {
    const plain = await readAll(RUNNING);
    const gz = gzipSync(readFileSync(RUNNING));
    const named = join(tmp, 'running-example.xes.gz');
    const misnamed = join(tmp, 'running-example-really-gzip.xes');
    writeFileSync(named, gz);
    writeFileSync(misnamed, gz);
    expect(await readAll(named)).toEqual(plain);
    expect(await readAll(misnamed, { readSize: 100 })).toEqual(plain);
  });

  it('stops reading when the consumer stops early', async () => {
    let batches = 0;
    for await (const batch of readXes(RECEIPT, { batchSize: 100 })) {
      expect(batch).toHaveLength(100);
      if (++batches === 3) break;
    }
    expect(batches).toBe(3);
  });

  it('reads a UTF-8 file with a byte-order mark, and gzip in tiny reads', async () => {
    const plain = await readAll(RUNNING);
    const bom = join(tmp, 'bom.xes');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(RUNNING)]));
    expect(await readAll(bom)).toEqual(plain);
    const gz = join(tmp, 'tiny-reads.xes.gz');
    writeFileSync(gz, gzipSync(readFileSync(RUNNING)));
    expect(await readAll(gz, { readSize: 1 })).toEqual(plain);
  });

  it('reports progress in bytes of the file on disk', async () => {
    const seen: [number, number][] = [];
    await readAll(RUNNING, { readSize: 4096, onProgress: (b, t) => seen.push([b, t]) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1]).toEqual([15891, 15891]);
  });
});

describe('readXes on hand-made files', () => {
  it('decodes entities, both quote styles, and skips comments, log-level and nested attributes', async () => {
    const events = await readAll(join(fixtures, 'entities.xes'));
    expect(events).toHaveLength(4);
    const [a, b, c, d] = events as [XesEvent, XesEvent, XesEvent, XesEvent];
    expect(a.caseId).toBe('Case <1> & "co"');
    expect(a.caseAttributes).toEqual({ channel: "web 'shop'", vip: true });
    expect(a.activity).toBe('Café éclair 😀');
    expect(a.ts).toBe(Date.UTC(2024, 2, 31, 1, 59, 59, 999));
    expect(a.lifecycle).toBe('complete');
    expect(a.resource).toBe('Zoë > Ann');
    expect(a.attributes).toEqual({
      count: -42,
      amount: 1500,
      paid: false,
      ref: '0a1b',
      due: '2024-04-01T00:00:00+02:00',
      note: 'a > b, tab\tkept',
      parent: 'kept',
    });
    expect(a.line).toBe(23);
    expect(b).toMatchObject({
      caseId: a.caseId,
      activity: 'multi-line tag',
      ts: Date.UTC(2024, 2, 31, 1),
      line: 43,
    });
    expect(b.caseAttributes).toBe(a.caseAttributes);
    // A trace that names its case only after its events still gets the case id.
    expect(c).toMatchObject({
      caseId: 'late',
      activity: 'case named after its event',
      ts: Date.UTC(2024, 0, 1),
    });
    expect(d).toMatchObject({
      caseId: '€ unicode ✓',
      activity: 'ünïcödé',
      ts: Date.UTC(2024, 0, 1, 17, 30, 0, 500),
    });
  });

  it('reads a latin-1 file that declares its encoding', async () => {
    const [e] = await readAll(join(fixtures, 'latin1.xes'));
    expect(e).toMatchObject({ caseId: 'José', activity: 'réclamation' });
  });

  it('refuses a latin-1 file that claims UTF-8, with a hint', async () => {
    const p = join(tmp, 'undeclared-latin1.xes');
    writeFileSync(
      p,
      readFileSync(join(fixtures, 'latin1.xes')).toString('latin1').replace('ISO-8859-1', 'UTF-8'),
      'latin1',
    );
    const err = await readError(p);
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain(p);
    expect(err.message).toMatch(/not valid utf-8.*ISO-8859-1/);
  });
});

describe('readXes refuses bad input, naming file, line and field', () => {
  it('a file truncated in the middle of a trace', async () => {
    const text = readFileSync(RUNNING, 'utf8');
    const cut = text.indexOf('<event>', text.indexOf('<trace>', 5000)) + 200; // inside an event
    const p = join(tmp, 'truncated.xes');
    writeFileSync(p, text.slice(0, cut));
    const lines = text.slice(0, cut).split('\n').length;
    const err = await readError(p);
    expect(err.code).toBe('bad_input');
    expect(err.details).toMatchObject({ file: p, line: lines });
    expect(err.message).toContain(`${p}, line ${lines}`);
    expect(err.message).toMatch(/truncated/);
  });

  it('a file truncated inside a tag, and one cut between traces', async () => {
    const text = readFileSync(RECEIPT, 'utf8');
    const mid = text.indexOf('value="', 2_000_000) + 3;
    const p = join(tmp, 'cut-in-tag.xes');
    writeFileSync(p, text.slice(0, mid));
    const err = await readError(p);
    expect(err.message).toMatch(/ends inside a tag.*truncated/);
    expect(err.details?.line).toBe(text.slice(0, mid).split('\n').length);

    const between = text.lastIndexOf('</trace>') + '</trace>'.length;
    const q = join(tmp, 'cut-between.xes');
    writeFileSync(q, text.slice(0, between));
    expect((await readError(q)).message).toMatch(/ends before <\/log>/);
  });

  it('a truncated or corrupt gzip file', async () => {
    const gz = gzipSync(readFileSync(RECEIPT));
    const p = join(tmp, 'truncated.xes.gz');
    writeFileSync(p, gz.subarray(0, gz.length >> 1));
    const err = await readError(p);
    expect(err.code).toBe('bad_input');
    expect(err.message).toContain(p);
    expect(err.message).toMatch(/gzip/);

    const bad = Buffer.from(gz);
    bad.fill(0x55, 200, 400);
    const q = join(tmp, 'corrupt.xes.gz');
    writeFileSync(q, bad);
    expect((await readError(q)).message).toMatch(/corrupt or truncated gzip/);
  });

  it('an event without time:timestamp', async () => {
    const p = join(fixtures, 'missing-timestamp.xes');
    const err = await readError(p);
    expect(err.details).toMatchObject({ file: p, line: 9, field: 'time:timestamp' });
    expect(err.message).toBe(`${p}, line 9, field time:timestamp: <event> has no time:timestamp`);
  });

  it('an unparseable time:timestamp', async () => {
    const p = join(fixtures, 'bad-timestamp.xes');
    const err = await readError(p);
    expect(err.details).toMatchObject({ file: p, line: 7, field: 'time:timestamp' });
    expect(err.message).toContain('"2024-02-30T00:00:00Z"');
  });

  it('a trace without events (an empty case) contributes no case, as in PM4Py’s event table', async () => {
    const p = join(tmp, 'empty-trace.xes');
    writeFileSync(
      p,
      `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <trace><string key="concept:name" value="empty"/></trace>
  <trace><string key="concept:name" value="c1"/>
    <event><string key="concept:name" value="a"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>
  </trace>
</log>
`,
    );
    const events = await readAll(p);
    expect(events.map((e) => e.caseId)).toEqual(['c1']);
  });

  it('an event without concept:name', async () => {
    const p = join(fixtures, 'missing-activity.xes');
    const err = await readError(p);
    expect(err.details).toMatchObject({ file: p, line: 5, field: 'concept:name' });
  });

  it('malformed XML: a mismatched end tag', async () => {
    const p = join(fixtures, 'mismatched-tag.xes');
    const err = await readError(p);
    expect(err.details).toMatchObject({ file: p, line: 8 });
    expect(err.message).toMatch(/malformed XML: <\/trace> closes <event>/);
  });

  it.each([
    ['an unknown entity', '<string key="concept:name" value="a &nbsp; b"/>', /unknown entity "&nbsp;"/],
    ['a bare ampersand', '<string key="concept:name" value="a & b"/>', /"&" not starting an entity/],
    ['an unclosed quote', '<string key="concept:name" value="a/>', /unclosed quote/],
    ['an unquoted value', '<string key="concept:name" value=a/>', /not quoted/],
    [
      'a bad int',
      '<string key="concept:name" value="a"/><int key="n" value="1.5"/>',
      /"1.5" is not an integer/,
    ],
    [
      'a bad boolean',
      '<string key="concept:name" value="a"/><boolean key="b" value="yes"/>',
      /not true or false/,
    ],
  ])('malformed XML: %s', async (_name, attr, pattern) => {
    const p = join(tmp, 'malformed.xes');
    writeFileSync(
      p,
      `<?xml version="1.0"?>\n<log>\n<trace>\n<string key="concept:name" value="c"/>\n<event>\n${attr}\n<date key="time:timestamp" value="2024-01-01T00:00:00Z"/>\n</event>\n</trace>\n</log>\n`,
    );
    const err = await readError(p);
    expect(err.code).toBe('bad_input');
    expect(err.message).toMatch(pattern);
    expect(err.details).toMatchObject({ file: p, line: 6 });
  });

  it('a trace without concept:name, an event outside a trace, and a file that is not XES', async () => {
    const p = join(tmp, 'odd.xes');
    writeFileSync(
      p,
      '<log>\n<trace>\n<event><string key="concept:name" value="a"/><date key="time:timestamp" value="2024-01-01"/></event>\n</trace>\n</log>',
    );
    expect((await readError(p)).details).toMatchObject({ line: 2, field: 'concept:name' });
    writeFileSync(p, '<log>\n<event><string key="concept:name" value="a"/></event>\n</log>');
    expect((await readError(p)).message).toMatch(/line 2: <event> outside a <trace>/);
    writeFileSync(p, '<?xml version="1.0"?>\n<html><body/></html>');
    expect((await readError(p)).message).toMatch(/not an XES file/);
    writeFileSync(p, '');
    expect((await readError(p)).message).toMatch(/no <log> element/);
  });

  it('a missing file', async () => {
    const err = await readError(join(tmp, 'nope.xes'), { fileLabel: 'nope.xes' });
    expect(err.message).toBe('nope.xes: file not found');
  });
});
