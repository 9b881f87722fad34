import type { Kysely } from 'kysely';
import type { AppDatabase } from './schema.ts';

/**
 * The operational store. Callers use the Kysely query builder on `db`, which is dialect-neutral, so
 * the embedded SQLite default and a PostgreSQL adapter are interchangeable.
 */
export interface AppStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<AppDatabase>;
  close(): Promise<void>;
}
