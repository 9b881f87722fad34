/**
 * Tokenizer shared by every text feature (language, sentiment, redaction, themes, the trainable
 * classifier). Pure and browser-safe. One regex pass, no per-character JS loop, because enrichment
 * must run at thousands of comments per second on one core.
 */

export type Lang = 'en' | 'de' | 'fr';
export type TokenKind = 'word' | 'number' | 'emoji' | 'punct';

export interface Token {
  /** Lower-cased, apostrophes normalised to ', NFC. What lexicons and models look up. */
  text: string;
  /** As written, so rules can see ALL CAPS. */
  raw: string;
  kind: TokenKind;
}

/*
 * Alternatives (words first: they are most tokens, and no emoticon starts with a letter):
 *  1. Words: letters (any script, incl. accents and combining marks) and digits, with apostrophes
 *     inside ("don't", "aujourd'hui") but not at the edges (quotes).
 *  2. ASCII emoticons, not glued to a word or number (":D", ":-)", "<3"; not the colon in "http://").
 *  3. Pictographic emoji incl. ZWJ sequences, variation selectors and skin-tone modifiers.
 *  4. Sentence / clause punctuation, which ends negation scopes and carries emphasis ("!").
 */
const TOKEN_RE =
  /([\p{L}\p{M}\p{Nd}]+(?:['’][\p{L}\p{M}\p{Nd}]+)*)|(?<![\p{L}\p{N}])([:;=][-^o']?[)(\][dDpP/\\|]|<3|\^_?\^)(?![\p{L}\p{N}])|(\p{Extended_Pictographic}(?:[\u{FE0F}\u{1F3FB}-\u{1F3FF}]|\u200d\p{Extended_Pictographic})*)|([.!?;:,]+|[()…\-–—/])/gu;

const DIGITS_RE = /^[\d.,]+$/;
const ASCII_RE = /^\p{ASCII}*$/u;
/* French elisions ("l'hôtel", "n'est", "qu'il") are split so that "n'" can open a negation scope
 * and "hôtel" matches the lexicon. English contractions never start with these prefixes. */
const ELISION_RE = /^(l|d|j|n|c|qu|s|m|t|jusqu|lorsqu|puisqu)'(?=\p{L})/u;

/** Unicode-aware lower-casing plus the normalisations every lookup needs. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/’/g, "'");
}

/** All tokens, in order. Words are split on French elision; emoji and emoticons are their own tokens. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // NFC only matters outside ASCII; skipping it there is a measurable share of enrichment time.
  const src = ASCII_RE.test(text) ? text : text.normalize('NFC');
  // Lower-case the whole text once and slice words out of it, unless lower-casing changes lengths
  // (a handful of characters such as "İ" do), where offsets would no longer line up.
  const folded = src.toLowerCase();
  const lowerAll = folded.length === src.length ? folded : null;
  const hasCurly = src.includes('’');
  for (const m of src.matchAll(TOKEN_RE)) {
    const raw = m[0];
    if (m[1] !== undefined) {
      let lower = lowerAll ? lowerAll.slice(m.index, m.index + raw.length) : raw.toLowerCase();
      if (hasCurly) lower = lower.replace(/’/g, "'");
      // Cheap guard first: only words with an apostrophe at position 1–6 can be an elision.
      const el = lower.includes("'") ? ELISION_RE.exec(lower) : null;
      if (el) {
        const n = el[0].length;
        out.push({ text: el[0], raw: raw.slice(0, n), kind: 'word' });
        out.push({ text: lower.slice(n), raw: raw.slice(n), kind: 'word' });
      } else {
        const c = lower.charCodeAt(0);
        out.push({ text: lower, raw, kind: c >= 48 && c <= 57 && DIGITS_RE.test(lower) ? 'number' : 'word' });
      }
    } else if (m[2] !== undefined || m[3] !== undefined) {
      out.push({ text: raw, raw, kind: 'emoji' });
    } else {
      out.push({ text: raw, raw, kind: 'punct' });
    }
  }
  return out;
}

/** Lower-cased word and number tokens only (what bag-of-words models and theme matching want). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) if (t.kind === 'word' || t.kind === 'number') out.push(t.text);
  return out;
}

const NEGATORS = new Set([
  // en
  'not',
  'no',
  'never',
  'nothing',
  'nobody',
  'none',
  'neither',
  'nor',
  'without',
  'cannot',
  'hardly',
  'barely',
  'nowhere',
  // de
  'nicht',
  'kein',
  'keine',
  'keinen',
  'keinem',
  'keiner',
  'keines',
  'nie',
  'niemals',
  'nichts',
  'niemand',
  'ohne',
  'weder',
  // fr
  'ne',
  "n'",
  'pas',
  'jamais',
  'rien',
  'aucun',
  'aucune',
  'sans',
  'ni',
]);

/** "don't", "isn't", "cant", "dont", "wont" (apostrophe often missing in real comments). */
const NT_RE =
  /n't$|^(cant|dont|wont|didnt|doesnt|isnt|wasnt|arent|werent|havent|hasnt|couldnt|wouldnt|shouldnt|aint)$/;

export function isNegator(word: string): boolean {
  // Every contraction form ends in "t": skip the regex for all other words (hot path).
  return NEGATORS.has(word) || (word.endsWith('t') && NT_RE.test(word));
}

/* Words that start a new clause: negation does not reach past them ("not cheap but good"). */
const CLAUSE_BREAKS = new Set([
  'but',
  'however',
  'although',
  'though',
  'aber',
  'jedoch',
  'doch',
  'mais',
  'cependant',
]);

export function isClauseBreak(t: Token): boolean {
  return t.kind === 'punct' ? t.text !== '-' && t.text !== '/' : CLAUSE_BREAKS.has(t.text);
}

/**
 * negated[i] is true when token i is inside a negation scope: up to `window` word tokens after a
 * negator, ended early by punctuation or a clause break. Negators themselves are not marked, and a
 * second negator inside a scope does not flip it back (French "ne … pas", "n'est pas" is one
 * negation, not two).
 */
export function negationScope(tokens: readonly Token[], window = 3): boolean[] {
  const out = new Array<boolean>(tokens.length).fill(false);
  let left = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isClauseBreak(t)) {
      left = 0;
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'number') continue;
    if (isNegator(t.text)) {
      left = window;
      continue;
    }
    if (left > 0) {
      out[i] = true;
      left--;
    }
  }
  return out;
}

