import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed.ts';
import { openStores } from '../../stores.ts';
import { openDuckDbWarehouse } from '../../warehouse/duckdb.ts';
import { type DriversOutput, formatDrivers, runDrivers } from './drivers.ts';

const ROOT = join(import.meta.dirname, '../../../../..');
const BA = join(ROOT, '../shared/data/ba_airline_reviews/BA_AirlineReviews.csv');
const CXC = join(ROOT, 'bin/cxc.js');

// R's mtcars (Henderson & Velleman 1981): mpg, cyl, disp, hp, gear.
const MTCARS =
  `21,6,160,110,4;21,6,160,110,4;22.8,4,108,93,4;21.4,6,258,110,3;18.7,8,360,175,3;18.1,6,225,105,3;
14.3,8,360,245,3;24.4,4,146.7,62,4;22.8,4,140.8,95,4;19.2,6,167.6,123,4;17.8,6,167.6,123,4;16.4,8,275.8,180,3;
17.3,8,275.8,180,3;15.2,8,275.8,180,3;10.4,8,472,205,3;10.4,8,460,215,3;14.7,8,440,230,3;32.4,4,78.7,66,4;
30.4,4,75.7,52,4;33.9,4,71.1,65,4;21.5,4,120.1,97,3;15.5,8,318,150,3;15.2,8,304,150,3;13.3,8,350,245,3;
19.2,8,400,175,3;27.3,4,79,66,4;26,4,120.3,91,5;30.4,4,95.1,113,5;15.8,8,351,264,5;19.7,6,145,175,5;
15,8,301,335,5;21.4,4,121,109,4`
    .replace(/\n/g, '')
    .split(';')
    .map((r) => r.split(',').map(Number));
// The rwa README (github.com/martinctc/rwa, "Basic example"): mpg ~ cyl + disp + hp + gear.
const RWA_RAW = { cyl: 0.2284797, disp: 0.2221469, hp: 0.2321744, gear: 0.0963886 };

let dir: string;
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const flags = { target: 'mpg', drivers: 'cyl,disp,hp,gear', resamples: '200', seed: '1' };

