import type { Message } from '@cx/core';
import type { WarehouseSession } from '../warehouse/port.ts';

/**
 * Identity resolution: every id a message carries is a row of `identities`
 * `(source, external_id) → customer_id`, so events from the web (anonymousId), the CRM (userId)
 * and the service desk (a trait id) land on one customer.
 *
 * Rules (the decisions a reader needs):
 * - Strong ids are the userId (source `user_id`), `context.externalIds` (source = their type) and the
 *   id traits below. An anonymousId (source `anonymous_id`) is weak: a browser can be shared.
 * - A message's customer is the customer of its strong ids; if none is linked yet, a new customer
 *   whose id is the userId (else `<source>:<id>` of the first external id). Only with no strong id
 *   at all does the anonymous id decide: its customer, else the provisional customer `anon:<id>`.
 * - Provisional customers (`anon:` prefix) are merged into the identified customer as soon as a
 *   message links the anonymous id to a strong id: their identities, events, feedback and
 *   measurements are re-keyed in SQL, history included, and their customers row folded in. The
 *   derived session case id (`<customer>/<day>`) is re-keyed with them.
 * - Two identified customers are never merged: a message whose strong ids belong to different
 *   customers is rejected (a reason names the ids), so a bad integration cannot fuse two people.
 * - An anonymous id already linked to an identified customer stays with that customer when another
 *   user logs in on the same device; history is not moved between identified customers.
 */
export interface IdRef {
  source: string;
  externalId: string;
}

export const ANON_PREFIX = 'anon:';
export const USER_ID = 'user_id';
export const ANONYMOUS_ID = 'anonymous_id';

/** Traits (identify `traits` or `context.traits`) that carry the id of the person in another system. */
export const ID_TRAITS: Record<string, string> = {
  crm_id: 'crm',
  crmId: 'crm',
  service_desk_id: 'service_desk',
  serviceDeskId: 'service_desk',
  erp_id: 'erp',
  erpId: 'erp',
};

export const isProvisional = (customerId: string) => customerId.startsWith(ANON_PREFIX);

function addRef(refs: IdRef[], source: string, id: unknown): void {
  if ((typeof id !== 'string' && typeof id !== 'number') || id === '') return;
  const externalId = String(id);
  for (const r of refs) if (r.source === source && r.externalId === externalId) return;
  refs.push({ source, externalId });
}

/** Every id of a message, strong ones first. Hot path (once per message): no closures, no spreads. */
export function idRefsOf(m: Message): IdRef[] {
  const refs: IdRef[] = [];
  if (m.userId !== undefined) addRef(refs, USER_ID, m.userId);
  const external = m.context?.externalIds;
  if (external) for (const x of external) addRef(refs, x.type, x.id);
  const contextTraits = m.context?.traits;
  const traits = m.type === 'identify' ? m.traits : undefined;
  if (contextTraits || traits) {
    for (const trait in ID_TRAITS) {
      const v = traits?.[trait] ?? contextTraits?.[trait];
      if (v !== undefined) addRef(refs, ID_TRAITS[trait]!, v);
    }
  }
  if (m.anonymousId !== undefined) addRef(refs, ANONYMOUS_ID, m.anonymousId);
  return refs;
}

const key = (r: IdRef) => `${r.source}\u0000${r.externalId}`;

export type Resolution =
  | { ok: true; customerId: string; changed: boolean; newCustomer: boolean }
  | { ok: false; field: string; reason: string };

export interface IdentityLink {
  source: string;
  externalId: string;
  customerId: string;
  sourceSystem: string;
  /** Caller's tag of the message that made the link (the batch's load id). */
  tag: string;
}

export interface IdentityPlan {
  /** New identity rows. */
  links: IdentityLink[];
  /** Provisional customers merged into identified ones, chains followed to the end. */
  merges: [string, string][];
}

/**
 * Resolves the messages of one batch in order (an identify early in a batch re-keys a track later
 * in it, and the other way round). Loads only the identities the batch mentions.
 */
export class IdentityResolver {
  private readonly links = new Map<
    string,
    { ref: IdRef; customerId: string; sourceSystem: string; tag: string }
  >();
  private readonly merged = new Map<string, string>();

  private constructor(private readonly known: Map<string, string>) {}

  static async load(tx: WarehouseSession, refs: Iterable<IdRef>): Promise<IdentityResolver> {
    const distinct = new Map<string, IdRef>();
    for (const r of refs) distinct.set(key(r), r);
    const known = new Map<string, string>();
    if (distinct.size > 0) {
      // Two parallel lists sent as one separator-joined string each and split in SQL: one statement,
      // a hash semi-join, and no per-id value conversion in JS. Ids containing the separator (U+001F)
      // cannot be split safely, so such a batch takes the list-parameter path. The answer comes
      // back as one string too (a thousand-row answer costs more to convert than the join itself);
      // a customer id holding the separator shows as a wrong part count and is read again as rows.
      const refs = [...distinct.values()];
      const sep = '\u001f';
      const splittable = refs.every((r) => !r.source.includes(sep) && !r.externalId.includes(sep));
      const list = splittable ? 'string_split(?, chr(31))' : '?::varchar[]';
      const arg = (xs: string[]) => (splittable ? xs.join(sep) : xs);
      const from = `from identities i semi join (select unnest(${list}) as source, unnest(${list}) as external_id) b
           on i.source = b.source and i.external_id = b.external_id`;
      const params = [arg(refs.map((r) => r.source)), arg(refs.map((r) => r.externalId))];
      const [packed] = await tx.all<{ n: number; s: string | null }>(
        `select count(*) as n, string_agg(concat_ws(chr(31), i.source, i.external_id, i.customer_id), chr(31)) as s ${from}`,
        params,
      );
      const parts = packed!.s?.split(sep) ?? [];
      if (parts.length === 3 * packed!.n) {
        for (let i = 0; i < parts.length; i += 3)
          known.set(key({ source: parts[i]!, externalId: parts[i + 1]! }), parts[i + 2]!);
      } else {
        const rows = await tx.all<{ source: string; external_id: string; customer_id: string }>(
          `select i.source, i.external_id, i.customer_id ${from}`,
          params,
        );
        for (const r of rows) known.set(key({ source: r.source, externalId: r.external_id }), r.customer_id);
      }
    }
    return new IdentityResolver(known);
  }

