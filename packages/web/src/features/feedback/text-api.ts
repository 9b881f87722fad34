import type { text } from '@cx/core';
import { ApiError } from '../../lib/api.ts';

/**
 * The text-analytics administration API (/api/text/*) as the cockpit uses it. Writes go through
 * `sendJson` so that the server's bad_input message — which names the field — reaches the screen.
 */
export interface StoredTaxonomy {
  version: number;
  themes: text.Theme[];
  createdAt: string | null;
  createdBy: string | null;
  stored: boolean;
}
export interface TaxonomyVersion {
  version: number;
  createdAt: string | null;
  createdBy: string | null;
  themes: number;
}
export interface LabelCount {
  task: string;
  label: string;
  n: number;
}
export interface ModelInfo {
  modelId: string;
  task: string;
  createdAt: string;
  createdBy: string;
  nExamples: number;
  labels: string[];
  /** Training runs as a background job: poll GET /api/text/models/{id} until ready or failed. */
  status: 'training' | 'ready' | 'failed';
  error: string | null;
  /** The ingest target ('sentiment' or 'theme') this model is applied to, if any. */
  active: string | null;
  metrics: {
    k: number;
    accuracy: number;
    macroF1: number;
    perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
    foldAccuracy: number[];
    trainSeconds: number;
  } | null;
}

/** The two labelling tasks the cockpit offers: sentiment, and one theme of the taxonomy per comment. */
export const SENTIMENT_TASK = 'sentiment';
export const THEME_TASK = 'theme';
export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;

export async function sendJson<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const raw = await res.text();
  let parsed: unknown = null;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    throw new ApiError(
      res.status,
      'bad_response',
      `The server answered ${res.status} with something that is not JSON`,
    );
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      res.status,
      err?.code ?? 'http_error',
      err?.message ?? `Request failed with status ${res.status}`,
    );
  }
  return parsed as T;
}

export function addLabel(task: string, label: string, comment: string, responseId: string) {
  return sendJson<{ task: string; added: number; replaced: number; total: number }>(
    'POST',
    '/api/text/labels',
    {
      task,
      source: 'cockpit',
      items: [{ text: comment, label, responseId }],
    },
  );
}
