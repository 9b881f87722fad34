import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY } from './default-taxonomy.ts';
import { cleanText, enrichComment, MAX_COMMENT_CHARS, stripTags } from './enrich.ts';

/** No lone surrogate (String.prototype.isWellFormed is ES2024, newer than our lib setting). */
const isWellFormed = (s: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('enrichComment', () => {
  it('enriches a comment: redacted text, language, sentiment, themes, signals', () => {
    const r = enrichComment('Waited 40 minutes on hold, still no answer. Call me on +44 20 7946 0958', {
      taxonomy: DEFAULT_TAXONOMY,
    });
    expect(r.comment).toBe('Waited 40 minutes on hold, still no answer. Call me on [phone]');
    expect(r.language).toBe('en');
    expect(r.sentiment).toBe('negative');
    expect(r.sentimentScore).toBeLessThan(-0.5);
    expect(r.themes).toContain('waiting_time');
    expect(r.signals).toContain('long-wait');
    expect(r.redactions.phone).toBe(1);
    expect(r.truncated).toBe(false);
  });

  it('handles German and French', () => {
    expect(enrichComment('Das Essen war nicht gut.')).toMatchObject({
      language: 'de',
      sentiment: 'negative',
    });
    expect(enrichComment("C'est pas mal du tout.")).toMatchObject({ language: 'fr', sentiment: 'positive' });
  });

  it('leaves themes empty without a taxonomy', () => {
    expect(enrichComment('Waited 40 minutes').themes).toEqual([]);
  });

  it('empty, whitespace-only and missing comments: no text, language und, sentiment null', () => {
    for (const t of ['', '   \n\t ', null, undefined]) {
      expect(enrichComment(t)).toEqual({
        comment: null,
        language: 'und',
        sentiment: null,
        sentimentScore: null,
        themes: [],
        signals: [],
        redactions: { email: 0, phone: 0, iban: 0, card: 0, name: 0 },
        truncated: false,
      });
    }
  });

  it('truncates a 100 kB comment to MAX_COMMENT_CHARS before analysis and stays fast', () => {
    const big = 'The staff were rude and the food was cold. '.repeat(2400); // ≈ 103 kB
    expect(big.length).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const r = enrichComment(big, { taxonomy: DEFAULT_TAXONOMY });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.truncated).toBe(true);
    expect(r.comment!.length).toBe(MAX_COMMENT_CHARS);
    expect(r.sentiment).toBe('negative');
  });

  it('does not cut an emoji in half at the limit', () => {
    const t = `${'a'.repeat(MAX_COMMENT_CHARS - 1)}😀 and more`;
    const r = enrichComment(t);
    expect(r.comment!.length).toBe(MAX_COMMENT_CHARS - 1);
    expect(isWellFormed(r.comment!)).toBe(true);
  });

  it('strips control characters and lone surrogates from binary junk without throwing', () => {
    const junk = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536));
    const r = enrichComment(junk);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting control characters are gone
    expect(r.comment === null || !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(r.comment)).toBe(true);
    expect(r.comment === null || isWellFormed(r.comment)).toBe(true);
    expect(['und', 'en', 'de', 'fr']).toContain(r.language);
    const onlyControls = enrichComment('\u0000\u0001\u0002\uFFFD');
    expect(onlyControls).toMatchObject({ comment: null, sentiment: null, language: 'und' });
  });

  it('keeps HTML as text in the stored comment but analyses only the text content', () => {
    const html = '<script>alert("terrible awful")</script><p>Great <b>service</b> &amp; friendly staff!</p>';
    const r = enrichComment(html);
    expect(r.comment).toBe(html); // the cockpit escapes it on display; it is never executed
    expect(r.sentiment).toBe('positive'); // the script body is not read as words
    expect(enrichComment('<br/><p></p>')).toMatchObject({ comment: '<br/><p></p>', sentiment: null });
  });

  it('redacts before anything is returned', () => {
    const r = enrichComment('My name is John Smith, email john@example.com, card 4111 1111 1111 1111');
    expect(r.comment).toBe('My name is [name], email [email], card [card]');
    expect(r.redactions).toEqual({ email: 1, phone: 0, iban: 0, card: 1, name: 1 });
  });

  it('always returns a score within −1 … 1', () => {
    for (const t of ['!!!!!!', 'NEVER AGAIN!!!!!! 😡😡😡😡', 'best best best best best 😍😍😍😍']) {
      const s = enrichComment(t).sentimentScore;
      expect(s === null || (s >= -1 && s <= 1)).toBe(true);
    }
  });
});

describe('helpers', () => {
  it('cleanText keeps tabs and line breaks', () => {
    expect(cleanText('a\u0000b\tc\nd\r\ne\u0007')).toBe('ab\tc\nd\r\ne');
  });

  it('stripTags drops script/style bodies and decodes a few entities', () => {
    expect(stripTags('<style>p{}</style>a<br>b &lt;3 &amp; c').replace(/\s+/g, ' ').trim()).toBe(
      'a b <3 & c',
    );
  });
});
