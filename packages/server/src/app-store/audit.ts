import type { AppStore } from './port.ts';

/** Appends one entry to the audit log: who did what to which object. */
export async function audit(
  store: AppStore,
  entry: { at: Date; actor: string; action: string; target?: string; details?: unknown },
): Promise<void> {
  await store.db
    .insertInto('audit_log')
    .values({
      at: entry.at.toISOString(),
      actor: entry.actor,
      action: entry.action,
      target: entry.target ?? null,
      details_json: entry.details === undefined ? null : JSON.stringify(entry.details),
    })
    .execute();
}
