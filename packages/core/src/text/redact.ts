/**
 * PII redaction before a comment is stored for display or sent anywhere: e-mail addresses, phone
 * numbers (international and common national formats), IBANs (only when the mod-97 check passes,
 * so order numbers are not eaten), payment card numbers (only when the Luhn check passes), and
 * person names where the context makes them recognisable (after "my name is", titles such as
 * Mr / Frau / Mme, "spoke to …", and sign-offs). Each is replaced by a placeholder.
 * Order matters: e-mails first (they contain digits and names), then IBAN and card numbers (long
 * digit runs a phone pattern would also match), then phones, then names.
 */

export type PiiKind = 'email' | 'phone' | 'iban' | 'card' | 'name';
export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'iban', 'card', 'name'];

export interface RedactionResult {
  text: string;
  counts: Record<PiiKind, number>;
}

const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// Country code, check digits, then 11–30 alphanumerics in groups of up to 4 separated by spaces.
// Upper case only: IBANs are written that way, and a case-blind pattern would run on into words.
const IBAN_RE = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![\p{L}\p{N}])/gu;
const CARD_RE = /(?<![\p{N}])\d(?:[ -]?\d){12,18}(?![\p{N}])/gu;
/* Phones: "+49 30 1234567", "0049 …", "(030) 123 45 67", "030/1234567", "+1 (555) 010-2030",
 * "555-010-2030", "06 12 34 56 78". Digit count is checked separately (7–15, E.164). */
const PHONE_RE =
  /(?<![\p{L}\p{N}+])(?:(?:\+|00)\d{1,3}[ .\-/]?)?(?:\(\d{1,5}\)[ .\-/]?)?\d[\d .\-/]{5,18}\d(?![\p{N}])/gu;

/* A name is one or two capitalised words (or an initial plus a surname). */
const NAME = "\\p{Lu}[\\p{Ll}'’-]+(?:[ ](?:\\p{Lu}\\.|\\p{Lu}[\\p{Ll}'’-]+))?";
const TITLE_RE = new RegExp(
  `(?<![\\p{L}])(Mr|Mrs|Ms|Miss|Mx|Dr|Herr|Frau|Hr|Fr|M|Mme|Mlle|Monsieur|Madame|Mademoiselle)(\\.?[ ]+)(${NAME})`,
  'gu',
);
/** Case-blind trigger words inside a case-sensitive pattern (the name must be capitalised). */
function anyCase(words: string): string {
  return words.replace(/\p{L}/gu, (c) => {
    const u = c.toUpperCase();
    return u === c ? c : `[${c}${u}]`;
  });
}
const INTRO_RE = new RegExp(
  `(?<![\\p{L}])(${anyCase(`my name is|name's|i am called|mein name ist|ich heiße|ich heisse|je m'appelle|je m’appelle|je suis|agent|advisor|adviser|representative|rep|colleague|manager|supervisor|spoke to|spoke with|talked to|talked with|named|called|namens|mitarbeiterin|mitarbeiter|sprach mit|conseillère|conseiller|nommé|nommée|parlé à|parlé avec`)})([ ]+)(${NAME})`,
  'gu',
);
const SIGN_OFF_RE = new RegExp(
  `((?:^|[\\n.!])\\s*(?:${anyCase(`best regards|kind regards|regards|best wishes|many thanks|thanks|thank you|cheers|sincerely|yours|best|mit freundlichen grüßen|viele grüße|liebe grüße|grüße|gruß|lg|cordialement|bien à vous|salutations|merci`)})[,!.]?[ \\t]*\\n?[ \\t]*)(${NAME})(\\s*)$`,
  'u',
);
/* Capitalised words that follow the trigger phrases but are not names. */
const NOT_NAMES = new Set(
  (
    'The A An This That It Customer Customers Service Support Team Staff Manager Managers Agent Agents ' +
    'Someone Somebody Nobody Everyone Anyone Sales Help Desk Helpdesk Care Kundenservice Kundendienst ' +
    'Service-Client Le La Les Un Une Der Die Das Ein Eine Back Out Off Up In On British Airways BA Amazon ' +
    'Alexa Echo Customer-Service Client Clients Madam Sir Monsieur Madame I Im Very So Not Happy Sorry'
  ).split(' '),
);

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** ISO 13616 check: move the first four characters to the end, letters → 10…35, value mod 97 = 1. */
export function isValidIban(candidate: string): boolean {
  const s = candidate.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const r = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of r) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? String(code - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** Luhn check over the digits of a candidate card number (13–19 digits). */
export function isLuhnValid(candidate: string): boolean {
  const d = digitsOf(candidate);
  if (d.length < 13 || d.length > 19 || /^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) {
      x *= 2;
      if (x > 9) x -= 9;
    }
    sum += x;
  }
  return sum % 10 === 0;
}

