/**
 * Rule-based sentiment that needs no training: a hand-graded valence lexicon (sentiment-lexicon.ts)
 * plus the rules that plain word lists miss — negation scope ("not bad" is positive, "nicht gut"
 * negative, "pas mal" positive), intensifiers and diminishers, contrast ("…, but …" weighs the
 * second clause), exclamation marks, ALL CAPS, emoji, and customer-service phrases that carry no
 * sentiment word at all ("waited 40 minutes", "still no answer", "had to call three times").
 * Result: a label and a score in −1 … 1. Parameters were tuned on the even-id half of the labelled
 * review sets only; docs/text-analytics.md reports the odd-id half separately.
 */
import { type DetectedLang, detectLanguage } from './language.ts';
import { EMOJI_VALENCE, LEXICONS, valenceOf } from './sentiment-lexicon.ts';
import { isNegator, negationScope, type Token, tokenize } from './tokenize.ts';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export interface SentimentResult {
  sentiment: SentimentLabel;
  /** −1 (very negative) … 1 (very positive); 0 when nothing carried sentiment. */
  score: number;
  /** Names of the customer-service patterns that fired, e.g. "long-wait", for explanations. */
  signals: string[];
}

export interface SentimentParams {
  /** A negated word counts −negation × its valence ("not good" is milder than "bad"). */
  negation: number;
  intensifier: number;
  diminisher: number;
  allCaps: number;
  /** Before "but" a clause counts `butBefore`, after it `butAfter`. */
  butBefore: number;
  butAfter: number;
  /** Each "!" (up to 3) at a sentence end amplifies that sentence by this share. */
  exclamation: number;
  /** Negative contributions are multiplied by this: complaints are written politely. */
  negativeBias: number;
  /** score = S / sqrt(S² + alpha): larger alpha, slower saturation. */
  alpha: number;
  /** S is the raw sum divided by (number of sentiment-bearing tokens)^lengthDamping. */
  lengthDamping: number;
  positiveThreshold: number;
  negativeThreshold: number;
  /** A comment at least this balanced (see `mixed`) whose |score| is below mixedMaxScore is neutral. */
  mixedThreshold: number;
  mixedMaxScore: number;
}

export const DEFAULT_SENTIMENT_PARAMS: Readonly<SentimentParams> = {
  negation: 0.7,
  intensifier: 1.5,
  diminisher: 0.6,
  allCaps: 1.5,
  butBefore: 0.5,
  butAfter: 1.5,
  exclamation: 0.15,
  negativeBias: 1.3,
  alpha: 15,
  lengthDamping: 0.25,
  positiveThreshold: 0.15,
  negativeThreshold: -0.35,
  mixedThreshold: 0.7,
  mixedMaxScore: 0.5,
};

/** Analysis reads at most this much text; enrichment truncates earlier anyway. */
export const SENTIMENT_MAX_CHARS = 20_000;

const INTENSIFIERS = new Set(
  (
    'very really so extremely super incredibly totally absolutely truly highly completely utterly ' +
    'especially particularly exceptionally insanely ridiculously terribly awfully seriously most ' +
    'sehr wirklich total extrem äußerst absolut echt richtig besonders voll ' +
    'très vraiment trop extrêmement absolument tellement hyper super totalement'
  ).split(' '),
);
const DIMINISHERS = new Set(
  (
    'slightly somewhat bit little fairly kinda kind sort sorta rather mostly partly quite barely ' +
    'etwas ziemlich bisschen eher kaum leicht ' +
    'peu assez plutôt légèrement'
  ).split(' '),
);
/* "like" after these is a preposition or hedge, not "I like it". */
const LIKE_NEUTRAL_BEFORE = new Set(
  'look looks looked looking feel feels felt feeling seem seems seemed sound sounds sounded just more something anything nothing kind sort was is be were are it'.split(
    ' ',
  ),
);

interface Pattern {
  name: string;
  /** Cheap substring pre-check: the regex runs only when one of these occurs in the text. */
  needles: readonly string[];
  re: RegExp;
  valence: number;
}

const NUM_EN =
  '(?:\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|several|many|multiple|numerous|countless|few|couple of)';
const UNIT_EN = '(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?)';

// Boundaries that understand accented letters (\b is ASCII-only in JS).
const B = "(?<![\\p{L}\\p{N}'])";
const E = "(?![\\p{L}\\p{N}'])";
const rx = (src: string) => new RegExp(src.replaceAll('\\<', B).replaceAll('\\>', E), 'gu');