/** Words with "NOT_" prefixed inside negation scopes — a standard feature trick for linear classifiers. */
export function negationMarkedWords(text: string, window = 3): string[] {
  const toks = tokenize(text);
  const neg = negationScope(toks, window);
  const out: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'word' || t.kind === 'number') out.push(neg[i] ? `NOT_${t.text}` : t.text);
    else if (t.kind === 'emoji') out.push(t.text);
  }
  return out;
}

/*
 * Stop words: very frequent function words. Negators are deliberately NOT in these lists, because
 * dropping "not" or "nicht" flips the meaning for sentiment and classifiers.
 */
export const STOP_WORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  en: new Set(
    (
      'a an the and or of to in on at for with from by as is are was were be been being am it its ' +
      "it's this that these those i me my mine we us our you your he him his she her they them their " +
      'there here what which who whom whose when where why how all any both each few more most other some ' +
      'such only own same so than too very can will just should would could do does did doing have has ' +
      "had having i'm i've i'd i'll you're we're they're he's she's that's about above after again against " +
      'before below between during into through under until up down out off over then once also if because ' +
      'while get got one'
    ).split(' '),
  ),
  de: new Set(
    (
      'der die das den dem des ein eine einen einem einer eines und oder aber ist sind war waren bin bist ' +
      'sein seine ihr ihre ich du er sie es wir mich mir dich dir uns euch sich mit von zu zum zur im in ' +
      'an am auf für aus bei nach über unter vor wie was wer wo wann warum auch noch nur schon so dass ' +
      'daß als wenn dann da hat haben hatte hatten wird werden wurde wurden kann können muss müssen man ' +
      'mein meine dieser diese dieses doch sehr mal um bis'
    ).split(' '),
  ),
  fr: new Set(
    (
      "le la les l' un une des du de d' et ou mais est sont était étaient suis es sommes êtes je j' tu il " +
      "elle on nous vous ils elles me m' te t' se s' mon ma mes ton ta tes son sa ses notre nos votre vos " +
      "leur leurs ce c' cet cette ces qui que qu' quoi dont où à au aux en dans par pour sur avec chez " +
      'très tout tous toute toutes aussi comme ai as avons avez ont été être avoir fait y a'
    ).split(' '),
  ),
};

export function isStopWord(word: string, lang?: Lang): boolean {
  if (lang) return STOP_WORDS[lang].has(word);
  return STOP_WORDS.en.has(word) || STOP_WORDS.de.has(word) || STOP_WORDS.fr.has(word);
}
