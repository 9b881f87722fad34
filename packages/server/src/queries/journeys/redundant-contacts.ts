import {
  compareCodePoints,
  type DataScope,
  type RedundantContactsOptions,
  RedundantContactsOptionsSchema,
  type RedundantContactsResult,
} from '@cx/core';
import { marks } from '../sql-marks.ts';
import { parseWith } from './filter-sql.ts';
import { type Db, eventsCte, int, type JourneyOptions, pick, share } from './options.ts';

export type RedundantContactsQueryOptions = JourneyOptions & RedundantContactsOptions;

const TOPIC_COLUMN = { journey: 'journey', touchpoint: 'touchpoint' } as const;

/**
 * Redundant contacts (issue 4 §1): a customer contacts an assisted channel again about the same topic
 * (journey, or touchpoint) within `windowHours` of their previous such contact — a sign the first
 * contact did not resolve the matter. A contact is a run of consecutive events of a case on the same
 * assisted channel (a call logged as "Call hotline" + "Agent explains bill" is one contact), timed and
 * labelled by its first event. Every contact within the window (inclusive) after the previous one
 * counts as redundant. Grouped per customer across cases (a customer who calls twice
 * is one customer whatever the case notion). Contacts without a topic are left out; events without a
 * customer use their case id as the customer (tables.ts).
 */
export async function redundantContacts(
  db: Db,
  scope: DataScope,
  opts: RedundantContactsQueryOptions = {},
): Promise<RedundantContactsResult> {
  const o = parseWith(
    RedundantContactsOptionsSchema,
    pick(opts, ['windowHours', 'topic', 'assistedChannels']),
  );
  const topic = TOPIC_COLUMN[o.topic];
  const ev = eventsCte(scope, opts);
  const rows = await db.all<{
    topic: string | null;
    total: boolean;
    contacts: unknown;
    red: unknown;
    customers: unknown;
    cwr: unknown;
  }>(
    `with ev as (${ev.sql}),
     c as (
       select coalesce(customer_id, case_id) as cu, ${topic} as topic, ts, ord, channel,
              lag(channel) over (partition by case_id order by ts, ord) as prev
       from ev
     ),
     contacts as (
       select cu, topic, ts, ord from c
       where channel in (${marks(o.assistedChannels.length)}) and prev is distinct from channel and topic is not null
     ),
     r as (
       select cu, topic,
              coalesce(epoch_us(ts) - epoch_us(lag(ts) over (partition by cu, topic order by ts, ord))
                       <= cast(? as double) * 3600e6, false) as redundant
       from contacts
     )
     select topic, grouping(topic) = 1 as total, count(*) as contacts, count(*) filter (where redundant) as red,
            count(distinct cu) as customers, count(distinct cu) filter (where redundant) as cwr
     from r group by grouping sets ((topic), ())`,
    [...ev.params, ...o.assistedChannels, String(o.windowHours)],
  );
  const total = rows.find((r) => r.total);
  const contacts = int(total?.contacts);
  const redundant = int(total?.red);
  const customers = int(total?.customers);
  const customersWithRedundant = int(total?.cwr);
  return {
    windowHours: o.windowHours,
    topic: o.topic,
    assistedChannels: o.assistedChannels,
    contacts,
    redundantContacts: redundant,
    redundantShare: share(redundant, contacts),
    customers,
    customersWithRedundant,
    customerShare: share(customersWithRedundant, customers),
    byTopic: rows
      .filter((r) => !r.total)
      .map((r) => ({
        topic: r.topic ?? '',
        contacts: int(r.contacts),
        redundantContacts: int(r.red),
        redundantShare: share(int(r.red), int(r.contacts)),
        customersWithRedundant: int(r.cwr),
      }))
      .sort(
        (a, b) =>
          b.redundantContacts - a.redundantContacts ||
          b.contacts - a.contacts ||
          compareCodePoints(a.topic, b.topic),
      ),
  };
}
