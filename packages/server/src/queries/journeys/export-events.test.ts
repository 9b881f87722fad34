import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNRESTRICTED } from '@cx/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../ingestion/import/import-file.ts';
import { openStores } from '../../stores.ts';
import { discover } from './discover.ts';
import { exportEventsCsv, exportEventsXes, xmlAttr } from './export-events.ts';

const LOGS = join(import.meta.dirname, '../../../../../../shared/data/eventlogs');
const dir = mkdtempSync(join(tmpdir(), 'cx-export-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Floating-point sums depend on the order DuckDB's threads add them in, so seconds are compared within
 * 1e-9 relative (far inside the golden tests' 1e-6); counts, names and order stay exact.
 */
function expectSameDiscovery(actual: unknown, expected: unknown, at = 'result'): void {
  if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
    expect(Math.abs(actual - expected), at).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
  } else if (expected && typeof expected === 'object') {
    expect(Object.keys(actual as object), at).toEqual(Object.keys(expected));
    for (const [k, v] of Object.entries(expected))
      expectSameDiscovery((actual as Record<string, unknown>)[k], v, `${at}.${k}`);
  } else {
    expect(actual, at).toEqual(expected);
  }
}

/** Imports `path`, discovers, and closes the store. */
async function discoverFile(path: string) {
  const s = await openStores('memory');
  try {
    await importFile(s.warehouse, { path });
    return await discover(s.warehouse, UNRESTRICTED);
  } finally {
    await s.close();
  }
}

describe('journey export', () => {
  it.each(['running-example.xes', 'receipt.xes'])(
    'exports %s as XES and CSV that re-import to the same discovery',
    async (log) => {
      const original = await discoverFile(join(LOGS, log));
      const s = await openStores('memory');
      try {
        await importFile(s.warehouse, { path: join(LOGS, log) });
        const xes = join(dir, `${log}.out.xes`);
        const csv = join(dir, `${log}.out.csv`);
        // Small pages, so that the keyset pagination across pages is exercised.
        const x = await exportEventsXes(s.warehouse, UNRESTRICTED, {}, xes, { pageCases: 7 });
        const c = await exportEventsCsv(s.warehouse, UNRESTRICTED, {}, csv);
        expect(x).toMatchObject({ cases: original.cases, events: original.events });
        expect(c).toMatchObject({ cases: original.cases, events: original.events });
        expectSameDiscovery(await discoverFile(xes), original);
        expectSameDiscovery(await discoverFile(csv), original);
      } finally {
        await s.close();
      }
    },
  );

  it('exports only the filtered slice, and escapes XML', async () => {
    const s = await openStores('memory');
    try {
      await s.warehouse.append(
        'events',
        ['event_id', 'case_id', 'ts', 'activity', 'channel', 'load_id'],
        [
          ['1', 'c1', Date.UTC(2024, 0, 1), 'Call <agent> & "hold"', 'call_centre', 'L'],
          ['2', 'c1', Date.UTC(2024, 0, 2), 'Resolved', 'web', 'L'],
          ['3', 'c2', Date.UTC(2024, 0, 3), 'Resolved', 'web', 'L'],
        ],
      );
      const xes = join(dir, 'slice.xes');
      const r = await exportEventsXes(
        s.warehouse,
        UNRESTRICTED,
        { filter: { withActivities: ['Resolved'], caseSize: { min: 2 } } },
        xes,
      );
      expect(r).toMatchObject({ cases: 1, events: 2 });
      const text = readFileSync(xes, 'utf8');
      expect(text).toContain('value="Call &lt;agent&gt; &amp; &quot;hold&quot;"');
      expect(text).toContain('<string key="cx:channel" value="call_centre"/>');
      expect(text).not.toContain('c2');
      const csv = join(dir, 'slice.csv');
      await exportEventsCsv(
        s.warehouse,
        UNRESTRICTED,
        { filter: { withActivities: ['Resolved'], caseSize: { min: 2 } } },
        csv,
      );
      expect(readFileSync(csv, 'utf8').split('\n').slice(0, 2)).toEqual([
        'case:concept:name,concept:name,time:timestamp,lifecycle:transition,org:resource,cx:customer_id,cx:channel,cx:journey,cx:touchpoint,cx:source_system',
        'c1,"Call <agent> & ""hold""",2024-01-01T00:00:00.000000Z,,,,call_centre,,,',
      ]);
    } finally {
      await s.close();
    }
  });

  it('drops the control characters XML 1.0 forbids', () => {
    expect(xmlAttr('a\u0001b\tc\u0000')).toBe('ab\tc');
  });
});
