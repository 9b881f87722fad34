import {
  type BatchResponse,
  type FeedbackMessage,
  type IdentifyMessage,
  type Message,
  type MessageResult,
  type TrackMessage,
  text,
} from '@cx/core';
import type { Warehouse, WarehouseSession } from '../../warehouse/port.ts';
import { enrichFeedbackLoad, type TextModels } from '../enrich-feedback.ts';
import { applyMerges, ID_TRAITS, IdentityResolver, isProvisional, sessionCaseId } from '../identity.ts';
import { newLoadId, recordLoads } from '../loads.ts';
import { createStage, insertStaged } from '../stage.ts';
import { type CheckedMessage, checkMessage } from './messages.ts';

/**
 * One HTTP batch → one load, written all or nothing in one warehouse transaction (batches arriving
 * together share a transaction, see group commit below). Rows go through the shared staging path
 * (`createStage` + bulk `append` + `insertStaged`), never row-by-row INSERTs. Mapping:
 * - track → one `events` row: event_id = messageId, ts = timestamp, activity = event; case_id =
 *   properties.case_id ?? properties.caseId ?? `<customer>/<UTC day>` (a per-customer-per-day
 *   session, re-keyed when an anonymous customer is identified); journey, touchpoint, channel,
 *   resource, value and source_system are copied from properties when they have the right type;
 *   properties are stored verbatim (nothing dropped, so a message can be reconstructed).
 * - identify → identity links (see identity.ts) and a `customers` row; traits segment, region,
 *   created_at/createdAt fill columns, the other non-id traits go to attributes. Later traits win.
 * - feedback → one `feedback` row, response_id = messageId.
 * source_system = properties.source_system (feedback: its field) ?? context.library.name ?? 'api'.
 *
 * Status per message: `duplicate` when its messageId is stored already (a retry) or repeated in
 * the batch. An identify stores no row of its own, so it is a duplicate when it brings nothing new:
 * every id already linked and every trait already stored.
 */
export interface IngestOptions {
  now: Date;
  /** Who sent it (API key id), kept with the load. */
  keyId?: string;
  /** Single-message endpoints (/v1/track …) imply the type. */
  impliedType?: Message['type'];
  batchContext?: unknown;
  /** Themes for feedback comments; the built-in taxonomy when absent. */
  taxonomy?: text.Taxonomy;
  /** Active trained models applied to feedback comments (text/current-analysis.ts). */
  models?: TextModels | undefined;
}

const EVENT_COLS = [
  'event_id',
  'customer_id',
  'case_id',
  'ts',
  'activity',
  'touchpoint',
  'journey',
  'channel',
  'source_system',
  'resource',
  'value',
  'properties',
  '_ord',
  '_line',
  '_load',
] as const;

const FEEDBACK_COLS = [
  'response_id',
  'customer_id',
  'case_id',
  'ts',
  'survey_id',
  'journey',
  'touchpoint',
  'channel',
  'nps',
  'csat',
  'ces',
  'elements',
  'comment',
  'language',
  'sentiment',
  'sentiment_score',
  'themes',
  'source_system',
  'properties',
  '_ord',
  '_line',
  '_load',
] as const;

const CUSTOMER_COLS = [
  'customer_id',
  'created_at',
  'segment',
  'region',
  'attributes',
  'source_system',
  '_ord',
  '_line',
  '_load',
] as const;

/** Every stage of a group holds each key once, ids are deduped above (`seen`, Maps keyed by id). */
const given = (rows: number) => ({ givenUniqueKeys: rows });

/** Trait names that fill customers columns rather than attributes. */
const COLUMN_TRAITS = new Set(['segment', 'region', 'created_at', 'createdAt']);

const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

function sourceSystemOf(m: Message): string {
  const own =
    m.type === 'track'
      ? str(m.properties?.source_system)
      : m.type === 'feedback'
        ? str(m.source_system)
        : null;
  return own ?? str(m.context?.library?.name) ?? 'api';
}

