import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '@cx/core';
import type { AppStore } from '../app-store/port.ts';

/**
 * Personal survey links: `/s/<survey>?t=<token>`, token = base64url(JSON claims) + "." +
 * base64url(HMAC-SHA256(secret, that payload)). The claims tie a response to its customer, case,
 * journey and touchpoint without a database lookup, and nobody can forge or edit them without the
 * secret. The invitation id makes the response id, so answering twice updates one response.
 * Short claim keys keep links short enough for SMS.
 */
export interface LinkClaims {
  survey: string;
  customer: string;
  /** Invitation id; the response id is derived from it. */
  invitation: string;
  case?: string | null;
  journey?: string | null;
  touchpoint?: string | null;
  channel?: string | null;
  /** Expiry instant. */
  exp: Date;
}

interface Wire {
  s: string;
  c: string;
  i: string;
  k?: string;
  j?: string;
  p?: string;
  h?: string;
  e: number;
}

const SECRET_KEY = 'link_signing_secret';

/** The signing secret, generated on first use and kept in the app store (never in a config file). */
export async function linkSecret(store: AppStore, now: Date): Promise<Buffer> {
  const read = () =>
    store.db.selectFrom('survey_state').select('value').where('key', '=', SECRET_KEY).executeTakeFirst();
  let row = await read();
  if (!row) {
    // Two processes starting together: the first insert wins, both then read the same secret.
    await store.db
      .insertInto('survey_state')
      .values({
        key: SECRET_KEY,
        value: randomBytes(32).toString('base64url'),
        updated_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    row = await read();
  }
  return Buffer.from(row!.value, 'base64url');
}

const mac = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function signLink(secret: Buffer, claims: LinkClaims): string {
  const w: Wire = { s: claims.survey, c: claims.customer, i: claims.invitation, e: claims.exp.getTime() };
  if (claims.case) w.k = claims.case;
  if (claims.journey) w.j = claims.journey;
  if (claims.touchpoint) w.p = claims.touchpoint;
  if (claims.channel) w.h = claims.channel;
  const payload = Buffer.from(JSON.stringify(w)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

const linkError = (code: 'bad_input' | 'forbidden', message: string) =>
  new AppError(code, message, { field: 't' });

/**
 * Checks a token's signature (constant-time), expiry and survey. Malformed → bad_input; a wrong
 * signature (edited or forged), an expired link, or a link for another survey → forbidden.
 */
export function verifyLink(secret: Buffer, token: string, now: Date, surveyId: string): LinkClaims {
  const m = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw linkError('bad_input', 'The survey link is incomplete or malformed (parameter t)');
  const [, payload, sig] = m as unknown as [string, string, string];
  const expected = mac(secret, payload);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw linkError(
      'forbidden',
      'The survey link is not valid: its signature does not match (was it edited?)',
    );
  let w: Wire;
  try {
    w = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Wire;
  } catch {
    throw linkError('bad_input', 'The survey link is malformed (parameter t)');
  }
  if (w.e <= now.getTime())
    throw linkError('forbidden', `The survey link expired on ${new Date(w.e).toISOString().slice(0, 10)}`);
  if (w.s !== surveyId) throw linkError('forbidden', `The survey link is for another survey (${w.s})`);
  return {
    survey: w.s,
    customer: w.c,
    invitation: w.i,
    case: w.k ?? null,
    journey: w.j ?? null,
    touchpoint: w.p ?? null,
    channel: w.h ?? null,
    exp: new Date(w.e),
  };
}

/** The response id of a personal link: one per invitation, so a second answer replaces the first. */
export const responseIdFor = (invitation: string) => `svy_${invitation}`;
