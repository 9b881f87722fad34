import { type FileHandle, open } from 'node:fs/promises';
import { AppError } from '@cx/core';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBValue,
  listValue,
} from '@duckdb/node-api';
import { WAREHOUSE_MIGRATIONS } from './migrations.ts';
import type { Row, SqlValue, Warehouse, WarehouseSession } from './port.ts';

/**
 * DuckDB adapter of the warehouse port. One instance per process owns the file: a second process
 * gets a clear `locked` error instead of a corrupt file. One writer connection (serialised by a
 * promise queue, so a transaction never interleaves with another request) and one reader connection.
 */
export async function openDuckDbWarehouse(
  location: string,
  options: { threads?: number } = {},
): Promise<Warehouse> {
  let instance: DuckDBInstance;
  try {
    // New files are written in DuckDB 1.5's storage format: its string compression (DICT_FSST) needs
    // ~16 % fewer instructions to store a 5M-event import than the 0.10-compatible default
    // (dictionary and FSST analysed separately), at a similar file size. Older DuckDB versions
    // cannot open such a file; this project pins DuckDB 1.5.
    const config: Record<string, string> = { storage_compatibility_version: 'v1.5.0' };
    if (options.threads) config.threads = String(options.threads);
    instance = await DuckDBInstance.create(location, config);
  } catch (e) {
    const msg = (e as Error).message;
    if (/lock/i.test(msg)) {
      throw new AppError(
        'locked',
        `The database ${location} is in use by another process (is \`cxc serve\` or \`npm start\` running?). ` +
          'Stop it, or point this command at another data directory with CX_DATA_DIR.',
        { file: location },
      );
    }
    throw new AppError('internal', `Cannot open the database ${location}: ${msg}`, { file: location });
  }
  const writer = await instance.connect();
  const reader = await instance.connect();
  for (const c of [writer, reader]) await c.run("set TimeZone = 'UTC'");
  const wh = new DuckDbWarehouse(location, instance, writer, reader);
  await wh.migrate();
  return wh;
}

class DuckDbSession implements WarehouseSession {
  constructor(
    protected readonly conn: DuckDBConnection,
    readonly writeBack: () => Promise<void>,
  ) {}

  async all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, toParams(params));
    const rows = reader.getRowObjectsJS() as Record<string, unknown>[];
    for (const row of rows) for (const k in row) row[k] = toPlain(row[k]);
    return rows as T[];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<void> {
    await this.conn.run(sql, toParams(params));
  }

  async append(
    table: string,
    columns: readonly string[],
    rows: Iterable<readonly unknown[]>,
  ): Promise<number> {
    const types = await this.columnTypes(table);
    for (const c of columns) {
      if (!types.has(c)) throw new AppError('internal', `Table ${table} has no column ${c}`);
    }
    // The appender needs every column of the table in table order; unmapped ones get NULL.
    const order = [...types.keys()];
    const pos = order.map((c) => columns.indexOf(c));
    const convert = order.map((c) => converterFor(types.get(c)!));
    const appender: DuckDBAppender = await this.conn.createAppender(table);
    const chunkTypes = order.map((_, i) => appender.columnType(i));
    // Rows are gathered column-wise into data chunks of one vector each: one native call per chunk
    // column instead of one per value (measured ~1.4× faster than appending value by value).
    let buffer: DuckDBValue[][] = order.map(() => []);
    let buffered = 0;
    const flushChunk = () => {
      if (buffered === 0) return;
      const chunk = DuckDBDataChunk.create(chunkTypes, buffered);
      chunk.setColumns(buffer);
      appender.appendDataChunk(chunk);
      buffer = order.map(() => []);
      buffered = 0;
    };
    let n = 0;
    try {
      for (const row of rows) {
        for (let i = 0; i < order.length; i++) {
          const p = pos[i]!;
          const v = p < 0 ? null : row[p];
          buffer[i]!.push(v === null || v === undefined ? null : convert[i]!(v));
        }
        n++;
        if (++buffered === CHUNK_ROWS) flushChunk();
      }
      flushChunk();
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    return n;
  }

  private typeCache = new Map<string, Map<string, string>>();
  private async columnTypes(table: string): Promise<Map<string, string>> {
    let m = this.typeCache.get(table);
    if (!m) {
      const rows = await this.all<{ column_name: string; data_type: string }>(
        'select column_name, data_type from information_schema.columns where table_name = ? order by ordinal_position',
        [table],
      );
      m = new Map(rows.map((r) => [r.column_name, r.data_type]));
      this.typeCache.set(table, m);
    }
    return m;
  }
}

