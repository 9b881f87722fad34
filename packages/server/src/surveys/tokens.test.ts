import { afterEach, describe, expect, it } from 'vitest';
import type { AppStore } from '../app-store/port.ts';
import { openSqliteAppStore } from '../app-store/sqlite.ts';
import { type LinkClaims, linkSecret, signLink, verifyLink } from './tokens.ts';

let store: AppStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const now = new Date('2024-05-01T10:00:00Z');
const claims: LinkClaims = {
  survey: 'nps-after-support',
  customer: 'c42',
  invitation: 'inv1',
  case: 'case-9',
  journey: 'support',
  touchpoint: 'ticket_closed',
  channel: 'chat',
  exp: new Date('2024-05-15T10:00:00Z'),
};
const secret = Buffer.alloc(32, 7);

describe('survey link tokens', () => {
  it('round-trips the claims', () => {
    const t = signLink(secret, claims);
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyLink(secret, t, now, 'nps-after-support')).toEqual(claims);
  });

  it('is deterministic for the same secret and claims (known answer)', () => {
    const t = signLink(Buffer.alloc(32, 1), {
      survey: 's',
      customer: 'c',
      invitation: 'i',
      exp: new Date(0),
    });
    expect(t.split('.')[0]).toBe(Buffer.from('{"s":"s","c":"c","i":"i","e":0}').toString('base64url'));
    expect(t).toBe(
      signLink(Buffer.alloc(32, 1), { survey: 's', customer: 'c', invitation: 'i', exp: new Date(0) }),
    );
  });

  it('refuses an edited payload, a forged signature, another secret, expiry, another survey, junk', () => {
    const t = signLink(secret, claims);
    const [payload, sig] = t.split('.') as [string, string];
    const edited = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('"c42"', '"c43"'),
    ).toString('base64url');
    const sigError = /signature does not match/;
    expect(() => verifyLink(secret, `${edited}.${sig}`, now, claims.survey)).toThrow(sigError);
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    expect(() => verifyLink(secret, `${payload}.${flipped}`, now, claims.survey)).toThrow(sigError);
    expect(() => verifyLink(Buffer.alloc(32, 8), t, now, claims.survey)).toThrow(sigError);
    expect(() => verifyLink(secret, t, new Date('2024-05-15T10:00:00Z'), claims.survey)).toThrow(
      'The survey link expired on 2024-05-15',
    );
    expect(() => verifyLink(secret, t, now, 'other')).toThrow('for another survey');
    for (const junk of ['', 'abc', `${payload}.`, `${payload}.${sig}x`, '\u0000\u0001.x'])
      expect(() => verifyLink(secret, junk, now, claims.survey)).toThrow(/malformed/);
    try {
      verifyLink(secret, `${edited}.${sig}`, now, claims.survey);
    } catch (e) {
      expect((e as { code: string }).code).toBe('forbidden');
    }
  });

  it('generates the secret once and keeps it in the app store', async () => {
    store = await openSqliteAppStore(':memory:');
    const a = await linkSecret(store, now);
    const b = await linkSecret(store, now);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
  });
});
