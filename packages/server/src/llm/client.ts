import { AppError } from '@cx/core';

/**
 * A client for any OpenAI-compatible chat-completions API (OpenAI, Azure OpenAI's compatible
 * endpoint, vLLM, llama.cpp server, Ollama, LM Studio …): `POST {url}/chat/completions` with a
 * Bearer key and `{model, messages, temperature: 0}`. Plain fetch, no SDK: the protocol is one call.
 * Every failure (network, timeout, HTTP status, malformed answer) is an AppError whose message says
 * what went wrong, so callers can fall back and show why.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmSettings {
  /** Base URL of the API, e.g. http://localhost:8080/v1 (the path /chat/completions is appended). */
  url: string;
  apiKey?: string | undefined;
  model: string;
  /** Milliseconds before the call is abandoned. */
  timeoutMs?: number;
}

export interface LlmClient {
  readonly model: string;
  complete(messages: ChatMessage[]): Promise<string>;
}

export const DEFAULT_LLM_TIMEOUT_MS = 15_000;

export function createLlmClient(settings: LlmSettings, fetchImpl: typeof fetch = fetch): LlmClient {
  const endpoint = `${settings.url.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  return {
    model: settings.model,
    async complete(messages) {
      let res: Response;
      try {
        res = await fetchImpl(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: settings.model, messages, temperature: 0 }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        const name = (e as Error).name;
        throw new AppError(
          'internal',
          name === 'TimeoutError' || name === 'AbortError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `cannot reach ${endpoint} (${(e as Error).message})`,
        );
      }
      const text = await res.text().catch(() => '');
      if (!res.ok) {
        let detail = '';
        try {
          detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
        } catch {
          detail = text.slice(0, 200);
        }
        throw new AppError('internal', `HTTP ${res.status}${detail ? `: ${detail}` : ''}`);
      }
      let content: unknown;
      try {
        content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]
          ?.message?.content;
      } catch {
        throw new AppError('internal', 'the answer is not JSON');
      }
      if (typeof content !== 'string' || !content.trim()) {
        throw new AppError('internal', 'the answer has no choices[0].message.content');
      }
      return content.trim();
    },
  };
}
