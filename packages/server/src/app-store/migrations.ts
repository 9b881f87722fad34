import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { metricsTreeMigration } from '../drivers/migration.ts';
import { textMigration, textModelJobsMigration } from '../text/migration.ts';

/**
 * App-store migrations, written with Kysely's schema builder so they run unchanged on SQLite and
 * PostgreSQL. Released migrations never change; add a new one.
 */
const migrations: Record<string, Migration> = {
  '001_initial': {
    async up(db: Kysely<unknown>) {
      const now = sql`CURRENT_TIMESTAMP`;
      await db.schema
        .createTable('users')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('scope_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(now))
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('key_id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
      for (const [table, id] of [
        ['journey_maps', 'journey_map_id'],
        ['dashboards', 'dashboard_id'],
      ] as const) {
        let t = db.schema
          .createTable(table)
          .addColumn(id, 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull());
        if (table === 'dashboards') t = t.addColumn('role', 'text');
        await t
          .addColumn('definition_json', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      }
      await db.schema
        .createTable('kpis')
        .addColumn('kpi_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('definition_json', 'text', (c) => c.notNull())
        .addColumn('target', 'double precision')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('rules')
        .addColumn('rule_id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('definition_json', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('alerts')
        .addColumn('alert_id', 'text', (c) => c.primaryKey())
        .addColumn('rule_id', 'text')
        .addColumn('kpi_id', 'text')
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cases')
        .addColumn('case_id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text')
        .addColumn('closed_at', 'text')
        .addColumn('reason_code', 'text')
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('insights')
        .addColumn('insight_id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('impact', 'double precision')
        .addColumn('difficulty', 'double precision')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_outbox')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('audit_id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('details_json', 'text')
        .execute();
    },
  },
  '002_surveys': {
    async up(db: Kysely<unknown>) {
      // Definitions are versioned: a response records the version it answered.
      await db.schema
        .createTable('surveys')
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('surveys_pk', ['survey_id', 'version'])
        .execute();
      await db.schema
        .createTable('survey_triggers')
        .addColumn('trigger_id', 'text', (c) => c.primaryKey())
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('definition_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('survey_invitations')
        .addColumn('invitation_id', 'text', (c) => c.primaryKey())
        .addColumn('survey_id', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('event_id', 'text')
        .addColumn('journey', 'text')
        .addColumn('touchpoint', 'text')
        .addColumn('channel', 'text')
        .addColumn('invited_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('responded_at', 'text')
        .addColumn('response_id', 'text')
        .addUniqueConstraint('survey_invitations_event', ['survey_id', 'event_id'])
        .execute();
      // The fatigue rule looks up a customer's latest invitation to any survey.
      await db.schema
        .createIndex('survey_invitations_customer')
        .on('survey_invitations')
        .columns(['customer_id', 'invited_at'])
        .execute();
      // Small named values: the link-signing secret, the trigger watermark.
      await db.schema
        .createTable('survey_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '003_text': textMigration,
  '004_text_model_jobs': textModelJobsMigration,
  '005_metrics_tree': metricsTreeMigration,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateAppStore(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
}
