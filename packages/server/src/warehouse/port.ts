/**
 * The analytics store. Analytic queries are SQL files under queries/ that run here; adapters
 * (DuckDB embedded today, ClickHouse for scale-out) implement this port and share one contract suite.
 */
export type SqlValue = string | number | boolean | null | bigint | Date | readonly string[];
export type Row = Record<string, unknown>;

export interface WarehouseSession {
  /** Runs a query and returns its rows as plain JS objects (BIGINT → number, timestamps → ISO strings). */
  all<T = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs a statement that returns nothing of interest. */
  run(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /**
   * Appends rows to a table through the database's bulk path. Values are given in `columns` order;
   * `null`/`undefined` become NULL. Much faster than INSERT for large loads.
   */
  append(table: string, columns: readonly string[], rows: Iterable<readonly unknown[]>): Promise<number>;
  /**
   * Starts writing to disk what has been written to the database file so far, and resolves once it
   * is there. A hint for bulk loads: run beside CPU-bound work, it leaves the commit's fsync little to
   * wait for. Nothing in memory to do for an in-memory database.
   */
  writeBack(): Promise<void>;
}

export interface Warehouse extends WarehouseSession {
  readonly dialect: 'duckdb';
  /** Where the data lives (a file path or ':memory:'). */
  readonly location: string;
  /**
   * How many writes (statements, appends, transactions) have completed on this instance. Derived
   * data such as the journey index records the count it was built at: when it differs, the data
   * changed since.
   */
  readonly writeCount: number;
  /**
   * Runs `fn` in one transaction with exclusive use of the writer: everything it does is stored, or
   * nothing is. Writers are serialised, readers are not blocked.
   */
  transaction<T>(fn: (tx: WarehouseSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
