import { AppError, inputError, text } from '@cx/core';
import { audit } from '../app-store/audit.ts';
import type { AppStore } from '../app-store/port.ts';
import { textDb } from './tables.ts';

/**
 * The versioned theme taxonomy. Version 1 is the built-in default (`DEFAULT_TAXONOMY`) until someone
 * edits it; every save validates the whole taxonomy and stores it as the next version, so earlier
 * versions stay readable and a reporting period can be frozen on the one it used.
 */
export interface StoredTaxonomy {
  taxonomy: text.Taxonomy;
  createdAt: string | null;
  createdBy: string | null;
  /** false for the built-in default that was never saved. */
  stored: boolean;
}

function fromRow(row: { taxonomy_json: string; created_at: string; created_by: string }): StoredTaxonomy {
  return {
    taxonomy: text.TaxonomySchema.parse(JSON.parse(row.taxonomy_json)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    stored: true,
  };
}

const builtIn = (): StoredTaxonomy => ({
  taxonomy: text.DEFAULT_TAXONOMY,
  createdAt: null,
  createdBy: null,
  stored: false,
});

/** The latest version, or a given one. */
export async function getTaxonomy(store: AppStore, version?: number): Promise<StoredTaxonomy> {
  let q = textDb(store).selectFrom('text_taxonomies').selectAll();
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (row) return fromRow(row);
  if (version === undefined || version === 1) return builtIn();
  throw new AppError('not_found', `No taxonomy version ${version}`);
}

export interface TaxonomyVersion {
  version: number;
  createdAt: string | null;
  createdBy: string | null;
  themes: number;
}

export async function listTaxonomyVersions(store: AppStore): Promise<TaxonomyVersion[]> {
  const rows = await textDb(store)
    .selectFrom('text_taxonomies')
    .selectAll()
    .orderBy('version', 'asc')
    .execute();
  const out: TaxonomyVersion[] = rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    themes: (JSON.parse(r.taxonomy_json) as { themes: unknown[] }).themes.length,
  }));
  if (!out.some((r) => r.version === 1))
    out.unshift({
      version: 1,
      createdAt: null,
      createdBy: null,
      themes: text.DEFAULT_TAXONOMY.themes.length,
    });
  return out;
}

/**
 * Validates `input` ({themes: […]}, any `version` in it is ignored) and stores it as the next
 * version. Invalid input is refused with the field path of the first problem (e.g.
 * `themes.3.parent`) and nothing is stored.
 */
export async function saveTaxonomy(
  store: AppStore,
  input: unknown,
  by: { actor: string; now: Date },
): Promise<StoredTaxonomy> {
  const db = textDb(store);
  return db
    .transaction()
    .execute(async (trx) => {
      const last = await trx
        .selectFrom('text_taxonomies')
        .select((e) => e.fn.max('version').as('v'))
        .executeTakeFirst();
      const version = Math.max(1, Number(last?.v ?? 1)) + 1;
      const body = typeof input === 'object' && input !== null ? { ...input, version } : input;
      const parsed = text.TaxonomySchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = issue.path.join('.') || 'taxonomy';
        throw inputError(issue.message, { field });
      }
      const taxonomy = parsed.data;
      const createdAt = by.now.toISOString();
      await trx
        .insertInto('text_taxonomies')
        .values({
          version,
          taxonomy_json: JSON.stringify(taxonomy),
          created_at: createdAt,
          created_by: by.actor,
        })
        .execute();
      return { taxonomy, createdAt, createdBy: by.actor, stored: true };
    })
    .then(async (saved) => {
      await audit(store, {
        at: by.now,
        actor: by.actor,
        action: 'taxonomy.save',
        target: `taxonomy:${saved.taxonomy.version}`,
        details: { themes: saved.taxonomy.themes.length },
      });
      return saved;
    });
}
