import { AppError } from '@cx/core';
import { type ApiKey, verifyApiKey } from '../app-store/api-keys.ts';
import type { AppStore } from '../app-store/port.ts';

/**
 * Ingestion API keys arrive the ways Segment's clients send a write key: as the HTTP Basic user name
 * with an empty password (what `@segment/analytics-node` does), as `Authorization: Bearer <key>`,
 * or as a `writeKey` field in the JSON body.
 */

/** The key in the Authorization header; undefined when there is no header. */
export function keyFromAuthorization(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value = ''] = header.trim().split(/\s+/, 2);
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '')) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? decoded : decoded.slice(0, colon);
  }
  throw new AppError(
    'unauthorized',
    'Unsupported Authorization scheme: use Basic (API key as user name) or Bearer',
    {
      field: 'Authorization',
    },
  );
}

/** Resolves a presented key to its record, or refuses with 401 and the error shape. */
export async function requireApiKey(
  store: AppStore,
  secret: string | undefined,
  where: string,
): Promise<ApiKey> {
  if (!secret) {
    throw new AppError(
      'unauthorized',
      'Missing API key: send it as the HTTP Basic user name, as a Bearer token, or as writeKey in the body (create one with `cxc keys create`)',
      { field: 'Authorization' },
    );
  }
  const key = await verifyApiKey(store, secret);
  if (!key) throw new AppError('unauthorized', `Invalid or revoked API key (${where})`, { field: where });
  return key;
}
