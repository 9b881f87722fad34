import {
  AppError,
  inputError,
  type MetricsTree,
  MetricsTreeSchema,
  type MetricsTreeVersion,
  type StoredMetricsTree,
} from '@cx/core';
import { audit } from '../app-store/audit.ts';
import type { AppStore } from '../app-store/port.ts';
import { defaultMetricsTree } from './default-tree.ts';
import { driversDb } from './tables.ts';

/**
 * The versioned metrics tree. Until someone saves one, the built-in default (version 0, not stored)
 * is the tree; every save validates the whole tree and stores it as the next version, so earlier
 * versions stay readable and results can name the version they were computed with.
 */
const builtIn = (): StoredMetricsTree => ({
  version: 0,
  tree: defaultMetricsTree(),
  createdAt: null,
  createdBy: null,
  comment: 'built-in default',
});

/** The latest version, or a given one (0 = the built-in default). */
export async function getMetricsTree(store: AppStore, version?: number): Promise<StoredMetricsTree> {
  if (version === 0) return builtIn();
  let q = driversDb(store).selectFrom('metrics_trees').selectAll();
  q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const row = await q.executeTakeFirst();
  if (!row) {
    if (version === undefined) return builtIn();
    throw new AppError('not_found', `No metrics tree version ${version}`, { field: 'version' });
  }
  return {
    version: row.version,
    tree: MetricsTreeSchema.parse(JSON.parse(row.tree_json)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    comment: row.comment,
  };
}

export async function listMetricsTreeVersions(store: AppStore): Promise<MetricsTreeVersion[]> {
  const rows = await driversDb(store)
    .selectFrom('metrics_trees')
    .selectAll()
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    createdBy: r.created_by,
    comment: r.comment,
    nodes: (JSON.parse(r.tree_json) as MetricsTree).nodes.length,
  }));
}

/** Validates a whole tree; the error names the first problem's node and field, e.g. `nodes.3.children.1`. */
export function validateMetricsTree(input: unknown): MetricsTree {
  const parsed = MetricsTreeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = ['tree', ...issue.path].join('.');
  // Name the node by id as well as by position: positions shift while a tree is edited.
  const i = issue.path[0] === 'nodes' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
  const id =
    i !== undefined && typeof input === 'object' && input !== null
      ? (input as { nodes?: { id?: unknown }[] }).nodes?.[i]?.id
      : undefined;
  const where = typeof id === 'string' && !issue.message.includes(`"${id}"`) ? `node "${id}": ` : '';
  throw inputError(`${where}${issue.message}`, { field, ...(typeof id === 'string' ? { node: id } : {}) });
}

/** Stores `input` as the next version, or refuses it (400 naming node and field) and stores nothing. */
export async function saveMetricsTree(
  store: AppStore,
  input: unknown,
  by: { actor: string; now: Date; comment?: string | undefined },
): Promise<StoredMetricsTree> {
  const tree = validateMetricsTree(input);
  const createdAt = by.now.toISOString();
  const version = await driversDb(store)
    .transaction()
    .execute(async (trx) => {
      const last = await trx
        .selectFrom('metrics_trees')
        .select((e) => e.fn.max('version').as('v'))
        .executeTakeFirst();
      const next = Number(last?.v ?? 0) + 1;
      await trx
        .insertInto('metrics_trees')
        .values({
          version: next,
          tree_json: JSON.stringify(tree),
          comment: by.comment ?? null,
          created_at: createdAt,
          created_by: by.actor,
        })
        .execute();
      return next;
    });
  await audit(store, {
    at: by.now,
    actor: by.actor,
    action: 'metrics_tree.save',
    target: `metrics_tree:${version}`,
    details: { nodes: tree.nodes.length, comment: by.comment ?? null },
  });
  return { version, tree, createdAt, createdBy: by.actor, comment: by.comment ?? null };
}