interface Traits {
  segment?: string | null;
  region?: string | null;
  created_at?: number | null;
  attributes: Record<string, unknown>;
}

function traitsOf(m: IdentifyMessage): Traits {
  const t = m.traits ?? {};
  const out: Traits = { attributes: {} };
  if ('segment' in t) out.segment = str(t.segment);
  if ('region' in t) out.region = str(t.region);
  const created = t.created_at ?? t.createdAt;
  if (created !== undefined) {
    const ms = typeof created === 'number' ? created : Date.parse(String(created));
    out.created_at = Number.isFinite(ms) ? ms : null;
  }
  for (const [k, v] of Object.entries(t))
    if (!COLUMN_TRAITS.has(k) && !(k in ID_TRAITS)) out.attributes[k] = v;
  return out;
}

function traitsError(m: IdentifyMessage): string | null {
  const created = m.traits?.created_at ?? m.traits?.createdAt;
  if (created === undefined || created === null) return null;
  const ms = typeof created === 'number' ? created : Date.parse(String(created));
  return Number.isFinite(ms) ? null : `"${String(created)}" is not a date-time`;
}

type Ok = Extract<CheckedMessage, { ok: true }>;

/** One batch, validated, waiting for the writer. */
interface Job {
  raw: readonly unknown[];
  opts: IngestOptions;
  loadId: string;
  results: MessageResult[];
  rejected: Map<number, { field: string; reason: string }>;
  /** Valid messages, repeats inside the batch removed, in order. */
  candidates: Ok[];
  resolve: (r: BatchResponse) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: batches that arrive while a transaction is running are written together in the
 * next one. Each batch stays its own load (own load id, counts and dead letters); only the fixed
 * costs — the commit's fsync, the scans of the key and identity columns — are shared. If a group
 * fails, each of its batches is retried alone, so one batch's failure never fails another's.
 */
const MAX_GROUP_MESSAGES = 20_000;
const GROUP_WAIT_MS = 15;
interface Writer {
  pending: Job[];
  running: boolean;
  /** Requests whose body is still being received: worth a short wait to join the next group. */
  incoming: number;
}
const writers = new WeakMap<Warehouse, Writer>();

function writerOf(warehouse: Warehouse): Writer {
  let w = writers.get(warehouse);
  if (!w) {
    w = { pending: [], running: false, incoming: 0 };
    writers.set(warehouse, w);
  }
  return w;
}

/**
 * Called by the HTTP layer when a batch request starts; the returned function when it has been
 * handed to ingestBatch (or failed). Lets the writer wait a moment for batches still uploading.
 */
export function announceBatch(warehouse: Warehouse): () => void {
  const w = writerOf(warehouse);
  w.incoming++;
  let done = false;
  return () => {
    if (!done) w.incoming--;
    done = true;
  };
}

export async function ingestBatch(
  warehouse: Warehouse,
  rawMessages: readonly unknown[],
  opts: IngestOptions,
): Promise<BatchResponse> {
  const now = opts.now.getTime();
  const checked: CheckedMessage[] = rawMessages.map((raw, i) =>
    checkMessage(raw, i, now, opts.batchContext, opts.impliedType),
  );
  const results: MessageResult[] = checked.map((c) =>
    c.ok
      ? { messageId: c.message.messageId, status: 'accepted' }
      : { messageId: c.messageId, status: 'rejected', reason: c.reason },
  );
  const rejected = new Map<number, { field: string; reason: string }>();
  for (const c of checked) {
    if (!c.ok) rejected.set(c.index, { field: c.field, reason: c.reason });
    else if (c.message.type === 'identify') {
      const err = traitsError(c.message);
      if (err) {
        const field = c.message.traits?.created_at !== undefined ? 'traits.created_at' : 'traits.createdAt';
        rejected.set(c.index, { field, reason: `${field}: ${err}` });
        results[c.index] = { messageId: c.message.messageId, status: 'rejected', reason: `${field}: ${err}` };
      }
    }
  }
  // Repeats inside the batch: the first one counts, later ones are duplicates.
  const seen = new Set<string>();
  const candidates: Ok[] = [];
  for (const c of checked) {
    if (!c.ok || rejected.has(c.index)) continue;
    if (seen.has(c.message.messageId)) {
      results[c.index] = {
        messageId: c.message.messageId,
        status: 'duplicate',
        reason: 'messageId repeated in this batch',
      };
      continue;
    }
    seen.add(c.message.messageId);
    candidates.push(c);
  }
  if (rawMessages.length === 0) return summarise(null, results);

  const writer = writerOf(warehouse);
  return new Promise<BatchResponse>((resolve, reject) => {
    writer.pending.push({
      raw: rawMessages,
      opts,
      loadId: newLoadId(opts.now),
      results,
      rejected,
      candidates,
      resolve,
      reject,
    });
    if (!writer.running) void drain(warehouse, writer);
  });
}

async function drain(warehouse: Warehouse, w: Writer): Promise<void> {
  w.running = true;
  try {
    while (w.pending.length > 0) {
      // Commit delay: a lone batch waits briefly for batches still arriving, so they share a commit.
      for (const until = performance.now() + GROUP_WAIT_MS; w.incoming > 0 && performance.now() < until; ) {
        await new Promise((r) => setTimeout(r, 1));
      }
      const group: Job[] = [];
      let size = 0;
      while (
        w.pending.length > 0 &&
        (group.length === 0 || size + w.pending[0]!.raw.length <= MAX_GROUP_MESSAGES)
      ) {
        const job = w.pending.shift()!;
        size += job.raw.length;
        group.push(job);
      }
      try {
        await writeGroup(warehouse, group);
        for (const job of group) job.resolve(summarise(job.loadId, job.results));
      } catch (e) {
        if (group.length === 1) {
          group[0]!.reject(e);
          continue;
        }
        for (const job of group) {
          try {
            resetStatuses(job);
            await writeGroup(warehouse, [job]);
            job.resolve(summarise(job.loadId, job.results));
          } catch (e1) {
            job.reject(e1);
          }
        }
      }
    }
  } finally {
    w.running = false;
  }
}

/** Statuses decided inside a failed (rolled back) transaction are decided again. */
function resetStatuses(job: Job): void {
  for (const c of job.candidates) {
    job.rejected.delete(c.index); // a conflict found by identity resolution is found again
    job.results[c.index] = { messageId: c.message.messageId, status: 'accepted' };
  }
  for (const [i, r] of job.rejected) {
    const c = job.results[i];
    if (c) job.results[i] = { messageId: c.messageId, status: 'rejected', reason: r.reason };
  }
}

/** Writes a group of batches in one transaction; fills each job's results. */
async function writeGroup(warehouse: Warehouse, jobs: readonly Job[]): Promise<void> {
  const t0 = performance.now();
  const groupLoad = jobs[0]!.loadId;
  await warehouse.transaction(async (tx) => {
    // Across the batches of a group, a repeat of an earlier batch's message is a retry, as if sent later.
    const seen = new Set<string>();
    const live: { job: Job; c: Ok }[] = [];
    for (const job of jobs) {
      for (const c of job.candidates) {
        if (seen.has(c.message.messageId)) {
          job.results[c.index] = {
            messageId: c.message.messageId,
            status: 'duplicate',
            reason: 'messageId already stored',
          };
          continue;
        }
        seen.add(c.message.messageId);
        live.push({ job, c });
      }
    }
    // Retries are recognised by the insert itself (insertStaged skips stored keys), so the events
    // table is scanned once per group; resolving a retried message again links nothing new.
    const resolver = await IdentityResolver.load(
      tx,
      live.flatMap(({ c }) => c.refs),
    );
    type Item = { job: Job; c: Ok; customerId: string | null; changed: boolean };
    const accepted: Item[] = [];
    const customerWriters = new Map<
      string,
      { ord: number; sourceSystem: string; loadId: string; traits?: Traits }
    >();
    for (const { job, c } of live) {
      const refs = c.refs;
      const sourceSystem = sourceSystemOf(c.message);
      if (refs.length === 0) {
        accepted.push({ job, c, customerId: null, changed: true }); // an anonymous survey response
        continue;
      }
      const r = resolver.resolve(refs, sourceSystem, job.loadId);
      if (!r.ok) {
        const reason = `${r.field}: ${r.reason}`;
        job.rejected.set(c.index, { field: r.field, reason });
        job.results[c.index] = { messageId: c.message.messageId, status: 'rejected', reason };
        continue;
      }
      accepted.push({ job, c, customerId: r.customerId, changed: r.changed });
      const traits = c.message.type === 'identify' ? traitsOf(c.message) : undefined;
      // Customers rows only for new identified customers and for traits: a known customer has its row.
      if ((r.newCustomer && !isProvisional(r.customerId)) || traits) {
        const prev = customerWriters.get(r.customerId);
        customerWriters.set(r.customerId, {
          ord: prev?.ord ?? customerWriters.size,
          sourceSystem: prev?.sourceSystem ?? sourceSystem,
          loadId: prev?.loadId ?? job.loadId,
          traits: mergeTraits(prev?.traits, traits),
        });
      }
    }
    const plan = resolver.plan();
    const final = (it: Item) => (it.customerId === null ? null : resolver.final(it.customerId));

    // Customers: new ones inserted, traits of existing ones updated (later traits win).
    const customerRows = new Map<
      string,
      { ord: number; sourceSystem: string; loadId: string; traits?: Traits }
    >();
    for (const [id, w] of customerWriters) {
      const f = resolver.final(id);
      const prev = customerRows.get(f);
      customerRows.set(f, {
        ord: Math.min(prev?.ord ?? w.ord, w.ord),
        sourceSystem: prev?.sourceSystem ?? w.sourceSystem,
        loadId: prev?.loadId ?? w.loadId,
        traits: mergeTraits(prev?.traits, w.traits),
      });
    }
    const identifies = accepted.filter((it) => it.c.message.type === 'identify');
    const existing = await existingCustomers(tx, [...new Set(identifies.map((it) => final(it) as string))]);
    for (const it of identifies) {
      if (it.changed) continue;
      const before = existing.get(final(it) as string);
      if (!before || traitsDiffer(before, traitsOf(it.c.message as IdentifyMessage))) it.changed = true;
    }
    if (customerRows.size > 0) {
      await createStage(tx, 'customers', '_stage_customers');
      await tx.append(
        '_stage_customers',
        CUSTOMER_COLS,
        [...customerRows].map(([id, w]) => [
          id,
          w.traits?.created_at ?? null,
          w.traits?.segment ?? null,
          w.traits?.region ?? null,
          w.traits && Object.keys(w.traits.attributes).length > 0 ? w.traits.attributes : null,
          w.sourceSystem,
          w.ord,
          w.ord,
          w.loadId,
        ]),
      );
      // Traits update the customers stored before this group; the insert then adds the new ones.
      await tx.run(
        `update customers c set
           segment = coalesce(s.segment, c.segment),
           region = coalesce(s.region, c.region),
           created_at = coalesce(s.created_at, c.created_at),
           attributes = case when s.attributes is null then c.attributes
                             else json_merge_patch(coalesce(c.attributes, '{}'::json), s.attributes) end
         from _stage_customers s
         where c.customer_id = s.customer_id
           and (s.segment is not null or s.region is not null or s.created_at is not null or s.attributes is not null)`,
      );
      await insertStaged(tx, 'customers', '_stage_customers', groupLoad, given(customerRows.size));
    }
    await applyMerges(tx, plan.merges);
    if (plan.links.length > 0) {
      await createStage(tx, 'identities', '_stage_identities');
      await tx.append(
        '_stage_identities',
        ['source', 'external_id', 'customer_id', 'source_system', '_ord', '_line', '_load'],
        plan.links.map((l, i) => [l.source, l.externalId, l.customerId, l.sourceSystem, i, i, l.tag]),
      );
      await insertStaged(tx, 'identities', '_stage_identities', groupLoad, given(plan.links.length));
    }

    const tracks = accepted.filter((it) => it.c.message.type === 'track');
    if (tracks.length > 0) {
      await createStage(tx, 'events', '_stage_events');
      await tx.append(
        '_stage_events',
        EVENT_COLS,
        tracks.map((it, i) =>
          eventRow(it.c.message as TrackMessage, it.c.ts, final(it), i, it.c.index, it.job.loadId),
        ),
      );
      const { stored } = await insertStaged(tx, 'events', '_stage_events', groupLoad, given(tracks.length));
      // All stored (the usual case) needs no look-up; otherwise find which were there before.
      if (stored < tracks.length) await markStored(tx, 'events', 'event_id', jobs, tracks);
    }
    const feedback = accepted.filter((it) => it.c.message.type === 'feedback');
    if (feedback.length > 0) {
      await createStage(tx, 'feedback', '_stage_feedback');
      await tx.append(
        '_stage_feedback',
        FEEDBACK_COLS,
        feedback.map((it, i) =>
          feedbackRow(it.c.message as FeedbackMessage, it.c.ts, final(it), i, it.c.index, it.job.loadId),
        ),
      );
      const { stored } = await insertStaged(
        tx,
        'feedback',
        '_stage_feedback',
        groupLoad,
        given(feedback.length),
      );
      // Comments are redacted and analysed before the transaction commits: no reader ever sees them raw.
      await enrichFeedbackLoad(
        tx,
        jobs.map((j) => j.loadId),
        { taxonomy: jobs[0]!.opts.taxonomy ?? text.DEFAULT_TAXONOMY, models: jobs[0]!.opts.models },
      );
      if (stored < feedback.length) await markStored(tx, 'feedback', 'response_id', jobs, feedback);
    }
    for (const it of identifies) {
      if (!it.changed) {
        it.job.results[it.c.index] = {
          messageId: it.c.message.messageId,
          status: 'duplicate',
          reason: 'every id and trait of this identify is already stored',
        };
      }
    }

    const dead = jobs.flatMap((job) =>
      [...job.rejected].map(([i, r]) => [
        job.loadId,
        'api',
        i,
        r.field,
        r.reason,
        rawText(job.raw[i]),
        job.opts.now.getTime(),
      ]),
    );
    if (dead.length > 0) {
      await tx.append(
        'dead_letters',
        ['load_id', 'source', 'line', 'field', 'reason', 'raw', 'created_at'],
        dead,
      );
    }
    await recordLoads(
      tx,
      jobs.map((job) => {
        const counts = countResults(job.results);
        return {
          loadId: job.loadId,
          kind: 'batch',
          source: 'api',
          format: 'segment',
          startedAt: job.opts.now,
          finishedAt: new Date(job.opts.now.getTime() + (performance.now() - t0)),
          counts: {
            rowsRead: job.raw.length,
            rowsStored: counts.accepted,
            rowsDuplicate: counts.duplicates,
            rowsRejected: counts.rejected,
          },
          ...(job.opts.keyId ? { options: { keyId: job.opts.keyId } } : {}),
        };
      }),
    );
  });
}

/** Messages whose row no load of this group stored were stored before: a retry. */
async function markStored(
  tx: WarehouseSession,
  table: 'events' | 'feedback',
  keyCol: string,
  jobs: readonly Job[],
  items: readonly { job: Job; c: Ok }[],
): Promise<void> {
  const rows = await tx.all<{ id: string }>(
    `select ${keyCol} as id from ${table} where load_id in (select unnest(?::varchar[]))`,
    [jobs.map((j) => j.loadId)],
  );
  const stored = new Set(rows.map((r) => r.id));
  for (const { job, c } of items) {
    if (!stored.has(c.message.messageId)) {
      job.results[c.index] = {
        messageId: c.message.messageId,
        status: 'duplicate',
        reason: 'messageId already stored',
      };
    }
  }
}

interface StoredCustomer {
  segment: string | null;
  region: string | null;
  created_at: number | null;
  attributes: Record<string, unknown>;
}

async function existingCustomers(
  tx: WarehouseSession,
  ids: readonly string[],
): Promise<Map<string, StoredCustomer>> {
  const out = new Map<string, StoredCustomer>();
  if (ids.length === 0) return out;
  const rows = await tx.all<{
    customer_id: string;
    segment: string | null;
    region: string | null;
    created_ms: number | null;
    attributes: string | null;
  }>(
    `select customer_id, segment, region, epoch_ms(created_at) as created_ms, attributes::varchar as attributes
     from customers where customer_id in (select unnest(?::varchar[]))`,
    [ids],
  );
  for (const r of rows) {
    out.set(r.customer_id, {
      segment: r.segment,
      region: r.region,
      created_at: r.created_ms,
      attributes: r.attributes ? (JSON.parse(r.attributes) as Record<string, unknown>) : {},
    });
  }
  return out;
}

function traitsDiffer(before: StoredCustomer, t: Traits): boolean {
  if (t.segment != null && t.segment !== before.segment) return true;
  if (t.region != null && t.region !== before.region) return true;
  if (t.created_at != null && t.created_at !== before.created_at) return true;
  return Object.entries(t.attributes).some(
    ([k, v]) => JSON.stringify(before.attributes[k]) !== JSON.stringify(v),
  );
}

function mergeTraits(a: Traits | undefined, b: Traits | undefined): Traits | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    segment: b.segment ?? a.segment ?? null,
    region: b.region ?? a.region ?? null,
    created_at: b.created_at ?? a.created_at ?? null,
    attributes: { ...a.attributes, ...b.attributes },
  };
}

