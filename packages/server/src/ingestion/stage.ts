import { TABLES, type TableKind } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * The shared tail of every load. Rows are first put into a temporary staging table that has the
 * target's columns plus `_ord` (position in the source; ties are allowed and then broken arbitrarily), `_line` (source line, for messages) and
 * `_h` (optional: the identity hash of the row, see `derivedKeyHashSql`, when the loader already
 * computed it in bulk). `insertStaged` then, in SQL:
 *  1. derives a deterministic key where the source has none (hash of the identifying columns plus
 *     an occurrence number, so exact repeats inside one file stay distinct but a re-import matches),
 *  2. drops rows whose key is already stored or repeated within the load (counted as duplicates),
 *  3. inserts the rest with the load id.
 * It runs inside the caller's transaction, so a load is all or nothing.
 *
 * Performance (5M-row file imports): the derived key is computed inside the final INSERT, never by
 * UPDATE-ing the stage (an UPDATE … FROM over millions of rows costs more than the insert itself),
 * and occurrence numbers are computed only for the few hashes that repeat within the load.
 */
export async function createStage(tx: WarehouseSession, kind: TableKind, name: string): Promise<void> {
  await tx.run(`drop table if exists ${name}`);
  await tx.run(
    `create temp table ${name} as select * exclude (load_id), 0::bigint as _ord, 0::bigint as _line, null::varchar as _h from ${kind} limit 0`,
  );
}

/**
 * The identity hash of a row of `kind` (md5 over the derivedKeyFrom columns), as SQL over the
 * table's column names; `ref` turns a column name into the SQL that reads it (e.g. `s.ts`). Null for kinds without derived keys.
 */
export function derivedKeyHashSql(
  kind: TableKind,
  ref: (column: string) => string = (c) => c,
): string | null {
  const from = TABLES[kind].derivedKeyFrom;
  if (!from) return null;
  return `md5(concat(${from.map((c) => `coalesce(cast(${ref(c)} as varchar), '')`).join(", '\u001f', ")}))`;
}

export async function insertStaged(
  tx: WarehouseSession,
  kind: TableKind,
  stage: string,
  loadId: string,
): Promise<{ stored: number; duplicate: number }> {
  const spec = TABLES[kind];
  const cols = spec.columns.map((c) => c.name);
  const keyCol = spec.key[0]!;
  const [counts] = await tx.all<{ total: number; missing: number; unhashed: number }>(
    `select count(*) as total, count(*) filter (where ${keyCol} is null) as missing,
            count(*) filter (where ${keyCol} is null and _h is null) as unhashed from ${stage}`,
  );
  const { total, missing, unhashed } = counts ?? { total: 0, missing: 0, unhashed: 0 };
  if (total === 0) return { stored: 0, duplicate: 0 };

  let source = stage;
  const hash = derivedKeyHashSql(kind, (c) => `s.${c}`);
  if (hash && missing > 0) {
    // Only hash in SQL what the loader did not hash already (COALESCE is not lazy enough to skip it).
    const h = unhashed === 0 ? 's._h' : missing === unhashed ? hash : `coalesce(s._h, ${hash})`;
    // Occurrence numbers, only for identity hashes that repeat within this load.
    await tx.run(
      `create or replace temp table _cx_occ as
       with k as (select s.rowid as rid, s._ord, ${h} as h from ${stage} s where s.${keyCol} is null)
       select rid, row_number() over (partition by h order by _ord, rid) as occ
       from k where h in (select h from k group by h having count(*) > 1)`,
    );
    const [occ] = await tx.all<{ n: number }>('select count(*) as n from _cx_occ');
    // Joined on the stage's rowid: `_ord` need not be unique (a bulk loader may leave it 0).
    source =
      occ!.n > 0
        ? `(select s.* replace (coalesce(s.${keyCol}, concat(${h}, '-', coalesce(o.occ, 1))) as ${keyCol})
            from ${stage} s left join _cx_occ o on o.rid = s.rowid)`
        : `(select s.* replace (coalesce(s.${keyCol}, concat(${h}, '-1')) as ${keyCol}) from ${stage} s)`;
  }
  // Derived keys are unique by construction; given keys may repeat within the load (first wins).
  let repeats = missing < total;
  if (repeats) {
    const tuple = spec.key.length === 1 ? keyCol : `(${spec.key.join(', ')})`;
    const [r] = await tx.all<{ n: number }>(
      `select count(*) - count(distinct ${tuple}) as n from ${stage} where ${keyCol} is not null`,
    );
    repeats = (r?.n ?? 0) > 0;
  }
  const keyMatch = spec.key.map((k) => `t.${k} = s.${k}`).join(' and ');
  const deduped = repeats
    ? `(select * from ${source} s qualify row_number() over (partition by ${spec.key.map((k) => `s.${k}`).join(', ')} order by s._ord) = 1)`
    : source;
  // The anti-join against stored rows is skipped for the first load into an empty table.
  const [{ stored: any = 0 } = {}] = await tx.all<{ stored: number }>(
    `select count(*) as stored from (select 1 from ${kind} limit 1)`,
  );
  await tx.run(
    `insert into ${kind} (${cols.join(', ')}, load_id)
     select ${cols.map((c) => `s.${c}`).join(', ')}, ? from ${deduped} s
     ${any > 0 ? `where not exists (select 1 from ${kind} t where ${keyMatch})` : ''}`,
    [loadId],
  );
  if (hash && missing > 0) await tx.run('drop table if exists _cx_occ');
  const [{ stored } = { stored: 0 }] = await tx.all<{ stored: number }>(
    `select count(*) as stored from ${kind} where load_id = ?`,
    [loadId],
  );
  return { stored, duplicate: total - stored };
}
