/**
 * Language detection for en / de / fr: character-trigram naive Bayes (profiles built at load from
 * our own sample paragraphs, language-samples.ts) plus a stop-word vote, which decides short
 * comments where trigrams alone are noisy. Anything else, or too little text, is 'und'.
 */
import { LANGUAGE_SAMPLES } from './language-samples.ts';
import { type Lang, STOP_WORDS } from './tokenize.ts';

export type DetectedLang = Lang | 'und';
export const LANGUAGES: readonly Lang[] = ['en', 'de', 'fr'];

/** Only the first part of a long comment is looked at: language does not change mid-comment often
 * enough to pay for reading 100 kB. */
const MAX_CHARS = 500;
/** Fewer letters than this and we do not guess ("ok", "👍", "10/10"). */
const MIN_LETTERS = 5;
/** Share of the text's trigrams that must be known to some profile; below it the text is in
 * another language or script. */
const MIN_KNOWN_SHARE = 0.35;
/** One stop-word hit is worth this many nats of trigram evidence. */
const STOP_WEIGHT = 1.5;

/* Frequent words of other Latin-script languages that are not words of en/de/fr. When they outvote
 * our own stop words the comment is in none of our languages, and a wrong guess would pick the wrong
 * sentiment lexicon — so we say 'und'. */
const OTHER_WORDS = new Set(
  (
    'el los las y muy fue pero una está esta es porque también nada hola gracias ' + // es
    'questo questa molto non è sono della per che gli ho grazie anche ' + // it
    'não muito obrigado uma com você ' + // pt
    'het een niet zeer ik heb wij zijn maar ook dank'
  ) // nl
    .split(' '),
);

/* Negators are kept out of the stop-word lists (they matter to sentiment) but are strong language
 * cues on short comments ("pas mal", "nicht gut"). */
const NEGATOR_HINTS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  en: new Set([
    'not',
    'no',
    'never',
    "don't",
    "didn't",
    "doesn't",
    "isn't",
    "wasn't",
    "can't",
    "won't",
    'nothing',
  ]),
  de: new Set(['nicht', 'kein', 'keine', 'keinen', 'nie', 'niemals', 'nichts', 'niemand']),
  fr: new Set(['pas', 'ne', "n'", 'jamais', 'rien', 'aucun', 'aucune', 'personne']),
};

