import { TABLES, type TableKind } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * The shared tail of every load. Rows are first put into a temporary staging table that has the
 * target's columns plus `_ord` (position in the source; ties are allowed and then broken arbitrarily), `_line` (source line, for messages),
 * `_h` (optional: the identity hash of the row, see `derivedKeyHashSql`, when the loader already
 * computed it in bulk) and `_load` (optional: the row's load id when a stage holds several loads,
 * as an HTTP batch group does; else the load id given to `insertStaged`). `insertStaged` then, in SQL:
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
  await tx.run(
    `create or replace temp table ${name} as select * exclude (load_id), 0::bigint as _ord, 0::bigint as _line, null::varchar as _h, null::varchar as _load from ${kind} limit 0`,
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
  const text = derivedKeyTextSql(kind, ref);
  return text === null ? null : `md5(${text})`;
}

/** The text the identity hash is taken of: the derivedKeyFrom columns joined by U+001F. */
export function derivedKeyTextSql(
  kind: TableKind,
  ref: (column: string) => string = (c) => c,
): string | null {
  const from = TABLES[kind].derivedKeyFrom;
  if (!from) return null;
  const text = (c: string) =>
    TABLES[kind].columns.find((x) => x.name === c)?.type === 'timestamp'
      ? timestampTextSql(ref(c))
      : `cast(${ref(c)} as varchar)`;
  return `concat(${from.map((c) => `coalesce(${text(c)}, '')`).join(", '\u001f', ")})`;
}

/**
 * `cast(ts as varchar)` of a TIMESTAMPTZ in a UTC session (the warehouse sets TimeZone = 'UTC' on
 * every connection), computed without the time-zone-aware cast: the plain TIMESTAMP cast plus the
 * '+00' suffix gives the same text (checked on 3M random instants of years 1–9999, tested in
 * stage.test.ts) at about half the cost, which is ~5 % of a 5M-event import. Instants outside years
 * 1–9999 and ±infinity keep the original cast, so every key stays what it was.
 */
export function timestampTextSql(column: string): string {
  // Typed, so an unmapped column given as a bare NULL still binds (a no-op for a TIMESTAMPTZ).
  const expr = `cast(${column} as timestamptz)`;
  return `case when ${expr} between '0001-01-01 00:00:00+00'::timestamptz and '9999-12-31 23:59:59.999999+00'::timestamptz
    then cast(make_timestamp(epoch_us(${expr})) as varchar) || '+00' else cast(${expr} as varchar) end`;
}

export async function insertStaged(
  tx: WarehouseSession,
  kind: TableKind,
  stage: string,
  loadId: string,
  /**
   * `givenUniqueKeys`: the caller staged this many rows, each with its key, no key twice (the HTTP
   * batch path dedupes message ids in JS first), so no statement has to count or check them.
   */
  opts: { givenUniqueKeys?: number } = {},
): Promise<{ stored: number; duplicate: number }> {
  const spec = TABLES[kind];
  const cols = spec.columns.map((c) => c.name);
  const keyCol = spec.key[0]!;
  // One statement for every fact the insert needs: row counts, repeats of given keys within the
  // load (first wins), and whether the target holds any row at all (the anti-join is skipped for
  // the first load into an empty table). An HTTP batch group, which knows them all, skips it.
  const tuple = spec.key.length === 1 ? keyCol : `(${spec.key.join(', ')})`;
  const { total, missing, unhashed, repeats, any } =
    opts.givenUniqueKeys !== undefined
      ? { total: opts.givenUniqueKeys, missing: 0, unhashed: 0, repeats: 0, any: 1 }
      : (
          await tx.all<{ total: number; missing: number; unhashed: number; repeats: number; any: number }>(
            `select count(*) as total, count(*) filter (where ${keyCol} is null) as missing,
                    count(*) filter (where ${keyCol} is null and _h is null) as unhashed,
                    count(*) filter (where ${keyCol} is not null) - count(distinct ${tuple}) filter (where ${keyCol} is not null) as repeats,
                    (select count(*) from (select 1 from ${kind} limit 1)) as any
             from ${stage}`,
          )
        )[0]!;
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
  const keyMatch = spec.key.map((k) => `t.${k} = s.${k}`).join(' and ');
  const deduped =
    repeats > 0
      ? `(select * from ${source} s qualify row_number() over (partition by ${spec.key.map((k) => `s.${k}`).join(', ')} order by s._ord) = 1)`
      : source;
  // DuckDB answers an INSERT with the number of rows it stored: no second scan by load id.
  const [inserted] = await tx.all<{ Count: number }>(
    `insert into ${kind} (${cols.join(', ')}, load_id)
     select ${cols.map((c) => `s.${c}`).join(', ')}, coalesce(s._load, ?) from ${deduped} s
     ${any > 0 ? `where not exists (select 1 from ${kind} t where ${keyMatch})` : ''}`,
    [loadId],
  );
  if (hash && missing > 0) await tx.run('drop table if exists _cx_occ');
  const stored = inserted?.Count ?? 0;
  return { stored, duplicate: total - stored };
}

