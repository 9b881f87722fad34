import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import {
  AppError,
  BatchEnvelopeSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  FeedbackMessageSchema,
  IdentifyMessageSchema,
  type Message,
  TrackMessageSchema,
} from '@cx/core';
import type { Context } from 'hono';
import { announceBatch, ingestBatch } from '../../ingestion/batch/ingest.ts';
import { currentTextAnalysis } from '../../text/current-analysis.ts';
import type { RouteRegistrar } from '../app.ts';
import { keyFromAuthorization, requireApiKey } from '../auth.ts';
import { toAppError } from '../errors.ts';

const gunzipAsync = promisify(gunzip);

/**
 * The ingestion API, wire-compatible with Segment's HTTP tracking API: `POST /v1/batch` (and its
 * alias `/v1/import`) takes `{batch: [...]}`; `/v1/track`, `/v1/identify` and `/v1/feedback` take
 * one message. The answer is 200 with a result per message whenever the body parses; whole-request
 * failures (key, size, encoding, JSON) use the error shape.
 */
export const registerBatchRoutes: RouteRegistrar = (app, deps, api) => {
  const single: [
    string,
    Message['type'],
    typeof TrackMessageSchema | typeof IdentifyMessageSchema | typeof FeedbackMessageSchema,
  ][] = [
    ['/v1/track', 'track', TrackMessageSchema],
    ['/v1/identify', 'identify', IdentifyMessageSchema],
    ['/v1/feedback', 'feedback', FeedbackMessageSchema],
  ];
  for (const path of ['/v1/batch', '/v1/import']) {
    api.add({
      method: 'post',
      path,
      summary: 'Ingest a batch of Segment-style track/identify messages and feedback messages (gzip allowed)',
      tags: ['ingestion'],
      body: BatchRequestSchema,
      response: BatchResponseSchema,
      auth: 'apiKey',
    });
    app.post(path, async (c) => {
      const done = announceBatch(deps.warehouse);
      try {
        const { key, body } = await authenticatedBody(c);
        const envelope = BatchEnvelopeSchema.safeParse(body);
        if (!envelope.success) throw toAppError(envelope.error);
        const { taxonomy, models } = await currentTextAnalysis(deps.appStore);
        const pending = ingestBatch(deps.warehouse, envelope.data.batch, {
          now: deps.clock.now(),
          keyId: key.keyId,
          batchContext: envelope.data.context,
          taxonomy,
          models,
        });
        done(); // the batch is queued (ingestBatch queues synchronously)
        return c.json(await pending);
      } finally {
        done();
      }
    });
  }
  for (const [path, type, schema] of single) {
    api.add({
      method: 'post',
      path,
      summary: `Ingest one ${type} message`,
      tags: ['ingestion'],
      body: schema,
      response: BatchResponseSchema,
      auth: 'apiKey',
    });
    app.post(path, async (c) => {
      const { key, body } = await authenticatedBody(c);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new AppError('bad_input', 'The body must be one JSON object (a message)', { field: 'body' });
      }
      const result = await ingestBatch(deps.warehouse, [body], {
        now: deps.clock.now(),
        keyId: key.keyId,
        impliedType: type,
        ...(await currentTextAnalysis(deps.appStore)),
      });
      return c.json(result);
    });
  }

  /** Checks a header key before reading the body (a wrong key costs no upload), else the body's writeKey. */
  async function authenticatedBody(c: Context) {
    const headerKey = keyFromAuthorization(c.req.header('authorization'));
    const key =
      headerKey !== undefined ? await requireApiKey(deps.appStore, headerKey, 'Authorization') : undefined;
    const body = await readJsonBody(c, deps.config.maxBodyBytes);
    if (key) return { key, body };
    const writeKey =
      typeof body === 'object' && body !== null ? (body as { writeKey?: unknown }).writeKey : undefined;
    return {
      key: await requireApiKey(
        deps.appStore,
        typeof writeKey === 'string' ? writeKey : undefined,
        'writeKey',
      ),
      body,
    };
  }
};

const tooLarge = (limit: number, what: string) =>
  new AppError(
    'payload_too_large',
    `The request body ${what} exceeds the limit of ${limit} bytes (CX_MAX_BODY_BYTES); send smaller batches`,
    {
      field: 'body',
      limit,
    },
  );

/**
 * Reads the body with the size limit enforced on the bytes received and, for gzip, on the inflated
 * bytes too: inflation stops at the limit, so a gzip bomb is refused without being expanded.
 */
export async function readJsonBody(c: Context, limit: number): Promise<unknown> {
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError(
      'unsupported_media_type',
      `Content-Encoding "${encoding}" is not supported; use gzip or none`,
      {
        field: 'Content-Encoding',
      },
    );
  }
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit, `(${declared} bytes)`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stream = c.req.raw.body;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge(limit, '');
      }
      chunks.push(value);
    }
  }
  let bytes: Buffer = Buffer.concat(chunks);
  if (encoding === 'gzip') {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: limit });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw tooLarge(limit, 'after gzip decoding');
      throw new AppError('bad_input', `The body is not valid gzip: ${(e as Error).message}`, {
        field: 'body',
      });
    }
  }
  if (bytes.length === 0)
    throw new AppError('bad_input', 'The request body is empty; expected JSON', { field: 'body' });
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new AppError('bad_input', `The body is not valid JSON: ${(e as Error).message}`, { field: 'body' });
  }
}
