/**
 * Enrichment of one free-text comment, as the ingest path runs it: clean → truncate → redact PII →
 * language → sentiment → themes. The stored comment is the redacted text (HTML left as text: the
 * cockpit escapes it on display, never executes it); tags are stripped only for analysis.
 */
import { type DetectedLang, detectLanguage } from './language.ts';
import { type PiiKind, redactPii } from './redact.ts';
import { analyzeSentiment, type SentimentLabel } from './sentiment.ts';
import { matchThemes, type Taxonomy } from './themes.ts';

/** Longer comments are cut here before anything else runs, so a 100 kB paste costs what 10 kB does. */
export const MAX_COMMENT_CHARS = 10_000;

export interface EnrichOptions {
  /** Themes are matched only when a taxonomy is given. */
  taxonomy?: Taxonomy;
  /** Skip detection when the source already states the language. */
  language?: DetectedLang;
}

export interface EnrichedComment {
  /** Cleaned, truncated, PII-redacted comment; null when there was no text at all. */
  comment: string | null;
  language: DetectedLang;
  /** null when there is nothing to analyse (empty, whitespace, markup or junk only). */
  sentiment: SentimentLabel | null;
  sentimentScore: number | null;
  themes: string[];
  /** Customer-service patterns that fired ("long-wait", "repeat-contact", …). */
  signals: string[];
  redactions: Record<PiiKind, number>;
  truncated: boolean;
}

// C0/C1 controls except tab and line breaks, the replacement character left by bad decoding,
// non-characters, and lone surrogates (binary junk read as text).
const JUNK_RE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(text: string): string {
  return text.replace(JUNK_RE, '');
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

/** Text content of markup, for analysis only: script/style bodies dropped, tags become spaces. */
export function stripTags(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<\/?[a-zA-Z!][^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e]!);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not split a surrogate pair (an emoji) at the cut.
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

export function enrichComment(text: string | null | undefined, opts: EnrichOptions = {}): EnrichedComment {
  const noRedactions = { email: 0, phone: 0, iban: 0, card: 0, name: 0 };
  const raw = typeof text === 'string' ? text : '';
  const truncated = raw.length > MAX_COMMENT_CHARS;
  // Truncate before cleaning so the regex work is bounded too; a little slack for removed junk.
  const cleaned = truncate(cleanText(truncate(raw, MAX_COMMENT_CHARS * 2)), MAX_COMMENT_CHARS);
  if (cleaned.trim() === '')
    return {
      comment: null,
      language: 'und',
      sentiment: null,
      sentimentScore: null,
      themes: [],
      signals: [],
      redactions: noRedactions,
      truncated,
    };
  const { text: comment, counts } = redactPii(cleaned);
  const analysed = stripTags(comment);
  if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(analysed))
    return {
      comment,
      language: 'und',
      sentiment: null,
      sentimentScore: null,
      themes: [],
      signals: [],
      redactions: counts,
      truncated,
    };
  const language = opts.language ?? detectLanguage(analysed);
  const s = analyzeSentiment(analysed, { language });
  return {
    comment,
    language,
    sentiment: s.sentiment,
    sentimentScore: s.score,
    themes: opts.taxonomy ? matchThemes(analysed, opts.taxonomy) : [],
    signals: s.signals,
    redactions: counts,
    truncated,
  };
}