/** Thrown by `insertDirect` when the file needs the staged path; the caller rolls back and retries. */
export class NeedsStage extends Error {
  constructor(readonly reason: 'invalid rows' | 'repeated rows') {
    super(`single-pass insert refused: ${reason}`);
  }
}

/** The message of the SQL `error()` an invalid row raises inside `insertDirect`. */
const INVALID_ROW = 'cx-single-pass-invalid-row';

/**
 * The single-pass load for the common case (issue 3's 500k events/s): a tabular file whose rows
 * carry no key, read straight from DuckDB's reader into the target table in ONE statement — cast,
 * checked, keyed and anti-joined on the way — with no staging copy (which cost as much as the
 * insert itself). It is optimistic: an invalid row raises an SQL error and a row whose identity
 * repeats within the file needs occurrence numbers, so either throws `NeedsStage` and the caller
 * runs the staged path in a fresh transaction, which reports line numbers and numbers repeats.
 *
 * `select` yields the target columns it maps plus `_err` (null when the row is valid).
 */
export async function insertDirect(
  tx: WarehouseSession,
  kind: TableKind,
  select: { sql: string; columns: readonly string[] },
  loadId: string,
): Promise<{ read: number; stored: number }> {
  const spec = TABLES[kind];
  const keyCol = spec.key[0]!;
  const hash = derivedKeyHashSql(kind, (c) => (select.columns.includes(c) ? `s.${c}` : 'null'));
  if (!hash || select.columns.includes(keyCol))
    throw new Error(`insertDirect: ${kind} rows need a derived key`);
  const [{ any = 0 } = {}] = await tx.all<{ any: number }>(
    `select count(*) as any from (select 1 from ${kind} limit 1)`,
  );
  // One column carries the check: the CASE calls error() only for rows whose check failed, so valid
  // rows pay one comparison. (The argument is not constant, so the planner cannot fold it.)
  const guarded =
    select.columns.find((c) => spec.columns.some((x) => x.name === c && x.required)) ?? select.columns[0]!;
  const values = select.columns.map((c) =>
    c === guarded
      ? `case when s._err is null then s.${c} else error('${INVALID_ROW}' || s._err) end`
      : `s.${c}`,
  );
  // A row whose identity repeats within the file needs occurrence numbers (the staged path). Into an
  // empty table the inserted rows are the file's rows, so they are checked after the insert; into a
  // non-empty one the anti-join drops rows, so the source is checked first (one more read of it).
  // Comparing 64-bit hashes of the keys is twice as cheap as comparing the keys; a hash collision
  // only sends the file down the staged path, which is correct either way.
  let read = 0;
  if (any > 0) {
    // The 64-bit hash of the identity text, not of its md5: equal texts are equal keys, and the md5
    // is a third of the cost of this extra read.
    const text = derivedKeyTextSql(kind, (c) => (select.columns.includes(c) ? `s.${c}` : 'null'));
    const [src] = await tx.all<{ n: number; repeats: number }>(
      repeatedHashesSql(`hash(${text})`, `(${select.sql}) s`),
    );
    if (src!.repeats > 0) throw new NeedsStage('repeated rows');
    read = src!.n;
  }
  let inserted: { Count: number } | undefined;
  try {
    [inserted] = await tx.all<{ Count: number }>(
      `insert into ${kind} (${select.columns.join(', ')}, ${keyCol}, load_id)
       select ${values.join(', ')}, ${hash} || '-1', ? from (${select.sql}) s
       ${any > 0 ? `where not exists (select 1 from ${kind} t where t.${keyCol} = ${hash} || '-1')` : ''}`,
      [loadId],
    );
  } catch (e) {
    if (e instanceof Error && e.message.includes(INVALID_ROW)) throw new NeedsStage('invalid rows');
    throw e;
  }
  const stored = inserted?.Count ?? 0;
  // The inserted rows reach the disk beside the repeat check (CPU work), not in the commit's fsync.
  const checkSql = repeatedHashesSql(`hash(${keyCol})`, `${kind} where load_id = ?`);
  const [check] = await Promise.all([
    any === 0 ? tx.all<{ repeats: number }>(checkSql, [loadId]) : undefined,
    tx.writeBack(),
  ]);
  if (check && check[0]!.repeats > 0) throw new NeedsStage('repeated rows');
  // Into an empty table every row read was stored (a repeat would have been refused above).
  return { read: any === 0 ? stored : read, stored };
}

/**
 * Rows (`n`) and rows whose 64-bit hash equals another's (`repeats`) of `from`. Sorting the hashes
 * and comparing neighbours costs ~0.9 s for 5M rows where `count(distinct …)`, a hash aggregate,
 * costs 1.4–1.8 s (measured on the import benchmark's table).
 */
function repeatedHashesSql(hash: string, from: string): string {
  return `select count(*) as n, count(*) filter (where h = prev) as repeats
          from (select h, lag(h) over (order by h) as prev from (select ${hash} as h from ${from}))`;
}
