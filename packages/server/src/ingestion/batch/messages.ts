import { MESSAGE_TYPES, type Message, MessageSchema, type TrackMessage } from '@cx/core';
import { z } from 'zod';
import { type IdRef, idRefsOf } from '../identity.ts';

/**
 * Validation of single ingestion messages. Each message is checked on its own and a bad one gets a
 * reason that names the field, so it never blocks the good ones of its batch.
 */
export type CheckedMessage =
  | { ok: true; index: number; message: Message; ts: number; refs: IdRef[] }
  | { ok: false; index: number; messageId: string | null; field: string; reason: string };

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `batchContext` is the batch's shared context: Segment merges it into every message, the
 * message's own keys winning. `now` is the receive time, used when a message has no timestamp.
 */
export function checkMessage(
  raw: unknown,
  index: number,
  now: number,
  batchContext?: unknown,
  impliedType?: string,
): CheckedMessage {
  const fail = (field: string, reason: string, messageId: string | null = null): CheckedMessage => ({
    ok: false,
    index,
    messageId,
    field,
    reason: `${field}: ${reason}`,
  });
  if (!isObject(raw)) return fail('message', 'expected a JSON object');
  const messageId = typeof raw.messageId === 'string' && raw.messageId !== '' ? raw.messageId : null;
  let candidate: Record<string, unknown> = raw;
  if (impliedType && raw.type === undefined) candidate = { ...candidate, type: impliedType };
  if (isObject(batchContext))
    candidate = { ...candidate, context: { ...batchContext, ...(isObject(raw.context) ? raw.context : {}) } };
  const type = candidate.type;
  if (type === undefined) return fail('type', `required (one of ${MESSAGE_TYPES.join(', ')})`, messageId);
  if (typeof type !== 'string' || !(MESSAGE_TYPES as readonly string[]).includes(type)) {
    return fail(
      'type',
      `"${String(type)}" is not supported; use one of ${MESSAGE_TYPES.join(', ')}`,
      messageId,
    );
  }
  if (impliedType && type !== impliedType)
    return fail('type', `this endpoint takes ${impliedType} messages, got "${type}"`, messageId);
  const fast = type === 'track' ? plainTrack(candidate) : undefined;
  const parsed = fast ? { success: true as const, data: fast } : MessageSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || 'message';
    const missing = issue?.code === 'invalid_type' && issue.message.includes('received undefined');
    return fail(field, missing ? 'required' : (issue?.message ?? 'invalid'), messageId);
  }
  const message = parsed.data;
  const refs = idRefsOf(message);
  if (message.type !== 'feedback' && refs.length === 0) {
    return fail('userId', 'userId or anonymousId is required', messageId);
  }
  // The schema accepts only real calendar instants (2024-02-30 is refused), so Date.parse is exact.
  const ts = message.timestamp === undefined ? now : Date.parse(message.timestamp);
  return { ok: true, index, message, ts, refs };
}

/** The pattern of the schema's timestamps (`z.iso.datetime({ offset: true })`): real calendar instants only. */
const DATETIME = z.regexes.datetime({ offset: true });
const TRACK_KEYS = new Set([
  'type',
  'messageId',
  'timestamp',
  'userId',
  'anonymousId',
  'context',
  'sentAt',
  'event',
  'properties',
]);

const isText = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;
const isTime = (v: unknown) => v === undefined || (typeof v === 'string' && DATETIME.test(v));

/**
 * The common track message (string ids, no traits or externalIds, no unknown keys) checked by hand:
 * returns it when TrackMessageSchema would accept it and give back the same content, else
 * undefined and the schema decides — so errors, number ids, stripped keys and everything unusual
 * keep the schema's exact behaviour. Zod costs ~3 µs and several allocations per message, a
 * measurable share of a 1,000-message batch (issue 3's HTTP figure); messages.test.ts checks that
 * both agree.
 */
export function plainTrack(m: Record<string, unknown>): TrackMessage | undefined {
  for (const k in m) if (!TRACK_KEYS.has(k)) return undefined;
  if (m.type !== 'track' || !isText(m.messageId, 512) || !isText(m.event, 500)) return undefined;
  if (!isTime(m.timestamp) || !isTime(m.sentAt)) return undefined;
  if (m.userId !== undefined && !isText(m.userId, 512)) return undefined;
  if (m.anonymousId !== undefined && !isText(m.anonymousId, 512)) return undefined;
  if (m.properties !== undefined && !isPlainObject(m.properties)) return undefined;
  const context = m.context;
  if (context !== undefined) {
    if (!isPlainObject(context) || context.traits !== undefined || context.externalIds !== undefined)
      return undefined;
    const library = context.library;
    if (library !== undefined) {
      if (!isPlainObject(library)) return undefined;
      if (library.name !== undefined && typeof library.name !== 'string') return undefined;
      if (library.version !== undefined && typeof library.version !== 'string') return undefined;
    }
  }
  return m as TrackMessage;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (!isObject(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
