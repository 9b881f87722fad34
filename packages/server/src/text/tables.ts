import type { Generated, Kysely } from 'kysely';
import type { AppStore } from '../app-store/port.ts';
import type { AppDatabase } from '../app-store/schema.ts';

/** Kysely types of the text tables (created by `textMigration`), kept next to the code that uses them. */
export type TextTables = {
  text_taxonomies: { version: number; taxonomy_json: string; created_at: string; created_by: string };
  text_labels: {
    label_id: Generated<number>;
    task: string;
    text: string;
    label: string;
    response_id: string | null;
    source: string;
    created_at: string;
    created_by: string;
  };
  text_models: {
    model_id: string;
    task: string;
    created_at: string;
    created_by: string;
    n_examples: number;
    labels_json: string;
    metrics_json: string;
    model_json: string;
    status: Generated<'training' | 'ready' | 'failed'>;
    error: string | null;
    active_for: 'sentiment' | 'theme' | null;
  };
};

export function textDb(store: AppStore): Kysely<AppDatabase & TextTables> {
  return store.db.withTables<TextTables>();
}
