import { MessageSchema } from '@cx/core';
import { describe, expect, it } from 'vitest';
import { checkMessage, plainTrack } from './messages.ts';

const base = {
  type: 'track',
  messageId: 'm-1',
  userId: 'u-1',
  event: 'Order Completed',
  timestamp: '2024-05-01T10:00:00.123+02:00',
  properties: { channel: 'web', value: 3, nested: { a: [1, 2] } },
  context: { library: { name: 'analytics-node', version: '2.0.0' }, ip: '1.2.3.4' },
};

/** Variants around the common shape: valid, invalid, and shapes the fast path leaves to the schema. */
const variants: Record<string, unknown>[] = [
  base,
  { ...base, timestamp: undefined, sentAt: '2024-05-01T08:00:00Z' },
  { ...base, userId: undefined, anonymousId: 'a-1' },
  { ...base, context: undefined, properties: undefined },
  { ...base, context: { library: {} } },
  { ...base, context: { library: { name: 'x', extra: 1 }, page: { path: '/' } } },
  { ...base, timestamp: '2024-02-29T00:00:00Z' },
  // Refused by the schema: the fast path must not accept any of these.
  { ...base, timestamp: '2023-02-29T00:00:00Z' },
  { ...base, timestamp: '2024-05-01T10:00:00' },
  { ...base, timestamp: '2024-05-01T24:00:00Z' },
  { ...base, timestamp: '2024-05-01T10:00:00+24:00' },
  { ...base, timestamp: 1714557600000 },
  { ...base, sentAt: 'yesterday' },
  { ...base, messageId: '' },
  { ...base, messageId: 'x'.repeat(513) },
  { ...base, event: '' },
  { ...base, event: 'e'.repeat(501) },
  { ...base, event: 5 },
  { ...base, userId: '' },
  { ...base, userId: null },
  { ...base, anonymousId: 'a'.repeat(513) },
  { ...base, properties: [1, 2] },
  { ...base, properties: null },
  { ...base, properties: 'text' },
  { ...base, context: [] },
  { ...base, context: { library: { name: 5 } } },
  { ...base, context: { library: { name: null } } },
  { ...base, context: { library: 'x' } },
  // Left to the schema (it transforms or strips): number ids, traits, externalIds, unknown keys.
  { ...base, userId: 42 },
  { ...base, context: { traits: { crm_id: 'c1' } } },
  { ...base, context: { externalIds: [{ id: 'c1', type: 'crm' }] } },
  { ...base, integrations: { All: true }, _metadata: { x: 1 } },
  { ...base, type: 'identify' },
];

const clean = (o: Record<string, unknown>) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;

describe('plainTrack (the hand-checked track message)', () => {
  it('accepts exactly what the schema accepts, with the same content', () => {
    let fast = 0;
    let refusedBySchema = 0;
    for (const v of variants.map(clean)) {
      const byHand = plainTrack(v);
      const bySchema = MessageSchema.safeParse(v);
      if (!bySchema.success) refusedBySchema++;
      if (byHand === undefined) continue;
      fast++;
      expect(bySchema.success, JSON.stringify(v)).toBe(true);
      expect(byHand).toEqual(bySchema.data);
    }
    // The cases exercise both sides: common messages take the fast path, bad ones are refused.
    expect(fast).toBe(7);
    expect(refusedBySchema).toBeGreaterThanOrEqual(21);
  });

  it('leaves errors to the schema: same field and reason as before', () => {
    const bad = checkMessage(clean({ ...base, timestamp: '2023-02-29T00:00:00Z' }), 0, 0);
    expect(bad).toMatchObject({ ok: false, field: 'timestamp', messageId: 'm-1' });
    const number = checkMessage(clean({ ...base, userId: 42 }), 0, 0);
    expect(number.ok && number.message.userId).toBe('42');
    const extra = checkMessage(clean({ ...base, integrations: { All: true } }), 0, 0);
    expect(extra.ok && 'integrations' in extra.message).toBe(false);
  });
});
