import { randomBytes } from 'node:crypto';
import { responseError, TABLES, validateResponse } from '@cx/core';
import type { AppStore } from '../app-store/port.ts';
import { newLoadId, recordLoad } from '../ingestion/loads.ts';
import type { Warehouse } from '../warehouse/port.ts';
import { markResponded, type StoredSurvey } from './survey-store.ts';
import { type LinkClaims, responseIdFor } from './tokens.ts';

/**
 * Stores one survey response as one `feedback` row, at once, in one warehouse transaction.
 *
 * Load decision: each response is its own small load (kind `survey`, source `survey:<id>`), like a
 * single-message `POST /v1/feedback`. That keeps "every write belongs to a load" without a
 * long-lived per-day load whose counts would have to be updated, and one response can be undone
 * with `cxc loads undo`. A personal link's response id is derived from its invitation, so answering
 * twice replaces the earlier row (delete + insert in the same transaction) instead of adding one.
 */

/** What text analytics adds to a comment; supplied by the caller so this module does not depend on it. */
export interface CommentEnrichment {
  /** The comment as stored (PII redacted). */
  text: string;
  language: string | null;
  sentiment: string | null;
  sentimentScore: number | null;
  themes: string[];
}
export type CommentEnricher = (text: string) => CommentEnrichment;

export interface StoreResponseInput {
  survey: StoredSurvey;
  answers: Record<string, unknown>;
  /** The verified personal link, or none for an anonymous response. */
  claims: LinkClaims | null;
  /** Language the page was shown in (the comment's own language comes from enrichment). */
  language?: string | null;
  enrich?: CommentEnricher;
  /** Redacts PII in the free-text answers kept in properties. */
  redact?: (text: string) => string;
  now: Date;
}

export interface StoredResponse {
  responseId: string;
  loadId: string;
  /** True when an earlier answer to the same link was replaced. */
  replaced: boolean;
}

/** Every feedback column in the table spec's order (the row below is written in that order), plus the load. */
const COLS = [...TABLES.feedback.columns.map((c) => c.name), 'load_id'];

export async function storeResponse(
  stores: { warehouse: Warehouse; appStore: AppStore },
  input: StoreResponseInput,
): Promise<StoredResponse> {
  const { definition: def, version } = input.survey;
  const checked = validateResponse(def, input.answers);
  if (!checked.ok) throw responseError(checked.errors);
  const f = checked.fields;
  const claims = input.claims;
  const responseId = claims
    ? responseIdFor(claims.invitation)
    : `svy_anon_${randomBytes(9).toString('base64url')}`;
  const e = f.comment && input.enrich ? input.enrich(f.comment) : null;
  const redact = input.redact;
  const answers = redact
    ? Object.fromEntries(
        Object.entries(f.answers).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v]),
      )
    : f.answers;
  const loadId = newLoadId(input.now);
  const row = [
    responseId,
    claims?.customer ?? null,
    claims?.case ?? null,
    input.now,
    def.id,
    claims?.journey ?? def.journey ?? null,
    claims?.touchpoint ?? def.touchpoint ?? null,
    claims?.channel ?? def.channel ?? null,
    f.nps,
    f.csat,
    f.ces,
    f.elements,
    e ? e.text : f.comment,
    e?.language ?? null,
    e?.sentiment ?? null,
    e?.sentimentScore ?? null,
    e?.themes ?? null,
    'survey',
    {
      survey_version: version,
      answers,
      ...(claims ? { invitation_id: claims.invitation } : { anonymous: true }),
      ...(input.language ? { page_language: input.language } : {}),
    },
    loadId,
  ];
  const replaced = await stores.warehouse.transaction(async (tx) => {
    const [old] = await tx.all<{ n: number }>('select count(*) as n from feedback where response_id = ?', [
      responseId,
    ]);
    if (old!.n > 0) await tx.run('delete from feedback where response_id = ?', [responseId]);
    await tx.append('feedback', COLS, [row]);
    await recordLoad(tx, {
      loadId,
      kind: 'survey',
      source: `survey:${def.id}`,
      format: 'survey',
      startedAt: input.now,
      finishedAt: input.now,
      counts: { rowsRead: 1, rowsStored: 1, rowsDuplicate: 0, rowsRejected: 0 },
      ...(old!.n > 0 ? { message: `replaces the earlier answer ${responseId}` } : {}),
    });
    return old!.n > 0;
  });
  if (claims) await markResponded(stores.appStore, claims.invitation, responseId, input.now);
  return { responseId, loadId, replaced };
}
