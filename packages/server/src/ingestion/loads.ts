import { randomBytes } from 'node:crypto';
import { AppError, TABLES, type TableKind } from '@cx/core';
import type { Warehouse, WarehouseSession } from '../warehouse/port.ts';

/**
 * Every write to the warehouse belongs to a load: a file import, an HTTP batch, or the demo
 * generator. Loads are listed with their counts and can be undone (DESIGN.md §3).
 */
export interface LoadInfo {
  load_id: string;
  kind: string;
  source: string;
  file_sha256: string | null;
  format: string | null;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'done' | 'failed' | 'undone';
  rows_read: number;
  rows_stored: number;
  rows_duplicate: number;
  rows_rejected: number;
  message: string | null;
}

export interface LoadCounts {
  rowsRead: number;
  rowsStored: number;
  rowsDuplicate: number;
  rowsRejected: number;
}

export function newLoadId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `ld_${stamp}_${randomBytes(4).toString('hex')}`;
}

export interface LoadRecord {
  loadId: string;
  kind: string;
  source: string;
  format?: string;
  fileSha256?: string;
  startedAt: Date;
  finishedAt: Date;
  counts: LoadCounts;
  message?: string;
  options?: unknown;
}

export async function recordLoad(tx: WarehouseSession, load: LoadRecord): Promise<void> {
  await recordLoads(tx, [load]);
}

/** Records several loads in one statement (an HTTP batch group holds one load per batch). */
export async function recordLoads(tx: WarehouseSession, loads: readonly LoadRecord[]): Promise<void> {
  if (loads.length === 0) return;
  await tx.run(
    `insert into loads (load_id, kind, source, file_sha256, format, started_at, finished_at, status,
       rows_read, rows_stored, rows_duplicate, rows_rejected, message, options)
     values ${loads.map(() => "(?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?, ?, ?, ?)").join(', ')}`,
    loads.flatMap((load) => [
      load.loadId,
      load.kind,
      load.source,
      load.fileSha256 ?? null,
      load.format ?? null,
      load.startedAt,
      load.finishedAt,
      load.counts.rowsRead,
      load.counts.rowsStored,
      load.counts.rowsDuplicate,
      load.counts.rowsRejected,
      load.message ?? null,
      load.options === undefined ? null : JSON.stringify(load.options),
    ]),
  );
}

export async function listLoads(wh: WarehouseSession, limit = 100): Promise<LoadInfo[]> {
  return wh.all<LoadInfo>('select * exclude (options) from loads order by started_at desc, load_id limit ?', [
    limit,
  ]);
}

/** Deletes every row a load stored, in one transaction, and marks the load undone. */
export async function undoLoad(wh: Warehouse, loadId: string, now: Date): Promise<Record<TableKind, number>> {
  return wh.transaction(async (tx) => {
    const [load] = await tx.all<LoadInfo>('select * from loads where load_id = ?', [loadId]);
    if (!load)
      throw new AppError('not_found', `No load with id ${loadId} (see \`cxc loads list\`)`, {
        field: 'load_id',
      });
    if (load.status === 'undone') throw new AppError('conflict', `Load ${loadId} was already undone`);
    const removed = {} as Record<TableKind, number>;
    for (const table of Object.keys(TABLES) as TableKind[]) {
      const [r] = await tx.all<{ n: number }>(`select count(*) as n from ${table} where load_id = ?`, [
        loadId,
      ]);
      removed[table] = r!.n;
      if (r!.n > 0) await tx.run(`delete from ${table} where load_id = ?`, [loadId]);
    }
    // Its dead letters describe rows of a load that no longer exists.
    await tx.run('delete from dead_letters where load_id = ?', [loadId]);
    await tx.run(`update loads set status = 'undone', message = ? where load_id = ?`, [
      `undone at ${now.toISOString()}`,
      loadId,
    ]);
    return removed;
  });
}