class DuckDbWarehouse extends DuckDbSession implements Warehouse {
  readonly dialect = 'duckdb' as const;
  private queue: Promise<unknown> = Promise.resolve();
  writeCount = 0;
  private readonly writerSession: DuckDbSession;

  constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    reader: DuckDBConnection,
  ) {
    super(reader, () => this.syncFile());
    this.writerSession = new DuckDbSession(writer, this.writeBack);
  }

  /**
   * fdatasync through a handle of our own writes every dirty page of the file, whoever wrote it. The
   * handle stays open until DuckDB has closed the file: DuckDB locks it with a POSIX record lock, and
   * the OS drops such a lock as soon as the process closes any handle of the file.
   */
  private syncHandle: Promise<FileHandle> | undefined;
  private async syncFile(): Promise<void> {
    if (this.location === ':memory:') return;
    // Only a head start: the commit syncs the file itself and reports what goes wrong.
    let handle: FileHandle;
    try {
      this.syncHandle ??= open(this.location, 'r');
      handle = await this.syncHandle;
    } catch {
      this.syncHandle = undefined;
      return;
    }
    await handle.datasync().catch(() => {});
  }

  /** Writes outside a transaction also go through the writer queue. */
  override async run(sql: string, params?: readonly SqlValue[]): Promise<void> {
    await this.exclusive(() => this.writerSession.run(sql, params));
  }

  override async append(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>) {
    return this.exclusive(() => this.writerSession.append(table, columns, rows));
  }

  transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.writer.run('begin transaction');
      try {
        const result = await fn(this.writerSession);
        await this.writer.run('commit');
        return result;
      } catch (e) {
        await this.writer.run('rollback').catch(() => {});
        throw e;
      }
    });
  }

  /** Every write goes through here; the count moves once it is done (a failed one may have written too). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const counted = () =>
      fn().finally(() => {
        this.writeCount++;
      });
    const next = this.queue.then(counted, counted);
    this.queue = next.catch(() => {});
    return next;
  }

  async migrate(): Promise<void> {
    await this.writer.run(
      'create table if not exists schema_migrations (version integer primary key, name varchar, applied_at timestamptz default current_timestamp)',
    );
    const done = new Set(
      (await this.writerSession.all<{ version: number }>('select version from schema_migrations')).map(
        (r) => r.version,
      ),
    );
    for (const m of WAREHOUSE_MIGRATIONS) {
      if (done.has(m.version)) continue;
      await this.transaction(async (tx) => {
        await tx.run(m.sql);
        await tx.run('insert into schema_migrations (version, name) values (?, ?)', [m.version, m.name]);
      });
    }
  }

  async close(): Promise<void> {
    await this.queue;
    this.writer.closeSync();
    (this.conn as DuckDBConnection).closeSync();
    this.instance.closeSync();
    await (await this.syncHandle)?.close();
  }
}

function toParams(params?: readonly SqlValue[]): DuckDBValue[] | undefined {
  if (!params) return undefined;
  return params.map((p) => {
    if (p instanceof Date) return new DuckDBTimestampTZValue(BigInt(p.getTime()) * 1000n);
    if (Array.isArray(p)) return listValue(p as string[]);
    return p as DuckDBValue;
  });
}

/** BIGINT and HUGEINT → number (counts), dates → ISO strings, so results serialise as JSON. */
function toPlain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toPlain);
  return v;
}

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

type Converter = (v: unknown) => DuckDBValue;

function converterFor(type: string): Converter {
  switch (type) {
    case 'VARCHAR':
      return (v) => String(v);
    case 'DOUBLE':
    case 'INTEGER':
      return (v) => Number(v);
    case 'BIGINT':
      return (v) => BigInt(v as number);
    case 'BOOLEAN':
      return (v) => Boolean(v);
    case 'JSON':
      return (v) => (typeof v === 'string' ? v : JSON.stringify(v));
    case 'TIMESTAMP WITH TIME ZONE':
      // Epoch milliseconds (number) or Date → microseconds since the epoch.
      return (v) =>
        new DuckDBTimestampTZValue(
          BigInt(Math.round(v instanceof Date ? v.getTime() : (v as number))) * 1000n,
        );
    case 'DATE':
      // Days since the epoch (number) or an ISO date string.
      return (v) =>
        new DuckDBDateValue(
          typeof v === 'number'
            ? v
            : Math.floor(Date.parse(`${String(v).slice(0, 10)}T00:00:00Z`) / 86_400_000),
        );
    case 'VARCHAR[]':
      return (v) => listValue((v as unknown[]).map(String));
    default:
      throw new AppError('internal', `No appender for column type ${type}`);
  }
}
