import type { SurveyDetail, SurveyList } from '@cx/core';
import { ApiError, getJson } from '../../lib/api.ts';
import type { Draft } from './draft.ts';

/** Sends JSON and returns the parsed answer; a refusal carries the server's message (it names the field). */
async function send<T>(method: 'PUT' | 'POST', path: string, body: unknown, as: 'json' | 'text'): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', accept: as === 'json' ? 'application/json' : 'text/html' },
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
  return (as === 'json' ? JSON.parse(text) : text) as T;
}

export const listSurveys = (signal?: AbortSignal) => getJson<SurveyList>('/api/surveys', signal);
export const getSurvey = (id: string, signal?: AbortSignal) =>
  getJson<SurveyDetail>(`/api/surveys/${encodeURIComponent(id)}`, signal);

/** Saves the definition (a new version when changed), then its triggers. */
export async function saveDraft(d: Draft): Promise<SurveyDetail> {
  const id = encodeURIComponent(d.definition.id);
  await send('PUT', `/api/surveys/${id}`, d.definition, 'json');
  await send('PUT', `/api/surveys/${id}/triggers`, d.triggers, 'json');
  return getSurvey(d.definition.id);
}

export const previewHtml = (definition: unknown, lang: string) =>
  send<string>('POST', `/api/surveys/preview?lang=${encodeURIComponent(lang)}`, definition, 'text');
