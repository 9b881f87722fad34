import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../stores.ts';
import { insertOverviewFixture } from './overview-fixture.ts';
import { and, periodSql, type ScopedTable, scopeSql } from './scope-sql.ts';

let stores: Stores;
beforeAll(async () => {
  stores = await openStores('memory');
  await insertOverviewFixture(stores.warehouse);
});
afterAll(() => stores.close());

async function ids(
  table: ScopedTable,
  key: string,
  scope: Parameters<typeof scopeSql>[0],
): Promise<string[]> {
  const f = scopeSql(scope, 't', table);
  const rows = await stores.warehouse.all<{ id: string }>(
    `select distinct ${key} as id from ${table} t where ${f.sql} order by 1`,
    f.params,
  );
  return rows.map((r) => r.id);
}

describe('scopeSql', () => {
  it('is "true" with no parameters when unrestricted', () => {
    expect(scopeSql({}, 'e', 'events')).toEqual({ sql: 'true', params: [] });
    expect(scopeSql({ regions: [] }, 'e', 'events')).toEqual({ sql: 'true', params: [] });
  });

  it('restricts events by region through the customers table, hiding unattributed rows', async () => {
    expect(await ids('events', 'customer_id', { regions: ['south'] })).toEqual([
      'c10',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
    const all = await ids('events', 'case_id', {});
    expect(all).toContain('x');
    expect(await ids('events', 'case_id', { regions: ['north', 'south'] })).not.toContain('x');
  });

  it('restricts customers directly by region and segment (intersection)', async () => {
    expect(await ids('customers', 'customer_id', { regions: ['north'] })).toEqual([
      'c1',
      'c11',
      'c2',
      'c3',
      'c4',
      'c5',
    ]);
    expect(await ids('customers', 'customer_id', { regions: ['north'], segments: ['business'] })).toEqual([]);
  });

  it('restricts events and feedback by their own journey and channel', async () => {
    expect(await ids('events', 'case_id', { journeys: ['billing'], channels: ['app'] })).toEqual(['c1-bill']);
    expect(await ids('feedback', 'response_id', { channels: ['web'] })).toHaveLength(11);
  });

  it('restricts customers by journey through their events', async () => {
    expect(await ids('customers', 'customer_id', { journeys: ['billing'] })).toEqual([
      'c1',
      'c10',
      'c6',
      'c7',
      'c8',
      'c9',
    ]);
  });

  it('passes values as parameters, so quotes in a value cannot change the SQL', async () => {
    const f = scopeSql({ regions: ["north') or true or ('"] }, 'e', 'events');
    expect(f.sql).not.toContain('north');
    expect(await ids('events', 'case_id', { regions: ["north') or true or ('"] })).toEqual([]);
  });

  it('refuses an alias that is not an identifier', () => {
    expect(() => scopeSql({ regions: ['x'] }, 'e; drop table events', 'events')).toThrow(/alias/);
  });

  it('combines with a period of whole UTC days, both ends inclusive', async () => {
    const f = and(
      scopeSql({ regions: ['north'] }, 'e', 'events'),
      periodSql({ from: '2024-02-03', to: '2024-02-03' }, 'e'),
    );
    const rows = await stores.warehouse.all<{ id: string }>(
      `select event_id as id from events e where ${f.sql}`,
      f.params,
    );
    expect(rows.map((r) => r.id)).toEqual(['c1-b0']);
  });
});