const PATTERNS: Readonly<Record<'en' | 'de' | 'fr', Pattern[]>> = {
  en: [
    {
      name: 'long-wait',
      needles: ['wait', 'hold', 'queu', 'sat ', 'stuck', 'stood', 'delay'],
      re: rx(
        `\\<(?:wait(?:ed|ing)?|on hold|queu(?:e|ed|ing)|sat|stuck|stood|delayed)\\>(?:\\s+\\S+){0,3}?\\s+(?:over\\s+|more than\\s+|almost\\s+|nearly\\s+|about\\s+|another\\s+)?${NUM_EN}\\s+(?:more\\s+)?${UNIT_EN}\\>`,
      ),
      valence: -2.5,
    },
    {
      name: 'long-wait',
      needles: ['min', 'hour', 'hr', 'day', 'week', 'month'],
      re: rx(
        `\\<${NUM_EN}[\\s-]+${UNIT_EN}\\s+(?:of\\s+)?(?:delay|delayed|late|wait|waiting|queue|on hold)\\>`,
      ),
      valence: -2.5,
    },
    {
      name: 'on-hold',
      needles: ['hold', 'waiting'],
      re: rx('\\<(?:on hold|put me on hold|kept me waiting|kept waiting)\\>'),
      valence: -1.5,
    },
    {
      name: 'still-unresolved',
      needles: ['still'],
      re: rx(
        "\\<still\\s+(?:no|not|nothing|haven'?t|hasn'?t|have not|has not|waiting|didn'?t|don'?t|can'?t|unresolved|broken|missing|no sign)\\>",
      ),
      valence: -2,
    },
    {
      name: 'repeat-contact',
      needles: ['had to', 'have to', 'having to', 'needed to', 'forced to'],
      re: rx(
        '\\<(?:had to|have to|having to|needed to|forced to)\\s+(?:call|phone|ring|contact|chase|email|e-mail|write|complain|go back)\\>',
      ),
      valence: -1.5,
    },
    {
      name: 'repeat-contact',
      needles: ['twice', 'times', 'calls', 'emails'],
      re: rx(
        `\\<(?:called|phoned|rang|contacted|emailed|chased|complained|wrote|asked|tried)\\>(?:\\s+\\S+){0,3}?\\s+(?:twice|${NUM_EN}\\s+(?:times|calls|emails))\\>`,
      ),
      valence: -2,
    },
    {
      name: 'no-callback',
      needles: ['back'],
      re: rx(
        '\\<(?:nobody|no one|noone|never)\\s+(?:\\S+\\s+){0,2}?(?:called|rang|phoned|got|came|wrote|emailed|gets|calls)\\s+(?:\\S+\\s+)?back\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'no-response',
      needles: ['no '],
      re: rx(
        '\\<no\\s+(?:reply|response|answer|call ?back|explanation|apology|compensation|information|updates?|help|communication)\\>',
      ),
      valence: -2,
    },
    {
      name: 'not-received',
      needles: ['receiv', 'arriv', 'heard', 'respond', 'replied', 'refund', 'reimburs'],
      re: rx(
        "\\<(?:never|didn'?t|did not|haven'?t|have not|hasn'?t|has not|not yet)\\s+(?:\\S+\\s+)?(?:received|arrived|arrive|heard|responded|replied|refunded|reimbursed)\\>",
      ),
      valence: -2,
    },
    {
      name: 'cancelled',
      needles: ['cancel'],
      re: rx(
        '\\<(?:flight|order|booking|reservation|subscription)\\s+(?:was|were|got|has been|had been|is)\\s+(?:\\S+\\s+)?cancel+ed\\>',
      ),
      valence: -2,
    },
    {
      name: 'refund-missing',
      needles: ['refund', 'money back', 'reimburs', 'compensation'],
      re: rx(
        '\\<(?:refund|money back|reimbursement|compensation)\\>[^.!?]{0,40}?\\<(?:not|never|still|yet|waiting|refused|denied|weeks|months)\\>',
      ),
      valence: -2,
    },
    {
      name: 'lost-item',
      needles: ['lost', 'missing', 'delayed', 'damaged', 'broken'],
      re: rx(
        '\\<(?:lost|missing|delayed|damaged|broken)\\s+(?:my\\s+|our\\s+|the\\s+)?(?:luggage|bags?|baggage|suitcases?|package|parcel|order|item|delivery)\\>',
      ),
      valence: -2,
    },
    {
      name: 'never-again',
      needles: ['again', 'avoid', 'stay away'],
      re: rx(
        "\\<(?:never again|never (?:fly|use|buy|order|book|shop)\\w*(?:\\s+\\S+){0,3}?\\s+again|won'?t (?:be )?(?:fly|use|buy|order|book|shop|com)\\w*(?:\\s+\\S+){0,3}?\\s+again|avoid at all costs|stay away)\\>",
      ),
      valence: -3,
    },
    { name: 'waste', needles: ['waste'], re: rx('\\<waste of (?:time|money)\\>'), valence: -3 },
    {
      name: 'sent-back',
      needles: ['back'],
      re: rx(
        '\\<(?:sent|send|sending|going|went|goes|took|take|taking|ship|shipping|shipped|mailing|mailed)\\s+(?:it\\s+|this\\s+|them\\s+|these\\s+|both\\s+)?(?:straight\\s+|right\\s+)?back\\>',
      ),
      valence: -2,
    },
    {
      name: 'sent-back',
      needles: ['return', 'exchang'],
      re: rx('\\<(?:return(?:ed|ing)?|exchang(?:ed|ing)|be returning)\\s+(?:it|this|them|these|both|the)\\>'),
      valence: -1.5,
    },
    {
      name: 'dashed-hopes',
      needles: ['want', 'hope', 'hoping', 'nothing like'],
      re: rx(
        '\\<(?:(?:wanted|hoped|was hoping|really wanted|so wanted) to (?:love|like|adore|keep|work|fall in love)|had (?:such )?high hopes|looks nothing like)\\>',
      ),
      valence: -2,
    },
    {
      // Regret about what could have been: "it would have been the perfect top", "wish it were longer".
      name: 'counterfactual',
      needles: ['would', 'wish'],
      re: rx(
        "\\<(?:would(?:'ve| have) (?:been|loved|worked|kept|liked)|wish (?:it|they|there|the|that|i had|i'd))\\>",
      ),
      valence: -2,
    },
    {
      // "it did not work for me": the verb carries no valence of its own, so negation has nothing to flip.
      name: 'does-not-work',
      needles: ['work', 'fit'],
      re: rx(
        "\\<(?:doesn'?t|didn'?t|does not|did not|won'?t|wouldn'?t|would not|will not|isn'?t|is not|not|never) (?:really |quite |even )?(?:work|works|working|fit|fits|fitting)\\>",
      ),
      valence: -2,
    },
    {
      name: 'runs-off-size',
      needles: ['run'],
      re: rx(
        '\\<runs? (?:very |really |a bit |slightly |way )?(?:large|small|big|short|long|tight|wide|narrow)\\>',
      ),
      valence: -1,
    },
    {
      name: 'last-time',
      needles: ['last'],
      re: rx('\\<(?:my|our|the) last (?:time|flight|trip|order|purchase) (?:with|on|from)\\>'),
      valence: -1.5,
    },
    {
      name: 'better-in-person',
      needles: ['justice'],
      re: rx(
        "\\<(?:doesn'?t|don'?t|does not|do not|didn'?t|did not|can'?t|cannot) do (?:it|this|her|them|the \\S+) justice\\>",
      ),
      valence: 2.5,
    },
    {
      name: 'bought-more',
      needles: ['colo', 'one', 'size', 'pattern', 'these'],
      re: rx(
        '\\<(?:bought|ordered|buy|buying|order|ordering|get|got|getting|purchased)\\s+(?:it\\s+|this\\s+|one\\s+|them\\s+)?(?:in\\s+)?(?:another|a second|every|all|both|two|three|the other|more)\\s+(?:colou?rs?|ones?|sizes?|patterns?|of these|one)\\>',
      ),
      valence: 2.5,
    },
  ],
  de: [
    {
      name: 'long-wait',
      needles: ['minute', 'stunde', 'tage', 'woche', 'monat'],
      re: rx(
        '\\<(?:\\d+|eine?|zwei|drei|vier|fünf|zehn|zwanzig|dreißig|vierzig|mehrere|viele)\\s+(?:minuten|stunden|tage|wochen|monate)\\>[^.!?]{0,30}?\\<(?:gewartet|warten|wartet|warteschleife|verspätung|zu spät)\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'long-wait',
      needles: ['warte'],
      re: rx('\\<(?:warte(?:n|t|te)?\\s+(?:seit|schon|immer noch))\\>'),
      valence: -2,
    },
    { name: 'on-hold', needles: ['warteschleife'], re: rx('\\<warteschleife\\>'), valence: -1.5 },
    {
      name: 'still-unresolved',
      needles: ['noch'],
      re: rx('\\<(?:immer noch|noch immer)\\s+(?:kein|keine|keinen|nicht|nichts|nie)\\>'),
      valence: -2,
    },
    {
      name: 'repeat-contact',
      needles: ['mal'],
      re: rx(
        '\\<(?:dreimal|viermal|fünfmal|mehrmals|x-mal|zigmal|\\d+\\s*mal|mehrfach)\\s+(?:\\S+\\s+){0,2}?(?:angerufen|anrufen|geschrieben|nachgefragt|gemeldet|reklamiert)\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'no-callback',
      needles: ['zur\u00fcck', 'geantwortet', 'gemeldet'],
      re: rx(
        '\\<(?:niemand|keiner|nie)\\s+(?:hat\\s+)?(?:\\S+\\s+)?(?:zurückgerufen|zurückgemeldet|geantwortet|gemeldet)\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'no-response',
      needles: ['keine'],
      re: rx(
        '\\<keine\\s+(?:antwort|rückmeldung|reaktion|erstattung|rückerstattung|hilfe|entschuldigung|lösung)\\>',
      ),
      valence: -2,
    },
    { name: 'never-again', needles: ['nie wieder'], re: rx('\\<nie wieder\\>'), valence: -3 },
    {
      name: 'refund-missing',
      needles: ['geld'],
      re: rx('\\<geld\\s+(?:\\S+\\s+){0,3}?(?:nicht|nie)\\s+(?:\\S+\\s+)?(?:zurück|erstattet|erhalten)'),
      valence: -2,
    },
  ],
  fr: [
    {
      name: 'long-wait',
      needles: ['attendu', 'attente', 'patient', 'poireaut'],
      re: rx(
        '\\<(?:attendu|attente|patienté|poireauté)\\>[^.!?]{0,20}?\\<(?:\\d+|deux|trois|quatre|cinq|dix|vingt|trente|quarante|plusieurs)\\s+(?:minutes|heures|jours|semaines|mois)\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'long-wait',
      needles: ['minute', 'heure', 'jour', 'semaine'],
      re: rx(
        "\\<(?:\\d+|deux|trois|quatre|plusieurs)\\s+(?:minutes|heures|jours|semaines)\\s+(?:d'attente|de retard)",
      ),
      valence: -2.5,
    },
    {
      name: 'still-unresolved',
      needles: ['toujours'],
      re: rx('\\<toujours\\s+(?:pas|rien|aucun|aucune|en attente|sans)\\>'),
      valence: -2,
    },
    {
      name: 'repeat-contact',
      needles: ['fois'],
      re: rx(
        '\\<(?:appelé|rappelé|écrit|relancé|contacté|téléphoné)\\>[^.!?]{0,20}?\\<(?:\\d+|deux|trois|quatre|plusieurs|dix)\\s+fois\\>',
      ),
      valence: -2.5,
    },
    {
      name: 'no-callback',
      needles: ['personne'],
      re: rx("\\<personne\\s+(?:ne\\s+|n')(?:\\S+\\s+){0,2}?(?:rappel\\S*|répond\\S*|contacté)"),
      valence: -2.5,
    },
    {
      name: 'no-response',
      needles: ['aucune', 'pas de'],
      re: rx(
        '\\<(?:aucune|pas de)\\s+(?:réponse|nouvelles|remboursement|explication|excuses?|solution|aide)\\>',
      ),
      valence: -2,
    },
    { name: 'never-again', needles: ['plus jamais'], re: rx('\\<plus jamais\\>'), valence: -3 },
    {
      name: 'refund-missing',
      needles: ['rembours'],
      re: rx('\\<remboursement\\>[^.!?]{0,40}?\\<(?:pas|jamais|toujours|attente)\\>'),
      valence: -2,
    },
  ],
};

const ALL_PATTERNS = [...PATTERNS.en, ...PATTERNS.de, ...PATTERNS.fr];

/**
 * The needle pre-check in one regex pass instead of one `includes` per needle (which was the
 * largest cost of sentiment scoring): a zero-width lookahead tries every position and captures the
 * longest needle starting there; every needle contained in a captured one is present too, so no
 * occurrence is missed.
 */
interface PatternSet {
  patterns: readonly Pattern[];
  needleRe: RegExp;
  /** captured needle → the needles it contains (itself included). */
  covers: ReadonlyMap<string, readonly string[]>;
}

function patternSet(patterns: readonly Pattern[]): PatternSet {
  const needles = [...new Set(patterns.flatMap((p) => p.needles))].sort((a, b) => b.length - a.length);
  const escaped = needles.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const covers = new Map(needles.map((n) => [n, needles.filter((m) => n.includes(m))] as const));
  return { patterns, needleRe: new RegExp(`(?=(${escaped.join('|')}))`, 'g'), covers };
}

const PATTERN_SETS: Readonly<Record<DetectedLang, PatternSet>> = {
  en: patternSet(PATTERNS.en),
  de: patternSet(PATTERNS.de),
  fr: patternSet(PATTERNS.fr),
  und: patternSet(ALL_PATTERNS),
};

function isWord(t: Token | undefined): t is Token {
  return t !== undefined && (t.kind === 'word' || t.kind === 'number');
}

const SENTENCE_END = /[.!?…]/;
/** Negators that also work after the word they negate, at the end of a clause. */
const POST_NEGATORS = new Set(['nicht', 'nie', 'pas', 'jamais']);
/** A modifier right before a word counts fully, one word further away half. */
const MODIFIER_REACH = [
  [1, 1],
  [2, 0.5],
] as const;

/** Written in capitals while the word has letters: "GOOD", not "ok" or "4". */
function isShouted(t: Token): boolean {
  return t.raw !== t.text && t.raw.length > 1 && t.raw === t.raw.toUpperCase();
}

/** Raw evidence: score in −1 … 1, `mixed` = weaker side / stronger side (0 = one-sided, 1 = balanced). */
export function scoreSentiment(
  input: string,
  opts: { language?: DetectedLang; params?: Partial<SentimentParams> } = {},
): { score: number; mixed: number; signals: string[] } {
  const p: SentimentParams = opts.params
    ? { ...DEFAULT_SENTIMENT_PARAMS, ...opts.params }
    : DEFAULT_SENTIMENT_PARAMS;
  const text = input.length > SENTIMENT_MAX_CHARS ? input.slice(0, SENTIMENT_MAX_CHARS) : input;
  const lang = opts.language ?? detectLanguage(text);
  const tokens = tokenize(text);
  // Detection is weak on a few words ("extremely rude" can look French): short comments are read
  // with all three lexicons merged. Long ones use their own language's, so "sale" (fr: dirty) does
  // not sour an English "on sale".
  const lex = tokens.length < 8 ? LEXICONS.und : LEXICONS[lang];
  const negated = negationScope(tokens);

  // Shouting is only emphasis when the rest of the text is not in capitals too.
  let upper = 0;
  let letters = 0;
  for (const t of tokens)
    if (t.kind === 'word') {
      letters++;
      if (isShouted(t)) upper++;
    }
  const capsIsEmphasis = upper > 0 && upper < letters * 0.5;

  // Positive and negative evidence are kept apart so a mixed comment (praise and complaint in
  // similar measure — the typical 3-star review) can be called neutral rather than averaged.
  let pos = 0;
  let neg = 0;
  let bearing = 0;
  let sentence = 0;
  let clauseWeight = 1;
  const flush = (end: Token | undefined) => {
    if (end?.text.includes('!')) {
      const bangs = Math.min(3, [...end.text].filter((c) => c === '!').length);
      sentence *= 1 + p.exclamation * bangs;
    }
    if (sentence > 0) pos += sentence;
    else neg += sentence;
    sentence = 0;
    clauseWeight = 1;
  };

  // Contributions of the current clause, for negators that come after what they negate.
  const recent: { at: number; value: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct') {
      recent.length = 0;
      if (SENTENCE_END.test(t.text)) flush(t);
      continue;
    }
    if (t.kind === 'emoji') {
      const v =
        EMOJI_VALENCE.get(t.text.toLowerCase()) ?? EMOJI_VALENCE.get(t.text.replace('\uFE0F', '')) ?? 0;
      if (v !== 0) {
        sentence += (v < 0 ? v * p.negativeBias : v) * clauseWeight;
        bearing++;
      }
      continue;
    }
    const w = t.text;
    if (w === 'but' || w === 'however' || w === 'aber' || w === 'mais' || w === 'jedoch' || w === 'though') {
      // At the start of a sentence the contrast is with everything said before.
      if (sentence === 0 && clauseWeight === 1) {
        pos *= p.butBefore;
        neg *= p.butBefore;
      }
      sentence *= p.butBefore;
      clauseWeight = p.butAfter;
      recent.length = 0;
      continue;
    }
    if (isNegator(w)) {
      // German and colloquial French negate at the end of the clause: "Das gefällt mir nicht.",
      // "Es funktioniert nicht", "ça marche pas". Flip what the clause said just before.
      if (POST_NEGATORS.has(w) && !isWord(tokens[i + 1]))
        for (const r of recent)
          if (r.at >= i - 3 && !negated[r.at]) {
            const flipped = -r.value * p.negation;
            sentence += (flipped < 0 ? flipped * p.negativeBias : flipped / p.negativeBias) - r.value;
          }
      continue;
    }
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    let v: number;
    if (w === 'too' || w === 'overly' || w === 'zu' || w === 'trop') {
      // "too big", "zu klein", "trop petit": excess of a neutral quality is a complaint; before a
      // graded word "too" is only an intensifier ("too cute").
      if (!isWord(next) || valenceOf(lex, next.text) !== 0) continue;
      v = -1.5;
    } else if (w === 'pretty' && isWord(next) && valenceOf(lex, next.text) !== 0) {
      continue; // "pretty good": an intensifier here, handled as a modifier of "good"
    } else if (w === 'like' && isWord(prev) && LIKE_NEUTRAL_BEFORE.has(prev.text)) {
      continue;
    } else {
      v = valenceOf(lex, w);
    }
    if (v === 0) continue;
    bearing++;

    for (const [back, share] of MODIFIER_REACH) {
      const m = tokens[i - back];
      if (!isWord(m)) break;
      if (INTENSIFIERS.has(m.text) || m.text === 'pretty') v *= 1 + (p.intensifier - 1) * share;
      else if (DIMINISHERS.has(m.text)) v *= 1 - (1 - p.diminisher) * share;
    }
    if (capsIsEmphasis && isShouted(t)) v *= p.allCaps;
    if (negated[i]) v = -v * p.negation;
    if (v < 0) v *= p.negativeBias;
    sentence += v * clauseWeight;
    recent.push({ at: i, value: v * clauseWeight });
  }
  flush(undefined);

  const signals: string[] = [];
  const lower = text.toLowerCase().replace(/’/g, "'");
  const set = PATTERN_SETS[lang];
  const present = new Set<string>();
  for (const m of lower.matchAll(set.needleRe)) for (const n of set.covers.get(m[1]!)!) present.add(n);
  for (const pat of present.size === 0 ? [] : set.patterns) {
    let any = false;
    for (const n of pat.needles)
      if (present.has(n)) {
        any = true;
        break;
      }
    if (!any) continue;
    pat.re.lastIndex = 0;
    const hits = lower.match(pat.re)?.length ?? 0;
    if (hits === 0) continue;
    const v = pat.valence * Math.min(hits, 2);
    if (v < 0) neg += v * p.negativeBias;
    else pos += v;
    bearing += hits;
    if (!signals.includes(pat.name)) signals.push(pat.name);
  }

  if (bearing === 0) return { score: 0, mixed: 0, signals };
  const s = (pos + neg) / bearing ** p.lengthDamping;
  const score = Math.round((s / Math.sqrt(s * s + p.alpha)) * 1e4) / 1e4;
  const mixed = pos > 0 && neg < 0 ? Math.min(pos, -neg) / Math.max(pos, -neg) : 0;
  return { score, mixed, signals };
}

/** The label rule, separate so thresholds can be tuned without re-scoring. */
export function sentimentLabel(
  score: number,
  mixed: number,
  params?: Partial<SentimentParams>,
): SentimentLabel {
  const p = params ? { ...DEFAULT_SENTIMENT_PARAMS, ...params } : DEFAULT_SENTIMENT_PARAMS;
  if (score === 0) return 'neutral'; // no evidence either way, or exactly balanced
  if (mixed >= p.mixedThreshold && Math.abs(score) < p.mixedMaxScore) return 'neutral';
  return score > p.positiveThreshold ? 'positive' : score <= p.negativeThreshold ? 'negative' : 'neutral';
}

/**
 * Scores one comment. `language` skips detection when the caller already knows it; 'und' uses
 * all three lexicons and pattern sets.
 */
export function analyzeSentiment(
  input: string,
  opts: { language?: DetectedLang; params?: Partial<SentimentParams> } = {},
): SentimentResult {
  const r = scoreSentiment(input, opts);
  return { sentiment: sentimentLabel(r.score, r.mixed, opts.params), score: r.score, signals: r.signals };
}