const WORD_RE = /\p{L}+(?:'\p{L}+)*/gu;

function eachTrigram(text: string, fn: (tri: string) => void): void {
  for (const m of text.matchAll(WORD_RE)) {
    const w = ` ${m[0]} `;
    for (let i = 0; i + 3 <= w.length; i++) fn(w.slice(i, i + 3));
  }
}

interface Profile {
  logp: Map<string, number>;
  unseen: number;
}

function buildProfile(sample: string): Profile {
  const counts = new Map<string, number>();
  let total = 0;
  eachTrigram(sample.toLowerCase(), (t) => {
    counts.set(t, (counts.get(t) ?? 0) + 1);
    total++;
  });
  // Add-one smoothing over an assumed vocabulary of a few thousand trigrams per language.
  const denom = total + 4000;
  const logp = new Map<string, number>();
  for (const [t, c] of counts) logp.set(t, Math.log((c + 1) / denom));
  return { logp, unseen: Math.log(1 / denom) };
}

const PROFILES: Readonly<Record<Lang, Profile>> = {
  en: buildProfile(LANGUAGE_SAMPLES.en),
  de: buildProfile(LANGUAGE_SAMPLES.de),
  fr: buildProfile(LANGUAGE_SAMPLES.fr),
};

/* One lookup per trigram instead of one per language: trigram → [log p(en), log p(de), log p(fr)],
 * with each profile's "unseen" value filled in. Unknown trigrams use UNSEEN. */
const TRIGRAMS = new Map<number, Float64Array>();
/** A trigram as a small integer (10 bits per UTF-16 unit, so a V8 Smi): no string per trigram on the
 * hot path. Characters above U+03FF share one bucket; they are outside these languages anyway. */
function trigramKey(s: string, i: number): number {
  const a = Math.min(s.charCodeAt(i), 1023);
  const b = Math.min(s.charCodeAt(i + 1), 1023);
  const c = Math.min(s.charCodeAt(i + 2), 1023);
  return (a << 20) | (b << 10) | c;
}
const UNSEEN = Float64Array.from(LANGUAGES, (l) => PROFILES[l].unseen);
for (const [i, l] of LANGUAGES.entries())
  for (const [t, v] of PROFILES[l].logp) {
    const key = trigramKey(t, 0);
    let row = TRIGRAMS.get(key);
    if (!row) {
      row = Float64Array.from(UNSEEN);
      TRIGRAMS.set(key, row);
    }
    row[i] = v;
  }
/* word → bit set: 1 en, 2 de, 4 fr stop word or negator; 8 word of another language. */
const WORD_HINTS = new Map<string, number>();
for (const [i, l] of LANGUAGES.entries())
  for (const w of [...STOP_WORDS[l], ...NEGATOR_HINTS[l]])
    WORD_HINTS.set(w, (WORD_HINTS.get(w) ?? 0) | (1 << i));
for (const w of OTHER_WORDS) WORD_HINTS.set(w, (WORD_HINTS.get(w) ?? 0) | 8);

/** Enough evidence: beyond this many trigrams the decision no longer changes in practice. */
const MAX_TRIGRAMS = 200;
/** Per-trigram score margin a non-English guess needs on a one- or two-word comment. */
const SHORT_MARGIN = 0.3;

export interface LanguageGuess {
  language: DetectedLang;
  /** Per-language score (log-likelihood per trigram plus the stop-word vote); higher is likelier. */
  scores: Record<Lang, number>;
}

export function guessLanguage(input: string): LanguageGuess {
  const head = (input.length > MAX_CHARS ? input.slice(0, MAX_CHARS) : input).toLowerCase();
  const text = head.includes('’') ? head.replace(/’/g, "'") : head;
  let en = 0;
  let de = 0;
  let fr = 0;
  let n = 0;
  let known = 0;
  let letters = 0;
  const hits = [0, 0, 0];
  let other = 0;
  let words = 0;
  for (const m of text.matchAll(WORD_RE)) {
    const word = m[0];
    words++;
    letters += word.length;
    const h = WORD_HINTS.get(word);
    if (h !== undefined) {
      if (h & 1) hits[0]!++;
      if (h & 2) hits[1]!++;
      if (h & 4) hits[2]!++;
      if (h & 8) other++;
    }
    if (n >= MAX_TRIGRAMS) break;
    const w = ` ${word} `;
    for (let i = 0; i + 3 <= w.length; i++) {
      const row = TRIGRAMS.get(trigramKey(w, i));
      n++;
      if (row) {
        known++;
        en += row[0]!;
        de += row[1]!;
        fr += row[2]!;
      } else {
        en += UNSEEN[0]!;
        de += UNSEEN[1]!;
        fr += UNSEEN[2]!;
      }
    }
  }
  const d = n > 0 ? n : 1;
  const scores: Record<Lang, number> = {
    en: (en + hits[0]! * STOP_WEIGHT) / d,
    de: (de + hits[1]! * STOP_WEIGHT) / d,
    fr: (fr + hits[2]! * STOP_WEIGHT) / d,
  };
  if (letters < MIN_LETTERS || n === 0 || known / n < MIN_KNOWN_SHARE) return { language: 'und', scores };
  let best: Lang = 'en';
  let bi = 0;
  for (const [i, l] of LANGUAGES.entries())
    if (scores[l] > scores[best]) {
      best = l;
      bi = i;
    }
  if (other >= 2 && other > hits[bi]!) return { language: 'und', scores };
  // One or two words without any function word ("Cool", "Terrific", "Music") carry too little
  // evidence to overrule the most common language of comments, unless the margin is clear.
  if (best !== 'en' && words <= 2 && hits[bi] === 0 && scores[best] - scores.en < SHORT_MARGIN)
    return { language: 'en', scores };
  return { language: best, scores };
}

export function detectLanguage(text: string): DetectedLang {
  return guessLanguage(text).language;
}