  /** The customer an id now belongs to, after the merges of this batch. */
  final(customerId: string): string {
    let c = customerId;
    for (let to = this.merged.get(c); to !== undefined; to = this.merged.get(c)) c = to;
    return c;
  }

  private customerOf(r: IdRef): string | undefined {
    const c = this.known.get(key(r));
    return c === undefined ? undefined : this.final(c);
  }

  resolve(refs: readonly IdRef[], sourceSystem: string, tag = ''): Resolution {
    const strong = refs.filter((r) => r.source !== ANONYMOUS_ID);
    const anon = refs.find((r) => r.source === ANONYMOUS_ID);
    const identified = new Map<string, IdRef>();
    for (const r of strong) {
      const c = this.customerOf(r);
      if (c !== undefined && !isProvisional(c) && !identified.has(c)) identified.set(c, r);
    }
    if (identified.size > 1) {
      const parts = [...identified].map(([c, r]) => `${r.source} ${r.externalId} → customer ${c}`);
      return {
        ok: false,
        field: strong[0]?.source === USER_ID ? 'userId' : 'traits',
        reason: `ids belong to different customers (${parts.join('; ')}); identified customers are never merged`,
      };
    }
    const anonCustomer = anon ? this.customerOf(anon) : undefined;
    const firstStrong = strong[0];
    let target = identified.keys().next().value as string | undefined;
    if (target === undefined && firstStrong) {
      target =
        firstStrong.source === USER_ID
          ? firstStrong.externalId
          : `${firstStrong.source}:${firstStrong.externalId}`;
    }
    if (target === undefined) target = anonCustomer ?? `${ANON_PREFIX}${anon?.externalId ?? ''}`;
    // A customer nobody linked to yet: the caller creates its customers row.
    const newCustomer = identified.size === 0 && target !== anonCustomer;
    let changed = false;
    const provisional = new Set<string>();
    for (const r of refs) {
      const c = this.customerOf(r);
      if (c !== undefined && c !== target && isProvisional(c)) provisional.add(c);
    }
    for (const p of provisional) {
      this.merged.set(p, target);
      changed = true;
    }
    for (const r of refs) {
      const c = this.customerOf(r);
      if (c !== undefined) continue; // linked already (to target, or kept with its identified customer)
      this.known.set(key(r), target);
      this.links.set(key(r), { ref: r, customerId: target, sourceSystem, tag });
      changed = true;
    }
    return { ok: true, customerId: target, changed, newCustomer };
  }

  plan(): IdentityPlan {
    return {
      links: [...this.links.values()].map((l) => ({
        source: l.ref.source,
        externalId: l.ref.externalId,
        customerId: this.final(l.customerId),
        sourceSystem: l.sourceSystem,
        tag: l.tag,
      })),
      merges: [...this.merged.keys()].map((from) => [from, this.final(from)]),
    };
  }
}

/** The derived session case id of an event without one: the customer's UTC day. */
export function sessionCaseId(customerId: string, ts: number): string {
  // The day's text is cached: a batch's events mostly share a day, and toISOString is the costly part.
  const day = Math.floor(ts / 86_400_000);
  if (day !== lastDay) {
    lastDay = day;
    lastDayText = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  return `${customerId}/${lastDayText}`;
}
let lastDay = Number.NaN;
let lastDayText = '';

/**
 * Re-keys the stored history of merged provisional customers, in SQL. Runs inside the batch's
 * transaction, after the target customers' rows exist.
 */
export async function applyMerges(tx: WarehouseSession, merges: readonly [string, string][]): Promise<void> {
  if (merges.length === 0) return;
  await tx.run('create or replace temp table _merges (from_id varchar, to_id varchar)');
  await tx.append('_merges', ['from_id', 'to_id'], merges);
  await tx.run(
    'update identities t set customer_id = m.to_id from _merges m where t.customer_id = m.from_id',
  );
  const day = "strftime(t.ts at time zone 'UTC', '%Y-%m-%d')";
  await tx.run(
    `update events t set customer_id = m.to_id,
       case_id = case when t.case_id = concat(m.from_id, '/', ${day}) then concat(m.to_id, '/', ${day}) else t.case_id end
     from _merges m where t.customer_id = m.from_id`,
  );
  for (const table of ['feedback', 'measurements']) {
    await tx.run(
      `update ${table} t set customer_id = m.to_id from _merges m where t.customer_id = m.from_id`,
    );
  }
  // A provisional customer's traits (from an anonymous identify) fill gaps of the identified one.
  await tx.run(
    `update customers t set
       segment = coalesce(t.segment, p.segment),
       region = coalesce(t.region, p.region),
       created_at = coalesce(t.created_at, p.created_at),
       attributes = case when p.attributes is null then t.attributes
                         else json_merge_patch(p.attributes, coalesce(t.attributes, '{}'::json)) end
     from customers p, _merges m
     where p.customer_id = m.from_id and t.customer_id = m.to_id`,
  );
  await tx.run('delete from customers where customer_id in (select from_id from _merges)');
  await tx.run('drop table _merges');
}
