import type { FollowUpCase } from '@cx/core';
import type { AppStore } from '../../app-store/port.ts';

/** Frontline follow-up cases of the customer (app store `cases`: closing the loop), oldest first. */
export async function customerFollowUpCases(store: AppStore, customerId: string): Promise<FollowUpCase[]> {
  const rows = await store.db
    .selectFrom('cases')
    .select(['case_id', 'title', 'state', 'priority', 'owner', 'opened_at', 'closed_at'])
    .where('customer_id', '=', customerId)
    .orderBy('opened_at')
    .orderBy('case_id')
    .execute();
  return rows.map((r) => ({
    caseId: r.case_id,
    title: r.title,
    state: r.state,
    priority: r.priority,
    owner: r.owner,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
  }));
}
