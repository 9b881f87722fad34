import type { text } from '@cx/core';
import { sendJson } from '../../lib/api.ts';

/**
 * The text-analytics administration API (/api/text/*) as the cockpit uses it. Writes go through
 * lib/api's `sendJson` so that the server's bad_input message — which names the field — reaches the screen.
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
