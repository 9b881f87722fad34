import { describe, expect, it } from 'vitest';
import { isLuhnValid, isValidIban, redactPii } from './redact.ts';

describe('redactPii', () => {
  it('redacts e-mail addresses', () => {
    const r = redactPii('Mail me at jane.doe+cx@example.co.uk or j@x.de.');
    expect(r.text).toBe('Mail me at [email] or [email].');
    expect(r.counts.email).toBe(2);
  });

  it('redacts phones in international and national formats', () => {
    const r = redactPii(
      'Call +49 30 1234567, 0044 20 7946 0958, (030) 123 45 67, 0171-2345678, 555-010-2030, +1 (555) 010-2030, 06 12 34 56 78.',
    );
    expect(r.text).toBe('Call [phone], [phone], [phone], [phone], [phone], [phone], [phone].');
    expect(r.counts.phone).toBe(7);
  });

  it('leaves dates, times, sizes, prices and order numbers alone', () => {
    const t =
      'Flight on 2024-01-15 at 10:30, 15.01.2024, I am 5\'4", 120 lbs, size 8-10, £45.99, order 123456789.';
    expect(redactPii(t)).toEqual({ text: t, counts: { email: 0, phone: 0, iban: 0, card: 0, name: 0 } });
  });

  it('redacts IBANs only when the mod-97 check passes', () => {
    expect(redactPii('IBAN DE89 3704 0044 0532 0130 00, thanks').text).toBe('IBAN [iban], thanks');
    expect(redactPii('GB82WEST12345698765432').text).toBe('[iban]');
    expect(redactPii('IBAN DE89 3704 0044 0532 0130 01').counts.iban).toBe(0);
  });

  it('redacts card numbers only when the Luhn check passes', () => {
    expect(redactPii('card 4111 1111 1111 1111 expired').text).toBe('card [card] expired');
    expect(redactPii('card 5555-5555-5555-4444').text).toBe('card [card]');
    expect(redactPii('card 4111 1111 1111 1112').counts.card).toBe(0);
  });

  it('redacts names after introductions, titles, "spoke to" and in sign-offs', () => {
    const r = redactPii(
      'My name is John Smith. Mr. Brown helped, Frau Müller too. M. Dupont et Mme Leclerc. I spoke to Sarah at the desk.\n\nBest regards,\nAnna Schmidt',
    );
    expect(r.text).toBe(
      'My name is [name]. Mr. [name] helped, Frau [name] too. M. [name] et Mme [name]. I spoke to [name] at the desk.\n\nBest regards,\n[name]',
    );
    expect(r.counts.name).toBe(7);
    expect(redactPii("Je m'appelle Marie. Ich heiße Jonas. Viele Grüße, Klaus").text).toBe(
      "Je m'appelle [name]. Ich heiße [name]. Viele Grüße, [name]",
    );
  });

  it('does not take ordinary capitalised words for names', () => {
    const t = 'I spoke to Customer Service. The agent was nice. Thanks, British Airways';
    expect(redactPii(t).text).toBe(t);
    expect(redactPii('I spoke to someone at the desk').counts.name).toBe(0);
  });
});

describe('checksums', () => {
  it('IBAN mod-97 (known answers)', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('FR1420041010050500013M02606')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE89')).toBe(false);
  });

  it('Luhn (known answers)', () => {
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('378282246310005')).toBe(true);
    expect(isLuhnValid('4111111111111112')).toBe(false);
    expect(isLuhnValid('0000000000000000')).toBe(false);
    expect(isLuhnValid('1234')).toBe(false);
  });
});
