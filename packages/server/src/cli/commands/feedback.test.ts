import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AppError } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CesScore, CsatScore, NpsScore } from '../../queries/feedback/score-results.ts';
import { formatFeedback, runFeedback } from './feedback.ts';

/**
 * Reference tests against the figures in shared/data/README.md (computed there with pandas), run
 * through the command's function in-process and once as a child process.
 */
const ROOT = join(import.meta.dirname, '../../../../..');
const DATA = join(ROOT, '../shared/data');
const MIRO_NPS = join(DATA, 'nps_miro/nps.csv');
const BA = join(DATA, 'ba_airline_reviews/BA_AirlineReviews.csv');
const WOMENS = join(DATA, 'womens_clothing_reviews/Womens Clothing E-Commerce Reviews.csv');
const ALEXA = join(DATA, 'amazon_alexa_reviews/amazon_alexa.tsv');
const MIRO_FF = join(DATA, 'nps_miro/feature_feedback.csv');

const byGroup = <T extends { group?: string | null }>(rows: T[]) =>
  Object.fromEntries(rows.map((r) => [r.group ?? '(blank)', r]));

describe('cxc feedback nps', () => {
  it('Miro nps.csv: NPS +60.32, 69.39 % promoters, 9.07 % detractors, n = 441', async () => {
    const r = (await runFeedback('nps', MIRO_NPS, { scoreColumn: 'NPS_Score' })) as NpsScore;
    expect(r.n).toBe(441);
    expect(r.nps).toBeCloseTo(60.32, 2);
    expect(r.promoters).toBeCloseTo(69.39, 2);
    expect(r.detractors).toBeCloseTo(9.07, 2);
    expect(r.counts).toEqual({ promoters: 306, passives: 95, detractors: 40 });
    // Margin 1.96·√(Var/n)·100 with p = 306/441, d = 40/441.
    const p = 306 / 441;
    const d = 40 / 441;
    expect(r.marginOfError95).toBeCloseTo(
      1.959963984540054 * Math.sqrt((p + d - (p - d) ** 2) / 441) * 100,
      10,
    );
    expect(r.ci95![0]).toBeCloseTo(r.nps! - r.marginOfError95!, 10);
    expect(r.warning).toBeUndefined();
  });

  it('BA OverallRating proxy: −46.89 (n = 3,696, 17.32 % / 64.20 %), blanks not counted', async () => {
    const r = (await runFeedback('nps', BA, { scoreColumn: 'OverallRating' })) as NpsScore;
    expect(r.n).toBe(3696);
    expect(r.nps).toBeCloseTo(-46.89, 2);
    expect(r.promoters).toBeCloseTo(17.32, 2);
    expect(r.detractors).toBeCloseTo(64.2, 2);
  });

  it('BA by SeatType: Economy −53.90, Premium Economy −46.26, Business −41.10, First −16.51; blank group hidden', async () => {
    const rows = (await runFeedback('nps', BA, {
      scoreColumn: 'OverallRating',
      groupBy: 'SeatType',
    })) as NpsScore[];
    const g = byGroup(rows);
    expect(g['Economy Class']!.nps).toBeCloseTo(-53.9, 2);
    expect(g['Premium Economy']!.nps).toBeCloseTo(-46.26, 2);
    expect(g['Business Class']!.nps).toBeCloseTo(-41.1, 2);
    expect(g['First Class']!.nps).toBeCloseTo(-16.51, 2);
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(3696);
    // Two reviews have no seat type: below the privacy threshold, so only n is shown.
    expect(g['(blank)']).toMatchObject({ group: null, n: 2, nps: null, promoters: null, hidden: true });
    expect(g['(blank)']!.warning).toMatch(/below 5/);
    const text = formatFeedback('nps', rows);
    expect(text).toMatch(/Economy Class\s+1924\s.*-53\.90/);
  });
});

describe('cxc feedback csat', () => {
  it("Women's clothing: CSAT 77.53 % and by department", async () => {
    const all = (await runFeedback('csat', WOMENS, { scoreColumn: 'Rating' })) as CsatScore;
    expect(all.n).toBe(23486);
    expect(all.csat).toBeCloseTo(77.53, 2);
    const g = byGroup(
      (await runFeedback('csat', WOMENS, {
        scoreColumn: 'Rating',
        groupBy: 'Department Name',
      })) as CsatScore[],
    );
    const want = {
      Bottoms: 80.49,
      Dresses: 75.83,
      Intimate: 80.92,
      Jackets: 80.62,
      Tops: 76.71,
      Trend: 65.55,
    };
    for (const [dept, csat] of Object.entries(want)) expect(g[dept]!.csat).toBeCloseTo(csat, 2);
    // 14 rows have no department: shown, with the reliability warning.
    expect(g['(blank)']).toMatchObject({ n: 14, warning: expect.stringMatching(/below 30/) });
  });

  it('Miro feature_feedback: CSAT 33.75 % of 1,612 (blank scores left out)', async () => {
    const r = (await runFeedback('csat', MIRO_FF, { scoreColumn: 'FF_Score' })) as CsatScore;
    expect(r.n).toBe(1612);
    expect(r.csat).toBeCloseTo(33.75, 2);
  });

  it('Amazon Alexa (TSV with BOM, CRLF): CSAT 87.02 % with a Wilson interval', async () => {
    const r = (await runFeedback('csat', ALEXA, { scoreColumn: 'rating' })) as CsatScore;
    expect(r).toMatchObject({ n: 3150, satisfied: 2741 });
    expect(r.csat).toBeCloseTo(87.02, 2);
    expect(r.ci95![0]).toBeLessThan(r.csat!);
    expect(r.ci95![1]).toBeGreaterThan(r.csat!);
  });
});

