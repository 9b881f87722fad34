import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { openStores, type Stores } from '../stores.ts';
import { createApp } from './app.ts';

let stores: Stores;
let app: ReturnType<typeof createApp>;
const clock = { now: () => new Date('2024-05-01T10:00:00Z') };

beforeAll(async () => {
  stores = await openStores('memory');
  app = createApp({ ...stores, logger: silentLogger(), clock, config: { maxBodyBytes: 1024 } });
});
afterAll(() => stores.close());

describe('HTTP app', () => {
  it('answers /health with the stores it checked', async () => {
    const res = await app.request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      warehouse: 'duckdb',
      appStore: 'sqlite',
      time: '2024-05-01T10:00:00.000Z',
    });
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await app.request('/api/openapi.json');
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, { get?: { responses: unknown } }>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/health']?.get?.responses).toMatchObject({
      '200': {
        content: {
          'application/json': { schema: { type: 'object', required: expect.arrayContaining(['status']) } },
        },
      },
    });
  });

  it('answers unknown API routes with the error shape', async () => {
    const res = await app.request('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'No such API route', details: null },
    });
  });
});
