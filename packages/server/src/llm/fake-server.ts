import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenAI-compatible API, for tests: it speaks the chat-completions
 * protocol, checks what a real server would (path, method, Bearer key, JSON body shape), records
 * every request, and answers with a chat.completion — or with a chosen status or delay, to test
 * fallbacks. Listens on 127.0.0.1, port 0 (a free one).
 */
export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeLlmOptions {
  apiKey: string;
  /** Content of the assistant message it answers with. */
  reply: string;
  /** Answer with this status (and an OpenAI-style error body) instead. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FakeLlm {
  /** Base URL to configure, ending in /v1. */
  url: string;
  requests: RecordedRequest[];
  /** Change behaviour between calls. */
  options: FakeLlmOptions;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function validBody(body: unknown): string | null {
  if (!body || typeof body !== 'object') return 'body must be a JSON object';
  const b = body as { model?: unknown; messages?: unknown; temperature?: unknown };
  if (typeof b.model !== 'string' || !b.model) return 'model is required';
  if (!Array.isArray(b.messages) || b.messages.length === 0) return 'messages must be a non-empty array';
  for (const m of b.messages as { role?: unknown; content?: unknown }[]) {
    if (!['system', 'user', 'assistant'].includes(String(m?.role))) return 'messages[].role is invalid';
    if (typeof m?.content !== 'string') return 'messages[].content must be a string';
  }
  if (b.temperature !== undefined && typeof b.temperature !== 'number') return 'temperature must be a number';
  return null;
}

export async function startFakeLlm(options: FakeLlmOptions): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const state = { options };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string) =>
      send(status, { error: { message, type: 'invalid_request_error', code: null } });
    const raw = await readBody(req);
    let body: unknown = null;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    });
    const o = state.options;
    if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
    if (req.url !== '/v1/chat/completions') return error(404, `Unknown path ${req.url}`);
    if (req.method !== 'POST') return error(405, 'Use POST');
    if (req.headers.authorization !== `Bearer ${o.apiKey}`) return error(401, 'Incorrect API key provided');
    const invalid = validBody(body);
    if (invalid) return error(400, invalid);
    if (o.status && o.status !== 200) return error(o.status, 'The server had an error');
    send(200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: (body as { model: string }).model,
      choices: [{ index: 0, message: { role: 'assistant', content: o.reply }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    get options() {
      return state.options;
    },
    set options(v) {
      state.options = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
