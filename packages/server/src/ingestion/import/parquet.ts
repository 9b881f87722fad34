import { sqlString } from './csv.ts';

/**
 * Parquet keeps its column types: they are converted straight to the target types in SQL (see
 * validate.ts `typedSource`), so a typed timestamp never round-trips through text. Parquet has no
 * lines; problems name the 1-based row.
 */
export function parquetReadSql(path: string): string {
  return `read_parquet(${sqlString(path)})`;
}
