import type { Kysely } from 'kysely';
import type { AppStore } from '../app-store/port.ts';
import type { AppDatabase } from '../app-store/schema.ts';

/** Kysely types of the metrics-tree table (created by `metricsTreeMigration`). */
export type DriverTables = {
  metrics_trees: {
    version: number;
    tree_json: string;
    comment: string | null;
    created_at: string;
    created_by: string;
  };
};

export function driversDb(store: AppStore): Kysely<AppDatabase & DriverTables> {
  return store.db.withTables<DriverTables>();
}
