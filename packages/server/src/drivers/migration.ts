import type { Kysely, Migration } from 'kysely';

/**
 * App-store table of the metrics tree (migration 005_metrics_tree). A save never updates a row, it
 * adds the next version with its author and time: a driver figure can always be traced back to the
 * tree it was computed with, and an edit cannot silently move old results between quadrants.
 */
export const metricsTreeMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('metrics_trees')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('tree_json', 'text', (c) => c.notNull())
      .addColumn('comment', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
  },
};
