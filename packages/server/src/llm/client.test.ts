import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLlmClient } from './client.ts';
import { type FakeLlm, startFakeLlm } from './fake-server.ts';

let fake: FakeLlm;
beforeAll(async () => {
  fake = await startFakeLlm({ apiKey: 'k', reply: '  Hello.  ' });
});
afterAll(() => fake.close());

describe('createLlmClient (OpenAI-compatible chat completions)', () => {
  it('posts {model, messages, temperature: 0} with the Bearer key to {url}/chat/completions', async () => {
    const client = createLlmClient({ url: `${fake.url}/`, apiKey: 'k', model: 'm1' });
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi' },
    ];
    expect(await client.complete(messages)).toBe('Hello.');
    expect(fake.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/v1/chat/completions',
      authorization: 'Bearer k',
      body: { model: 'm1', messages, temperature: 0 },
    });
  });

  it('says why it failed: unreachable, HTTP status, malformed answer', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(
      createLlmClient({ url: `http://127.0.0.1:${port}/v1`, model: 'm' }).complete([
        { role: 'user', content: 'x' },
      ]),
    ).rejects.toThrow(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions/);

    // No key: the fake server refuses as OpenAI does.
    await expect(
      createLlmClient({ url: fake.url, model: 'm' }).complete([{ role: 'user', content: 'x' }]),
    ).rejects.toThrow('HTTP 401: Incorrect API key provided');

    const broken = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"choices":[]}');
    });
    await new Promise<void>((r) => broken.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/v1`;
    try {
      await expect(
        createLlmClient({ url, model: 'm' }).complete([{ role: 'user', content: 'x' }]),
      ).rejects.toThrow('the answer has no choices[0].message.content');
    } finally {
      await new Promise<void>((r) => broken.close(() => r()));
    }
  });
});

describe('LLM configuration', () => {
  it('is off unless CX_LLM_URL is set; key and model are optional', () => {
    expect(loadConfig({}).llm).toBeUndefined();
    expect(loadConfig({ CX_LLM_URL: 'http://localhost:8080/v1' }).llm).toEqual({
      url: 'http://localhost:8080/v1',
      apiKey: undefined,
      model: 'gpt-4o-mini',
    });
    expect(
      loadConfig({ CX_LLM_URL: 'http://h/v1', CX_LLM_API_KEY: 'sk-1', CX_LLM_MODEL: 'llama3' }).llm,
    ).toEqual({ url: 'http://h/v1', apiKey: 'sk-1', model: 'llama3' });
  });
});
