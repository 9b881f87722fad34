import { z } from 'zod';
import { TABLES } from './tables.ts';

/**
 * API contract of the ingestion API (`POST /v1/batch`, `/v1/track`, `/v1/identify`, `/v1/feedback`):
 * Segment's message format, so that Segment's own client libraries can send to CX Cockpit, plus a
 * `feedback` message for survey responses. Each message is validated on its own so one bad message
 * never blocks the good ones of its batch.
 */

/** Segment sends ids as strings; some HTTP clients send numbers, which are taken as their decimal text. */
const Id = z
  .union([z.string().min(1).max(512), z.number().transform(String)])
  .describe('An id of the sender; numbers are stored as text');

const Timestamp = z.iso
  .datetime({
    offset: true,
    error: 'expected an ISO 8601 date-time with Z or an offset, e.g. 2024-05-01T10:00:00Z',
  })
  .describe('ISO 8601 date-time with Z or an offset, e.g. 2024-05-01T10:00:00Z');

const Json = z.record(z.string(), z.unknown());

/** Segment's `context.externalIds`: further ids of the same person in other systems. */
const ExternalId = z.object({
  id: Id,
  type: z
    .string()
    .min(1)
    .max(100)
    .describe('System of the id, stored as the identity source (e.g. crm, service_desk)'),
});

const Context = z
  .looseObject({
    library: z.looseObject({ name: z.string().optional(), version: z.string().optional() }).optional(),
    traits: Json.optional(),
    externalIds: z.array(ExternalId).optional(),
  })
  .describe(
    'Segment context; library.name becomes source_system, traits and externalIds take part in identity resolution',
  );

const common = {
  messageId: z
    .string()
    .min(1)
    .max(512)
    .describe('Unique id of the message; retries with the same id are stored once'),
  timestamp: Timestamp.optional().describe('When it happened (default: when the server received it)'),
  userId: Id.optional().describe('Your id of the customer'),
  anonymousId: Id.optional().describe('Anonymous id (web or app visitor before login)'),
  context: Context.optional(),
  sentAt: Timestamp.optional(),
};

export const TrackMessageSchema = z.object({
  type: z.literal('track'),
  ...common,
  event: z.string().min(1).max(500).describe('Event name; becomes the activity'),
  properties: Json.optional().describe(
    'Stored verbatim in events.properties. case_id/caseId, journey, touchpoint, channel, resource, value and source_system are also copied into their columns',
  ),
});

export const IdentifyMessageSchema = z.object({
  type: z.literal('identify'),
  ...common,
  traits: Json.optional().describe(
    'segment, region and created_at/createdAt fill the customer columns; crm_id, service_desk_id, erp_id link those ids; the rest goes to attributes',
  ),
});

/** Score ranges come from the feedback table (NPS 0–10, CSAT 1–5, CES 1–7), so they have one source. */
function score(name: 'nps' | 'csat' | 'ces') {
  const col = TABLES.feedback.columns.find((c) => c.name === name);
  return z
    .number()
    .int()
    .min(col?.min ?? Number.NEGATIVE_INFINITY)
    .max(col?.max ?? Number.POSITIVE_INFINITY)
    .optional()
    .describe(col?.description ?? name);
}

export const FeedbackMessageSchema = z.object({
  type: z.literal('feedback'),
  ...common,
  survey_id: z.string().optional().describe('Survey the response belongs to'),
  case_id: z.string().optional().describe('Journey instance the response is about'),
  journey: z.string().optional(),
  touchpoint: z.string().optional(),
  channel: z.string().optional(),
  nps: score('nps'),
  csat: score('csat'),
  ces: score('ces'),
  elements: z
    .record(z.string(), z.number())
    .optional()
    .describe('Experience-element scores, e.g. {"ease":4}'),
  comment: z.string().optional(),
  language: z.string().optional().describe('ISO 639-1 language of the comment'),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  sentiment_score: z.number().min(-1).max(1).optional().describe('Sentiment score, −1..1'),
  themes: z.array(z.string()).optional(),
  source_system: z.string().optional().describe('System the response came from'),
  properties: Json.optional().describe('All other attributes of the response'),
});

export const MESSAGE_TYPES = ['track', 'identify', 'feedback'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const MessageSchema = z.discriminatedUnion('type', [
  TrackMessageSchema,
  IdentifyMessageSchema,
  FeedbackMessageSchema,
]);
export type TrackMessage = z.infer<typeof TrackMessageSchema>;
export type IdentifyMessage = z.infer<typeof IdentifyMessageSchema>;
export type FeedbackMessage = z.infer<typeof FeedbackMessageSchema>;
export type Message = TrackMessage | IdentifyMessage | FeedbackMessage;

const envelope = {
  sentAt: Timestamp.optional().describe('When the client sent the batch (informational)'),
  context: Context.optional().describe('Context shared by every message; a message’s own context keys win'),
  writeKey: z.string().optional().describe('API key, when it is not sent as HTTP Basic user or Bearer token'),
  integrations: Json.optional(),
};

/** What the OpenAPI document shows for POST /v1/batch. */
export const BatchRequestSchema = z.object({
  batch: z.array(MessageSchema).describe('Messages; each is validated on its own'),
  ...envelope,
});

/**
 * What the server checks before looking at the messages: only the envelope. The messages are
 * validated one by one, so that a bad one is reported and the rest are stored.
 */
export const BatchEnvelopeSchema = z.object({ batch: z.array(z.unknown()), ...envelope });

export const MessageResultSchema = z.object({
  messageId: z.string().nullable().describe('null when the message had none'),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z
    .string()
    .optional()
    .describe('Why a message was rejected (names the field) or counted as duplicate'),
});
export type MessageResult = z.infer<typeof MessageResultSchema>;

export const BatchResponseSchema = z.object({
  loadId: z
    .string()
    .nullable()
    .describe('The load this batch was stored as (undo with `cxc loads undo`); null when nothing was stored'),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(MessageResultSchema).describe('One per message, in the order sent'),
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;
