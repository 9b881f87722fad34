import { AppError } from '@cx/core';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateAppStore } from './migrations.ts';
import type { AppStore } from './port.ts';
import type { AppDatabase } from './schema.ts';

/** Embedded default: SQLite in a file (WAL mode), or ':memory:' in tests. */
export async function openSqliteAppStore(location: string): Promise<AppStore> {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    throw new AppError('internal', `Cannot open the app store ${location}: ${(e as Error).message}`, {
      file: location,
    });
  }
  const db = new Kysely<AppDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateAppStore(db as Kysely<unknown>);
  return {
    dialect: 'sqlite',
    db,
    close: () => db.destroy(),
  };
}