describe('cxc feedback ces', () => {
  it('BA SeatComfort (1–5): mean 2.875 with a t interval', async () => {
    const r = await runFeedback('ces', BA, { scoreColumn: 'SeatComfort', scale: '1-5' });
    expect(r).toMatchObject({ mean: expect.closeTo(2.875, 3) });
  });
});

describe('cxc feedback: each group against the rest', () => {
  // Oracle: Python on the raw BA file (csv module + scipy 1.17), Economy Class vs every other review.
  it('NPS: z-test on Economy vs rest (z = −5.76373, p = 8.2277e-9), Holm over the 4 tested groups', async () => {
    const g = byGroup(
      (await runFeedback('nps', BA, { scoreColumn: 'OverallRating', groupBy: 'SeatType' })) as NpsScore[],
    );
    const s = g['Economy Class']!.significance!;
    expect(s).toMatchObject({ versus: 'rest', method: 'nps-z', significant: true });
    expect(s.statistic).toBeCloseTo(-5.763725050317473, 8);
    expect(s.p / 8.22774144035453e-9).toBeCloseTo(1, 6);
    expect(s.pHolm / (4 * 8.22774144035453e-9)).toBeCloseTo(1, 6); // smallest of 4 p-values × 4
    expect(g['Premium Economy']!.significance!.significant).toBe(false);
    expect(g['(blank)']!.significance).toBeUndefined(); // n = 2: not tested
  });

  it('CES: Welch t-test pooled from group aggregates equals scipy ttest_ind(equal_var=False) on the rows', async () => {
    const rows = (await runFeedback('ces', BA, {
      scoreColumn: 'SeatComfort',
      scale: '1-5',
      groupBy: 'SeatType',
    })) as CesScore[];
    const s = byGroup(rows)['Economy Class']!.significance!;
    expect(s.method).toBe('welch-t');
    expect(s.statistic).toBeCloseTo(-6.653527978132513, 8);
    expect(s.df).toBeCloseTo(3552.6585749446713, 6);
    expect(s.p / 3.3010836256146896e-11).toBeCloseTo(1, 5);
  });

  it('CSAT: two-proportion z-test per department, shown in the text table', async () => {
    const rows = (await runFeedback('csat', WOMENS, {
      scoreColumn: 'Rating',
      groupBy: 'Department Name',
    })) as CsatScore[];
    const trend = byGroup(rows).Trend!;
    // By hand: 78/119 vs (18208 − 78)/(23486 − 119), pooled p̄ = 18208/23486.
    const pool = 18208 / 23486;
    const z = (78 / 119 - 18130 / 23367) / Math.sqrt(pool * (1 - pool) * (1 / 119 + 1 / 23367));
    expect(trend.significance!.statistic).toBeCloseTo(z, 10);
    expect(formatFeedback('csat', rows)).toMatch(
      /Trend\s+119\s+78\s+65\.55.*differs \(two-proportion-z, Holm p = /,
    );
  });
});

describe('cxc feedback as a child process', () => {
  it('node bin/cxc.js feedback nps … --json prints the Miro NPS', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/cxc.js'), 'feedback', 'nps', MIRO_NPS, '--score-column', 'NPS_Score', '--json'],
      { cwd: ROOT },
    );
    const r = JSON.parse(stdout) as NpsScore;
    expect(r.n).toBe(441);
    expect(r.nps).toBeCloseTo(60.32, 2);
  });

  it('exits 2 with one clear line for bad input', async () => {
    const err = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'bin/cxc.js'), 'feedback', 'nps', MIRO_NPS, '--score-column', 'Score'],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(
      /^error: nps\.csv, line 1, field Score: the column "Score"/,
    );
  });
});

