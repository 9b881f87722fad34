import type { SurveyDetail, SurveyList } from '@cx/core';
import { ApiError, getJson, sendJson } from '../../lib/api.ts';
import type { Draft } from './draft.ts';

/** POSTs JSON and returns the HTML answer; a refusal carries the server's message (it names the field). */
async function postForHtml(path: string, body: unknown): Promise<string> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/html' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    let err: { code?: string; message?: string } | undefined;
    try {
      err = (JSON.parse(text) as { error?: typeof err }).error;
    } catch {
      // not the error shape; fall through to the status
    }
    throw new ApiError(
      res.status,
      err?.code ?? 'http_error',
      err?.message ?? `Request failed (${res.status})`,
    );
  }
  return text;
}

export const listSurveys = (signal?: AbortSignal) => getJson<SurveyList>('/api/surveys', signal);
export const getSurvey = (id: string, signal?: AbortSignal) =>
  getJson<SurveyDetail>(`/api/surveys/${encodeURIComponent(id)}`, signal);

/** Saves the definition (a new version when changed), then its triggers. */
export async function saveDraft(d: Draft): Promise<SurveyDetail> {
  const id = encodeURIComponent(d.definition.id);
  await sendJson('PUT', `/api/surveys/${id}`, d.definition);
  await sendJson('PUT', `/api/surveys/${id}/triggers`, d.triggers);
  return getSurvey(d.definition.id);
}

export const previewHtml = (definition: unknown, lang: string) =>
  postForHtml(`/api/surveys/preview?lang=${encodeURIComponent(lang)}`, definition);