function eventRow(
  m: TrackMessage,
  ts: number,
  customerId: string | null,
  ord: number,
  line: number,
  loadId: string,
): unknown[] {
  const p = m.properties ?? {};
  const caseId = str(p.case_id) ?? str(p.caseId) ?? sessionCaseId(customerId ?? 'unknown', ts);
  return [
    m.messageId,
    customerId,
    caseId,
    ts,
    m.event,
    str(p.touchpoint),
    str(p.journey),
    str(p.channel),
    sourceSystemOf(m),
    str(p.resource),
    num(p.value),
    m.properties ?? null,
    ord,
    line,
    loadId,
  ];
}

function feedbackRow(
  m: FeedbackMessage,
  ts: number,
  customerId: string | null,
  ord: number,
  line: number,
  loadId: string,
): unknown[] {
  return [
    m.messageId,
    customerId,
    m.case_id ?? null,
    ts,
    m.survey_id ?? null,
    m.journey ?? null,
    m.touchpoint ?? null,
    m.channel ?? null,
    m.nps ?? null,
    m.csat ?? null,
    m.ces ?? null,
    m.elements ?? null,
    m.comment ?? null,
    m.language ?? null,
    m.sentiment ?? null,
    m.sentiment_score ?? null,
    m.themes ?? null,
    sourceSystemOf(m),
    m.properties ?? null,
    ord,
    line,
    loadId,
  ];
}

function rawText(raw: unknown): string {
  const s = JSON.stringify(raw) ?? String(raw);
  return s.length > 10_000 ? `${s.slice(0, 10_000)}…` : s;
}

function countResults(results: readonly MessageResult[]) {
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  for (const r of results) {
    if (r.status === 'accepted') accepted++;
    else if (r.status === 'duplicate') duplicates++;
    else rejected++;
  }
  return { accepted, duplicates, rejected };
}

function summarise(loadId: string | null, results: MessageResult[]): BatchResponse {
  return { loadId, ...countResults(results), results };
}
