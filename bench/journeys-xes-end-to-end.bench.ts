import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNRESTRICTED } from '@cx/core';
import { importFile } from '../packages/server/src/ingestion/import/import-file.ts';
import { discover } from '../packages/server/src/queries/journeys/discover.ts';
import { openStores } from '../packages/server/src/stores.ts';
import { withPeakRss, writeResult } from './lib.ts';

/**
 * End to end on a public XES log (issue 4): parse + load into a fresh in-memory warehouse + discover
 * (everything `cxc journeys discover <file>` does), reporting events/s and peak memory.
 *
 * The largest public log available offline is BPI "receipt" (8,577 events, 1,434 cases). To measure
 * at scale without inventing a process, the log is scaled: its traces are written XES_E2E_COPIES
 * times (default 120 → ~1M events), each copy with its own case ids, the events untouched. Each run
 * is a fresh child process so that its peak RSS is its own.
 */
const LOGS = join(import.meta.dirname, '../../shared/data/eventlogs');
const CHILD = process.env.XES_E2E_CHILD;

if (CHILD) {
  const stores = await openStores('memory');
  const t0 = performance.now();
  const run = await withPeakRss(async () => {
    await importFile(stores.warehouse, { path: CHILD });
    return discover(stores.warehouse, UNRESTRICTED);
  });
  const seconds = (performance.now() - t0) / 1000;
  await stores.close();
  const r = run.value;
  process.stdout.write(
    `${JSON.stringify({
      events: r.events,
      cases: r.cases,
      variants: r.variants.length,
      seconds: Number(seconds.toFixed(2)),
      eventsPerSec: Math.round(r.events / seconds),
      peakRssMiB: run.peakRssMiB,
    })}\n`,
  );
  process.exit(0);
}

function inChild(path: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [join(import.meta.dirname, '../bin/run-ts.js'), fileURLToPath(import.meta.url)],
    {
      env: { ...process.env, XES_E2E_CHILD: path },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

/** receipt.xes with its traces repeated `copies` times; copy k renames case X to X#k. */
async function scaled(source: string, copies: number, path: string): Promise<void> {
  const text = readFileSync(source, 'utf8');
  const first = text.indexOf('<trace>');
  const last = text.lastIndexOf('</trace>') + '</trace>'.length;
  const traces = text.slice(first, last).split(/(?<=<\/trace>)/);
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(text.slice(0, first));
  for (let k = 0; k < copies; k++) {
    // The trace's own concept:name comes before its first event.
    await write(
      traces.map((t) => t.replace(/(<string key="concept:name" value=")([^"]*)(")/, `$1$2#${k}$3`)).join(''),
    );
  }
  await write(text.slice(last));
  out.end();
  await once(out, 'close');
}

const dir = mkdtempSync(join(tmpdir(), 'cx-bench-xes-e2e-'));
try {
  const copies = Number(process.env.XES_E2E_COPIES ?? 120);
  const original = join(LOGS, 'receipt.xes');
  const big = join(dir, `receipt-x${copies}.xes`);
  await scaled(original, copies, big);
  const receipt = inChild(original);
  const scaledRun = inChild(big);
  writeResult('journeys-xes-end-to-end', {
    log: 'BPI receipt (public), as is and scaled by repeating its traces',
    receipt: { fileMiB: Number((statSync(original).size / 2 ** 20).toFixed(1)), ...receipt },
    scaled: { copies, fileMiB: Math.round(statSync(big).size / 2 ** 20), ...scaledRun },
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
