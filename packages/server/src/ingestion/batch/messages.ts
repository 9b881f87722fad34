import { MESSAGE_TYPES, type Message, MessageSchema } from '@cx/core';
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
  const parsed = MessageSchema.safeParse(candidate);
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
