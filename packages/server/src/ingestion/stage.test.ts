import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { createStage, derivedKeyHashSql, insertStaged, timestampTextSql } from './stage.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
});
afterAll(async () => {
  await stores.close();
});

describe('derived keys', () => {
  it('writes a timestamp as the time-zone-aware cast does, for every instant (keys never change)', async () => {
    const [r] = await stores.warehouse.all<{ n: number; diff: number }>(
      `with v as (
         select make_timestamptz(cast(r * 320000000000000000 - 62135596800000000 as bigint)) as ts
         from (select random() as r from range(200000))
         union all select make_timestamptz(cast(round(r * 4e12) * 1000 as bigint)) from (select random() as r from range(50000))
         union all select * from (values ('infinity'::timestamptz), ('-infinity'::timestamptz), (null),
           ('0001-01-01 00:00:00+00'::timestamptz), ('9999-12-31 23:59:59.999999+00'::timestamptz),
           ('1969-12-31 23:59:59.999999+00'::timestamptz), ('2024-03-31 02:30:00.5+02'::timestamptz)))
       select count(*) as n, count(*) filter (where cast(ts as varchar) is distinct from ${timestampTextSql('ts')}) as diff from v`,
    );
    expect(r).toEqual({ n: 250007, diff: 0 });
    // A known answer: the key of one event row, as stored by earlier versions.
    const [k] = await stores.warehouse.all<{ key: string; old: string }>(
      `select ${derivedKeyHashSql('events')} as key,
              md5(concat('crm', chr(31), 'c1', chr(31), 'u1', chr(31), 'Called', chr(31), '2024-05-01 08:00:00.25+00')) as old
       from (select 'crm' as source_system, 'c1' as case_id, 'u1' as customer_id, 'Called' as activity,
                    '2024-05-01T10:00:00.25+02:00'::timestamptz as ts)`,
    );
    expect(k!.key).toBe(k!.old);
  });
});

describe('insertStaged', () => {
  it('counts stored and duplicate rows from the insert itself; repeated given keys keep the first', async () => {
    const wh = stores.warehouse;
    const cols = ['event_id', 'case_id', 'ts', 'activity', '_ord', '_line'];
    const t = Date.UTC(2024, 0, 1);
    const first = await wh.transaction(async (tx) => {
      await createStage(tx, 'events', 's1');
      await tx.append('s1', cols, [
        ['e1', 'c', t, 'A', 0, 1],
        ['e2', 'c', t, 'B', 1, 2],
        ['e1', 'c', t, 'C', 2, 3],
      ]);
      return insertStaged(tx, 'events', 's1', 'ld_1');
    });
    expect(first).toEqual({ stored: 2, duplicate: 1 });
    const again = await wh.transaction(async (tx) => {
      await createStage(tx, 'events', 's2');
      await tx.append('s2', cols, [
        ['e2', 'c', t, 'B', 0, 1],
        ['e3', 'c', t, 'D', 1, 2],
      ]);
      return insertStaged(tx, 'events', 's2', 'ld_2', { givenUniqueKeys: 2 });
    });
    expect(again).toEqual({ stored: 1, duplicate: 1 });
    const rows = await wh.all<{ event_id: string; activity: string; load_id: string }>(
      'select event_id, activity, load_id from events order by event_id',
    );
    expect(rows).toEqual([
      { event_id: 'e1', activity: 'A', load_id: 'ld_1' },
      { event_id: 'e2', activity: 'B', load_id: 'ld_1' },
      { event_id: 'e3', activity: 'D', load_id: 'ld_2' },
    ]);
  });
});
