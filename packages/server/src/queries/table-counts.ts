import { TABLE_KINDS, type TableKind } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';

/** Rows per warehouse table, plus the number of distinct cases. */
export async function tableCounts(wh: WarehouseSession): Promise<Record<TableKind | 'cases', number>> {
  const parts = TABLE_KINDS.map((t) => `(select count(*) from ${t}) as ${t}`);
  const [row] = await wh.all<Record<TableKind | 'cases', number>>(
    `select ${parts.join(', ')}, (select count(distinct case_id) from events) as cases`,
  );
  return row!;
}