async function refused(fn: () => Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

function expectRwa(r: DriversOutput) {
  expect(r.n).toBe(32);
  expect(r.r2).toBeCloseTo(0.7791896, 7);
  for (const w of r.weights) expect(w.raw).toBeCloseTo(RWA_RAW[w.name as keyof typeof RWA_RAW], 7);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cx-drivers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cxc drivers', () => {
  it('reads a CSV and reproduces the published rwa weights, with intervals', async () => {
    const csv = write('cars.csv', `mpg,cyl,disp,hp,gear\n${MTCARS.map((r) => r.join(',')).join('\n')}\n`);
    const r = await runDrivers(csv, flags);
    expectRwa(r);
    expect(r).toMatchObject({ file: 'cars.csv', target: 'mpg', rows: 32, resamples: 200, seed: 1 });
    for (const w of r.weights) expect(w.ci!.low).toBeLessThan(w.ci!.high);
    const text = formatDrivers(r);
    expect(text).toMatch(
      /^Drivers of mpg in cars\.csv: n = 32, R² = 0\.779, 200 bootstrap resamples \(seed 1\)/,
    );
    // Most important first: hp, cyl, disp, gear.
    expect(
      text
        .split('\n')
        .slice(2, 6)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['hp', 'cyl', 'disp', 'gear']);
  });

  it('gives the same answer from TSV, JSON Lines and Parquet', async () => {
    const tsv = write(
      'cars.tsv',
      `gear\tmpg\tcyl\tdisp\thp\n${MTCARS.map((r) => [r[4], ...r.slice(0, 4)].join('\t')).join('\n')}`,
    );
    const jsonl = write(
      'cars.jsonl',
      MTCARS.map((r) =>
        JSON.stringify({ name: 'x', mpg: r[0], cyl: r[1], disp: r[2], hp: r[3], gear: r[4] }),
      ).join('\n'),
    );
    const parquet = join(dir, 'cars.parquet');
    const db = await openDuckDbWarehouse(':memory:');
    try {
      await db.run(
        `copy (select * from read_csv('${join(dir, 'cars.csv')}', header = true)) to '${parquet}' (format parquet)`,
      );
    } finally {
      await db.close();
    }
    for (const f of [tsv, jsonl, parquet]) expectRwa(await runDrivers(f, flags));
  });

  it('leaves out rows with a missing value and says how many', async () => {
    const rows = MTCARS.map((r) => r.join(','));
    rows[2] = '22.8,,108,93,4';
    rows[5] = '18.1,6,225,NA,3';
    const r = await runDrivers(write('gaps.csv', `mpg,cyl,disp,hp,gear\n${rows.join('\n')}\n`), {
      ...flags,
      resamples: '0',
    });
    expect(r).toMatchObject({ n: 30, rows: 32, dropped: 2, resamples: 0 });
    expect(r.warnings[0]).toMatch(/^2 of 32 rows left out/);
  });

  it('a non-numeric value names the file, the real line and the column, even after a multi-line field', async () => {
    const rows = MTCARS.slice(0, 8).map((r, i) => `${r.join(',')},"note ${i}"`);
    rows[1] = `${MTCARS[1]!.join(',')},"two\nlines"`;
    rows[4] = '18.7,8,360,lots,3,""';
    const p = write('bad.csv', `mpg,cyl,disp,hp,gear,note\n${rows.join('\n')}\n`);
    const e = await refused(() => runDrivers(p, flags));
    expect(e.message).toBe(
      'bad.csv, line 7, field hp: "lots" is not a number; the driver and target columns must hold numbers (a blank cell, NA or null is a missing value)',
    );
  });

  it('an unknown column is named and the columns are listed', async () => {
    const e = await refused(() => runDrivers(join(dir, 'cars.csv'), { ...flags, drivers: 'cyl,weight' }));
    expect(e.message).toBe(
      'cars.csv, field weight: the driver column "weight" is not in the file; its columns are "mpg", "cyl", "disp", "hp", "gear"',
    );
    const t = await refused(() => runDrivers(join(dir, 'cars.csv'), { ...flags, target: 'MPG' }));
    expect(t.message).toMatch(/the target column "MPG" is not in the file/);
  });

  it('refuses bad flags and analysis inputs with clear messages', async () => {
    const cars = join(dir, 'cars.csv');
    expect((await refused(() => runDrivers(cars, { ...flags, resamples: 'many' }))).message).toMatch(
      /^field --resamples: --resamples must be a whole number/,
    );
    expect((await refused(() => runDrivers(cars, { ...flags, drivers: 'cyl,mpg' }))).message).toMatch(
      /"mpg" is the target; it cannot also be a driver/,
    );
    const flat = write('flat.csv', `y,a,b\n${[1, 2, 3, 4, 5].map((i) => `${i},7,${i % 2}`).join('\n')}\n`);
    expect((await refused(() => runDrivers(flat, { target: 'y', drivers: 'a,b' }))).message).toMatch(
      /field a: the driver "a" is constant/,
    );
    expect((await refused(() => runDrivers(join(dir, 'nope.csv'), flags))).message).toMatch(/no such file/);
  });

  // Real data: British Airways reviews (shared/data/README.md): OverallRating 1–10 and 1–5 sub-ratings,
  // blank when not rated, 77 bodies with line breaks. The CLI's n and correlations must equal DuckDB's own
  // over the complete rows.
  it('BA airline reviews: value for money leads; n and correlations agree with DuckDB corr()', async () => {
    const drivers = ['SeatComfort', 'CabinStaffService', 'GroundService', 'ValueForMoney', 'Food&Beverages'];
    const r = await runDrivers(BA, { target: 'OverallRating', drivers: drivers.join(','), resamples: '200' });
    const db = await openDuckDbWarehouse(':memory:');
    try {
      const cols = [...drivers, 'OverallRating'].map((c) => `"${c}"`);
      const [ref] = await db.all<Record<string, number>>(
        `with t as (select ${cols.join(', ')} from read_csv('${BA}', header = true, all_varchar = true)),
              c as (select ${cols.map((c, i) => `try_cast(${c} as double) as v${i}`).join(', ')} from t
                    where ${cols.map((c) => `nullif(trim(${c}), '') is not null`).join(' and ')})
         select count(*) as n, ${drivers.map((_, i) => `corr(v${i}, v${drivers.length}) as r${i}`).join(', ')} from c`,
      );
      expect(r.n).toBe(ref!.n);
      for (const [i, d] of drivers.entries())
        expect(r.weights.find((w) => w.name === d)!.correlation).toBeCloseTo(ref![`r${i}`]!, 10);
    } finally {
      await db.close();
    }
    expect(r.rows).toBe(3701);
    const top = [...r.weights].sort((a, b) => b.raw - a.raw)[0]!;
    expect(top.name).toBe('ValueForMoney');
    expect(r.weights.every((w) => w.sign === 1 && !w.notSignificant)).toBe(true);
    expect(r.r2).toBeGreaterThan(0.8);
  });

  // docs/demo-data.md: csat* = 0.40·speed* + 0.25·ease* + 0.15·courtesy* + 0.20·competence* + noise, so
  // speed has the largest weight on CSAT and courtesy the smallest.
  it('recovers the demo company’s element weights on CSAT', async () => {
    const stores = await openStores('memory');
    const csv = join(dir, 'demo-feedback.csv');
    try {
      await seedDemo(stores.warehouse, { customers: 2000, seed: 42 });
      await stores.warehouse.run(
        `copy (select csat, (elements->>'speed')::int as speed, (elements->>'ease')::int as ease,
                      (elements->>'courtesy')::int as courtesy, (elements->>'competence')::int as competence
               from feedback where csat is not null order by response_id) to '${csv}' (header, delimiter ',')`,
      );
    } finally {
      await stores.close();
    }
    const r = await runDrivers(csv, {
      target: 'csat',
      drivers: 'speed,ease,courtesy,competence',
      resamples: '200',
    });
    const by = Object.fromEntries(r.weights.map((w) => [w.name, w]));
    expect(r.dropped).toBeGreaterThan(0); // self-service responses have no courtesy or competence
    expect(by.speed!.share).toBeGreaterThan(
      Math.max(by.ease!.share, by.competence!.share, by.courtesy!.share),
    );
    expect(by.courtesy!.share).toBeLessThan(Math.min(by.ease!.share, by.competence!.share));
    expect(by.speed!.ci!.low).toBeGreaterThan(by.ease!.ci!.high);
    expect(r.weights.every((w) => w.sign === 1 && !w.notSignificant)).toBe(true);
  }, 60_000);

  it('runs as a command: --json on stdout, exit code 2 and one line on stderr for bad input', async () => {
    const run = promisify(execFile);
    const cars = join(dir, 'cars.csv');
    // Both at once: most of the time is starting node and tsx.
    const [{ stdout }, e] = await Promise.all([
      run('node', [
        CXC,
        'drivers',
        cars,
        '--target',
        'mpg',
        '--drivers',
        'cyl,disp,hp,gear',
        '--resamples',
        '50',
        '--json',
      ]),
      run('node', [CXC, 'drivers', cars, '--target', 'mpg', '--drivers', 'cyl,wheels']).catch(
        (x: { code: number; stderr: string }) => x,
      ),
    ]);
    expectRwa(JSON.parse(stdout) as DriversOutput);
    expect('code' in e && e.code).toBe(2);
    expect(e.stderr.trim()).toMatch(
      /^error: cars\.csv, field wheels: the driver column "wheels" is not in the file/,
    );
  }, 60_000);
});