/* A digit run that is a date or a time, not a phone: 2024-01-15, 15.01.2024, 12/31/2023. */
const DATE_LIKE = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})$/;

function isPhone(m: string): boolean {
  const digits = digitsOf(m).length;
  if (digits < 7 || digits > 15) return false;
  const t = m.trim();
  if (DATE_LIKE.test(t)) return false;
  // International prefix, or a separator-structured / 0-leading national number. A bare run of
  // digits without a leading 0 or + is more often an order or booking number than a phone.
  if (/^(?:\+|00)/.test(t) || /^\(/.test(t)) return true;
  if (/^0/.test(t)) return true;
  return /^\d{3}[ .-]\d{3}[ .-]\d{4}$/.test(t);
}

export function redactPii(input: string): RedactionResult {
  const counts: Record<PiiKind, number> = { email: 0, phone: 0, iban: 0, card: 0, name: 0 };
  let text = input;
  if (text.includes('@'))
    text = text.replace(EMAIL_RE, () => {
      counts.email++;
      return '[email]';
    });
  if (/\d/.test(text)) {
    text = text.replace(IBAN_RE, (m) => {
      // The match may run on into a following code ("… 0130 00 AB12"): try shorter prefixes.
      for (let n = m.length; n >= 15; n--) {
        const head = m.slice(0, n);
        if (head.endsWith(' ') || !isValidIban(head)) continue;
        counts.iban++;
        return `[iban]${m.slice(n)}`;
      }
      return m;
    });
    text = text.replace(CARD_RE, (m) => {
      if (!isLuhnValid(m)) return m;
      counts.card++;
      return '[card]';
    });
    text = text.replace(PHONE_RE, (m) => {
      // The pattern may swallow a trailing separator; keep it outside the placeholder.
      const trail = /[ .\-/]+$/.exec(m)?.[0] ?? '';
      const core = m.slice(0, m.length - trail.length);
      if (!isPhone(core)) return m;
      counts.phone++;
      return `[phone]${trail}`;
    });
  }
  text = text.replace(TITLE_RE, (m, title: string, sep: string, name: string) => {
    // "M" alone is only the French "Monsieur" when followed by a dot ("M. Dupont").
    if (title === 'M' && !sep.startsWith('.')) return m;
    if (NOT_NAMES.has(name.split(' ')[0]!)) return m;
    counts.name++;
    return `${title}${sep}[name]`;
  });
  text = text.replace(INTRO_RE, (m, intro: string, sep: string, name: string) => {
    const first = name.split(' ')[0]!;
    if (NOT_NAMES.has(first)) return m;
    // "called" and "named" need a following capital (already required); "je suis" is followed by
    // adjectives far more often than names, so only a two-word capitalised name counts there.
    if (/^je suis$/i.test(intro) && !name.includes(' ')) return m;
    counts.name++;
    return `${intro}${sep}[name]`;
  });
  text = text.replace(SIGN_OFF_RE, (m, lead: string, name: string, tail: string) => {
    if (NOT_NAMES.has(name.split(' ')[0]!)) return m;
    counts.name++;
    return `${lead}[name]${tail}`;
  });
  return { text, counts };
}
