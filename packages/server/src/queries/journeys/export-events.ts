import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { DataScope } from '@cx/core';
import { type Db, eventsCte, type JourneyOptions } from './options.ts';

/**
 * Export of a slice of the journeys (issue 4 §8) so that a user can continue in PM4Py, ProM, Disco or
 * Celonis. Both formats use the XES standard names that those tools pick up without a mapping:
 * `case:concept:name`, `concept:name`, `time:timestamp`, `lifecycle:transition`, `org:resource`.
 * The slice is whatever `eventsCte` yields for the scope, filter and case notion, in trace order
 * (ts, then file order), so an export re-imported and discovered gives the same numbers.
 */
export interface ExportSummary {
  path: string;
  format: 'csv' | 'xes';
  cases: number;
  events: number;
}

/** Our columns beyond the standard ones, written as `cx:<name>` attributes / columns. */
const EXTRA = ['customer_id', 'channel', 'journey', 'touchpoint', 'source_system'] as const;

function exportSelect(scope: DataScope, opts: JourneyOptions) {
  // Export always names activities by their name alone: the lifecycle travels in its own attribute.
  const ev = eventsCte(scope, { ...opts, classifier: 'name' });
  return {
    sql: `with ev as (${ev.sql})
          select case_id, ord, activity, ts, lifecycle, resource, ${EXTRA.join(', ')} from ev`,
    params: ev.params,
  };
}

/** CSV through DuckDB's own writer (COPY): a million events take about a second. */
export async function exportEventsCsv(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  path: string,
): Promise<ExportSummary> {
  const q = exportSelect(scope, opts);
  const cols = [
    'case_id as "case:concept:name"',
    'activity as "concept:name"',
    `strftime(ts at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') as "time:timestamp"`,
    'lifecycle as "lifecycle:transition"',
    'resource as "org:resource"',
    ...EXTRA.map((c) => `${c} as "cx:${c}"`),
  ];
  const literal = `'${path.replace(/'/g, "''")}'`;
  await db.all(
    `copy (select ${cols.join(', ')} from (${q.sql}) x order by case_id, ts, ord) to ${literal} (format csv, header true)`,
    q.params,
  );
  return { path, format: 'csv', ...(await countSlice(db, scope, opts)) };
}

async function countSlice(db: Db, scope: DataScope, opts: JourneyOptions) {
  const ev = eventsCte(scope, { ...opts, classifier: 'name' });
  const [r] = await db.all<{ cases: number; events: number }>(
    `with ev as (${ev.sql}) select count(distinct case_id) as cases, count(*) as events from ev`,
    ev.params,
  );
  return { cases: Number(r?.cases ?? 0), events: Number(r?.events ?? 0) };
}

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
/** XML attribute value; characters XML 1.0 forbids (most C0 controls) are dropped. */
export function xmlAttr(v: string): string {
  return (
    v
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
      .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)
  );
}

const str = (key: string, value: string | null | undefined, indent: string): string =>
  value === null || value === undefined
    ? ''
    : `${indent}<string key="${xmlAttr(key)}" value="${xmlAttr(value)}"/>\n`;

const XES_HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xes.features="nested-attributes" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00.000+00:00"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <classifier name="Activity and lifecycle" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="CX Cockpit export"/>
`;

interface ExportRow {
  case_id: string;
  activity: string;
  ts: string;
  lifecycle: string | null;
  resource: string | null;
  customer_id: string | null;
  channel: string | null;
  journey: string | null;
  touchpoint: string | null;
  source_system: string | null;
}

/**
 * XES, streamed: cases are read in pages of `pageCases` (keyset pagination on case_id), so memory
 * stays flat however large the slice. The timestamps are written in UTC with milliseconds.
 */
export async function exportEventsXes(
  db: Db,
  scope: DataScope,
  opts: JourneyOptions,
  path: string,
  options: { pageCases?: number; onProgress?: (events: number) => void } = {},
): Promise<ExportSummary> {
  const pageCases = options.pageCases ?? 20_000;
  const q = exportSelect(scope, opts);
  const out = createWriteStream(path, { encoding: 'utf8' });
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  let cases = 0;
  let events = 0;
  try {
    await write(XES_HEADER);
    let after: string | null = null;
    for (;;) {
      const rows: ExportRow[] = await db.all<ExportRow>(
        `with x as (${q.sql}),
              page as (select distinct case_id from x where ? is null or case_id > ? order by case_id limit ${pageCases})
         select x.* exclude (ord) from x join page using (case_id) order by case_id, ts, ord`,
        [...q.params, after, after],
      );
      if (rows.length === 0) break;
      let chunk = '';
      let current: string | null = null;
      for (const r of rows) {
        if (r.case_id !== current) {
          if (current !== null) chunk += '  </trace>\n';
          current = r.case_id;
          cases++;
          chunk += `  <trace>\n${str('concept:name', r.case_id, '    ')}`;
        }
        events++;
        chunk += `    <event>\n${str('concept:name', r.activity, '      ')}      <date key="time:timestamp" value="${r.ts}"/>\n`;
        chunk +=
          str('lifecycle:transition', r.lifecycle, '      ') + str('org:resource', r.resource, '      ');
        for (const c of EXTRA) chunk += str(`cx:${c}`, r[c], '      ');
        chunk += '    </event>\n';
      }
      chunk += '  </trace>\n';
      await write(chunk);
      after = current;
      options.onProgress?.(events);
    }
    await write('</log>\n');
  } finally {
    out.end();
    await once(out, 'close');
  }
  return { path, format: 'xes', cases, events };
}
