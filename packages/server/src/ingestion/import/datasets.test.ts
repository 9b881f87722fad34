import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { importFile } from './import-file.ts';

/**
 * Every review / NPS / clickstream file in shared/data imports with its mapping file from
 * examples/mappings; the stored figures are checked against the data README's reference numbers
 * (computed there with pandas).
 */
const ROOT = join(import.meta.dirname, '../../../../..');
const DATA = join(ROOT, '../shared/data');
const MAPPINGS = join(ROOT, 'examples/mappings');
let stores: Stores;
let dir: string;

beforeAll(async () => {
  stores = await openStores('memory');
  dir = mkdtempSync(join(tmpdir(), 'cx-datasets-'));
});
afterAll(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

async function load(file: string, mapping: string, skipInvalid = false) {
  return importFile(stores.warehouse, {
    path: join(DATA, file),
    mapping: join(MAPPINGS, `${mapping}.json`),
    skipInvalid,
    deadLetterDir: dir,
  });
}

async function one<T>(sql: string): Promise<T> {
  const [r] = await stores.warehouse.all<T>(sql);
  return r!;
}

describe('public datasets with the example mappings', () => {
  it("women's clothing reviews → feedback, CSAT 77.53 %", async () => {
    const r = await load(
      'womens_clothing_reviews/Womens Clothing E-Commerce Reviews.csv',
      'womens-clothing-reviews',
    );
    expect(r).toMatchObject({ rowsRead: 23486, rowsStored: 23486, rowsRejected: 0 });
    const f = await one<{ csat: number; mean: number; rec: number }>(
      `select round(100.0 * count(*) filter (where csat >= 4) / count(csat), 2) as csat, round(avg(csat), 3) as mean,
              round(100.0 * count(*) filter (where properties->>'$."Recommended IND"' = '1') / count(*), 2) as rec
       from feedback where survey_id = 'womens_clothing_reviews'`,
    );
    expect(f).toEqual({ csat: 77.53, mean: 4.196, rec: 82.24 });
    expect(
      await load('womens_clothing_reviews/Womens Clothing E-Commerce Reviews.csv', 'womens-clothing-reviews'),
    ).toMatchObject({
      rowsStored: 0,
      rowsDuplicate: 23486,
    });
  });

  it('BA reviews → feedback with dated responses and element scores; OverallRating kept in properties', async () => {
    const r = await load('ba_airline_reviews/BA_AirlineReviews.csv', 'ba-airline-reviews');
    expect(r).toMatchObject({ rowsRead: 3701, rowsStored: 3701 });
    const f = await one<Record<string, unknown>>(
      `select min(ts)::date::varchar as first, max(ts)::date::varchar as last,
              count(*) filter (where properties->>'$.OverallRating' = '') as blank,
              round(avg(try_cast(properties->>'$.OverallRating' as double)), 3) as mean,
              round(avg(try_cast(elements->>'$.seat_comfort' as double)), 3) as seat,
              count(*) filter (where properties->>'$.Recommended' = 'yes') as yes
       from feedback where survey_id = 'airlinequality_reviews'`,
    );
    expect(f).toEqual({
      first: '2011-10-09',
      last: '2023-11-19',
      blank: 5,
      mean: 4.734,
      seat: 2.875,
      yes: 1498,
    });
  });

  it('Amazon Alexa (TSV with BOM) → feedback, CSAT 87.02 %, the 714 duplicate rows kept', async () => {
    const r = await load('amazon_alexa_reviews/amazon_alexa.tsv', 'amazon-alexa-reviews');
    expect(r).toMatchObject({ rowsRead: 3150, rowsStored: 3150 });
    const f = await one<Record<string, unknown>>(
      `select round(100.0 * count(*) filter (where csat >= 4) / count(*), 2) as csat, min(ts)::date::varchar as first,
              max(ts)::date::varchar as last, count(*) filter (where properties->>'$.variation' = 'Charcoal Fabric ') > 0 as spaces
       from feedback where survey_id = 'amazon_alexa_reviews'`,
    );
    expect(f).toEqual({ csat: 87.02, first: '2018-05-16', last: '2018-07-31', spaces: true });
  });

  it('Miro NPS → feedback: all 441 rows (duplicates included), NPS +60.32, 19-digit ids as strings', async () => {
    const r = await load('nps_miro/nps.csv', 'miro-nps');
    expect(r).toMatchObject({ rowsRead: 441, rowsStored: 441 });
    const f = await one<Record<string, unknown>>(
      `select round(100.0 * (count(*) filter (where nps >= 9) - count(*) filter (where nps <= 6)) / count(nps), 2) as nps,
              max(length(customer_id)) as idlen, count(*) filter (where customer_id = '3074457347487777543') > 0 as exact
       from feedback where survey_id = 'miro_nps'`,
    );
    expect(f).toEqual({ nps: 60.32, idlen: 19, exact: true });
    expect(await load('nps_miro/nps.csv', 'miro-nps')).toMatchObject({ rowsStored: 0, rowsDuplicate: 441 });
  });

  it('Miro feature feedback → feedback, CSAT 33.75 % of 1,612 scored', async () => {
    const r = await load('nps_miro/feature_feedback.csv', 'miro-feature-feedback');
    expect(r).toMatchObject({ rowsRead: 1622, rowsStored: 1622 });
    const f = await one<Record<string, unknown>>(
      `select count(csat) as scored, round(100.0 * count(*) filter (where csat >= 4) / count(csat), 2) as csat
       from feedback where survey_id = 'miro_feature_grids'`,
    );
    expect(f).toEqual({ scored: 1612, csat: 33.75 });
  });

  it('Miro roles → customers and segments → identities; the rows without a user id are dead letters', async () => {
    const roles = await load('nps_miro/roles.csv', 'miro-roles', true);
    expect(roles).toMatchObject({ rowsRead: 4733, rowsStored: 4732, rowsRejected: 1 });
    const seg = await load('nps_miro/segments.csv', 'miro-segments', true);
    expect(seg).toMatchObject({ rowsRead: 6059, rowsStored: 6058, rowsRejected: 1 });
    const counts = await stores.warehouse.all<{ source: string; n: number }>(
      "select source, count(*) as n from identities where source like 'miro_segment:%' group by 1 order by 1",
    );
    // README: Free 3,595, SelfServe 1,973, HighTouch 491 (one Free row has no id)
    expect(counts).toEqual([
      { source: 'miro_segment:Free', n: 3594 },
      { source: 'miro_segment:HighTouch', n: 491 },
      { source: 'miro_segment:SelfServe', n: 1973 },
    ]);
    const c = await one<Record<string, unknown>>(
      `select count(*) filter (where attributes->>'$.functional_role' = 'Not detected') as nd, count(created_at) as dated
       from customers where source_system = 'miro'`,
    );
    expect(c).toMatchObject({ nd: 980 });
  });

  it('online shoppers → customers (one per session), conversion 15.47 %', async () => {
    const r = await load('online_shoppers/online_shoppers_intention.csv', 'online-shoppers');
    expect(r).toMatchObject({ rowsRead: 12330, rowsStored: 12330 });
    const f = await one<Record<string, unknown>>(
      `select count(*) filter (where attributes->>'$.Revenue' = 'TRUE') as bought, count(*) filter (where segment = 'New_Visitor') as new
       from customers where source_system = 'online_shoppers'`,
    );
    expect(f).toEqual({ bought: 1908, new: 1694 });
  });

  it("bank marketing (';' separated) → customers, 11.27 % subscribed, 'unknown' kept", async () => {
    const r = await load('bank_marketing/bank-additional-full.csv', 'bank-marketing');
    expect(r).toMatchObject({ rowsRead: 41188, rowsStored: 41188 });
    const f = await one<Record<string, unknown>>(
      `select count(*) filter (where attributes->>'$.y' = 'yes') as yes, count(*) filter (where attributes->>'$.default' = 'unknown') as unk
       from customers where source_system = 'bank_marketing'`,
    );
    expect(f).toEqual({ yes: 4640, unk: 8597 });
  });
});
