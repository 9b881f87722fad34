import { type Kysely, type Migration, sql } from 'kysely';

/**
 * App-store tables of text analytics (migration 003_text): the versioned theme taxonomy, labelled
 * example comments, and trained classifier models. A taxonomy edit never updates a row, it adds the
 * next version, so a reporting period can stay frozen on the version it was reported with.
 */
export const textMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('text_taxonomies')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('taxonomy_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('text_labels')
      .addColumn('label_id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('response_id', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('text_labels_task').on('text_labels').columns(['task', 'text']).execute();
    await db.schema
      .createTable('text_models')
      .addColumn('model_id', 'text', (c) => c.primaryKey())
      .addColumn('task', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('n_examples', 'integer', (c) => c.notNull())
      .addColumn('labels_json', 'text', (c) => c.notNull())
      .addColumn('metrics_json', 'text', (c) => c.notNull())
      .addColumn('model_json', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('text_models_task')
      .on('text_models')
      .columns(['task', 'created_at'])
      .execute();
  },
};

/**
 * Migration 004_text_model_jobs: training runs as a background job, so a model row exists before its
 * weights do (`status` training → ready | failed, `error` says why it failed), and at most one
 * ready model per target ("sentiment" / "theme") is applied to new comments at ingest
 * (`active_for`, unique where set — the database, not the code, guarantees "at most one").
 */
export const textModelJobsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('text_models')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('ready'))
      .execute();
    await db.schema.alterTable('text_models').addColumn('error', 'text').execute();
    await db.schema.alterTable('text_models').addColumn('active_for', 'text').execute();
    await sql`create unique index text_models_active on text_models (active_for) where active_for is not null`.execute(
      db,
    );
  },
};