describe('cxc feedback: bad input', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cx-feedback-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const fails = (p: Promise<unknown>) =>
    p.then(
      () => expect.fail('should have failed'),
      (e: unknown) => e as AppError,
    );

  it('an out-of-range score names the file, the real line (after a quoted line break) and the column', async () => {
    const p = file('range.csv', 'id,comment,score\n1,"two\nlines",9\n2,ok,11\n');
    const e = await fails(runFeedback('nps', p, { scoreColumn: 'score' }));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe(
      'range.csv, line 4, field score: the score "11" is out of range; expected a whole number from 0 to 10 (or a blank cell for no answer)',
    );
  });

  it('a non-numeric score and a fractional NPS are errors; a fractional CES is a valid answer', async () => {
    const text = file('text.csv', 'score\n5\nten\n');
    expect((await fails(runFeedback('nps', text, { scoreColumn: 'score' }))).message).toMatch(
      /^text\.csv, line 3, field score: the score "ten" is not a number/,
    );
    const frac = file('frac.csv', 'score\n5\n6.5\n4\n5\n6\n');
    expect((await fails(runFeedback('nps', frac, { scoreColumn: 'score' }))).message).toMatch(
      /line 3.*"6\.5" is out/,
    );
    const r = await runFeedback('ces', frac, { scoreColumn: 'score' });
    expect(r).toMatchObject({
      n: 5,
      mean: expect.closeTo(5.3, 10),
      warning: expect.stringMatching(/below 30/),
    });
  });

  it('a CSAT answer outside --scale is rejected; inside it counts the top two boxes', async () => {
    const p = file('seven.csv', 'score\n7\n6\n5\n1\n2\n');
    expect((await fails(runFeedback('csat', p, { scoreColumn: 'score' }))).message).toMatch(
      /line 2.*from 1 to 5/,
    );
    const r = (await runFeedback('csat', p, { scoreColumn: 'score', scale: '1-7' })) as CsatScore;
    expect(r).toMatchObject({ n: 5, satisfied: 2, csat: 40 });
    await expect(runFeedback('csat', p, { scoreColumn: 'score', scale: 'abc' })).rejects.toThrow(/--scale/);
  });

  it('a missing column lists the available columns', async () => {
    const p = file('cols.csv', 'id,Score,Region\n1,9,EU\n');
    const e = await fails(runFeedback('nps', p, { scoreColumn: 'score' }));
    expect(e.message).toBe(
      'cols.csv, line 1, field score: the column "score" (--score-column) is not in the header; available columns: "id", "Score", "Region"',
    );
    expect((await fails(runFeedback('nps', p, { scoreColumn: 'Score', groupBy: 'region' }))).message).toMatch(
      /"region" \(--group-by\) is not in the header/,
    );
  });

  it('an empty file, a header without rows and a missing file are clear errors', async () => {
    expect((await fails(runFeedback('nps', join(dir, 'nope.csv'), { scoreColumn: 's' }))).message).toMatch(
      /nope\.csv: no such file/,
    );
    expect((await fails(runFeedback('nps', file('empty.csv', ''), { scoreColumn: 's' }))).message).toMatch(
      /^empty\.csv, line 1: the file is empty/,
    );
    expect((await fails(runFeedback('nps', file('head.csv', 's\n'), { scoreColumn: 's' }))).message).toMatch(
      /^head\.csv, line 2: the file has a header but no data rows/,
    );
  });

  it('a row with a wrong field count names its line', async () => {
    const p = file('fields.csv', 'id,score\n1,9\n2,8,extra\n');
    expect((await fails(runFeedback('nps', p, { scoreColumn: 'score' }))).message).toMatch(
      /^fields\.csv, line 3: the row has 3 fields but the header has 2/,
    );
  });

  it('latin-1 read as UTF-8 says to use --encoding latin1; with it the file is read', async () => {
    const p = file('latin.csv', Buffer.from('city;score\nZ\xfcrich;9\nM\xfcnchen;3\n', 'latin1'));
    const e = await fails(runFeedback('nps', p, { scoreColumn: 'score', groupBy: 'city', separator: ';' }));
    expect(e.message).toMatch(
      /^latin\.csv, line 2, field encoding: the file is not valid UTF-8.*--encoding latin1/,
    );
    const rows = (await runFeedback('nps', p, {
      scoreColumn: 'score',
      groupBy: 'city',
      separator: ';',
      encoding: 'latin1',
    })) as NpsScore[];
    expect(rows.map((r) => [r.group, r.n])).toEqual([
      ['München', 1],
      ['Zürich', 1],
    ]);
  });

  it('blank scores are not answers; small n gets warnings and the adjusted-Wald interval', async () => {
    // 8 promoters, 1 passive, 1 detractor and 3 blanks.
    const p = file(
      'small.csv',
      `s\n${['10', '9', '9', '9', '9', '9', '9', '9', '7', '0', '', ' ', ''].join('\n')}\n`,
    );
    const r = (await runFeedback('nps', p, { scoreColumn: 's' })) as NpsScore;
    expect(r).toMatchObject({ n: 10, counts: { promoters: 8, passives: 1, detractors: 1 }, nps: 70 });
    expect(r.warning).toMatch(/n = 10 is below 30/);
    // Known answer from significance.test.ts: 8/1/1 → adjusted NPS 53.846, CI [14.73, 92.96].
    expect(r.adjustedWald!.nps).toBeCloseTo(53.846, 3);
    expect(r.adjustedWald!.ci95[0]).toBeCloseTo(14.7317, 4);
  });
});
