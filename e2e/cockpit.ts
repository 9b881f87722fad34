import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { expect } from 'vitest';
import { createApp } from '../packages/server/src/http/app.ts';
import { silentLogger } from '../packages/server/src/logger.ts';
import { openStores, type Stores } from '../packages/server/src/stores.ts';

export const WEB_DIST = join(import.meta.dirname, '../packages/web/dist');

export interface RunningCockpit {
  url: string;
  stores: Stores;
  /** GETs a JSON route (POSTs when given a body) and reads the answer; fails the test unless 200. */
  api<T>(path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The real server (createApp + the built web app) on a free 127.0.0.1 port, over in-memory stores
 * that the caller fills through `stores.warehouse`.
 */
export async function startCockpit(): Promise<RunningCockpit> {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`The cockpit is not built (${WEB_DIST}): run \`npm run build\` first`);
  }
  const stores = await openStores('memory');
  const app = createApp({
    ...stores,
    logger: silentLogger(),
    clock: { now: () => new Date() },
    config: { maxBodyBytes: 5 * 1024 * 1024 },
    webDir: WEB_DIST,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stores,
    async api<T>(path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      expect(res.status, path).toBe(200);
      return (await res.json()) as T;
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stores.close();
    },
  };
}
