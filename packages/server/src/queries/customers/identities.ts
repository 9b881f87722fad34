import type { CustomerFile, DataScope } from '@cx/core';
import type { WarehouseSession } from '../../warehouse/port.ts';
import { scopeSql } from '../scope-sql.ts';

/** The customer's ids in other systems (CRM, billing, service desk, web cookies, app). */
export async function customerIdentities(
  wh: WarehouseSession,
  customerId: string,
  scope: DataScope,
): Promise<CustomerFile['identities']> {
  const s = scopeSql(scope, 'i', 'identities');
  const rows = await wh.all<{ source: string; external_id: string }>(
    `select distinct source, external_id from identities i
     where i.customer_id = ? and ${s.sql} order by source, external_id`,
    [customerId, ...s.params],
  );
  return rows.map((r) => ({ source: r.source, externalId: r.external_id }));
}
