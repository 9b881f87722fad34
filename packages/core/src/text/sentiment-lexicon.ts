/**
 * Valence lexicon written for CX Cockpit (not derived from AFINN, VADER or any other list): words
 * customers use about products, deliveries, flights, service and support, graded −4 … +4 by hand.
 * A trailing `*` makes an entry a prefix ("disappoint*" covers disappointed, disappointing, …),
 * which keeps the list short and tolerant of inflection in all three languages.
 * Grouped by valence as plain strings so the file stays reviewable.
 */
import type { Lang } from './tokenize.ts';

type Graded = Readonly<Record<string, string>>;

const EN: Graded = {
  // Real words one typo away from a graded entry: known, and neutral.
  '0': `waisted high-waisted insulating insulated striped stripes overlay crushed compliant`,
  '4': `amazed outstanding superb exceptional phenomenal flawless perfect perfectly perfection amazing amazingly
    awesome fantastic fabulous brilliant wonderful wonderfully incredible incredibly spectacular stunning
    gorgeous exquisite magnificent marvelous marvellous heavenly best love loved loves loving adore adored
    adores obsessed delighted thrilled ecstatic`,
  '3': `adorable winner prettier versatility fit-the-bill excellent great greatest lovely beautiful beautifully impressive impressed fantastically fab
    superior terrific splendid charming elegant glad happy happier happiest pleased grateful thankful
    enjoy* recommend recommended recommending favorite favourite favorites favourites exceeded exceeds
    wow yay delightful delight stellar top-notch seamless seamlessly effortless painless hassle-free
    flattering flatters flatter gem keeper compliments complimented`,
  '2': `vibrant addicted
    timeless sexy unique subtle good nice fine pretty cute comfy comfortable comfortably cozy cosy soft softer smooth smoothly
    friendly courteous polite helpful helped attentive kind kindly caring professional professionally
    efficient efficiently quick quickly fast prompt promptly punctual reliable easy easily clean cleaner
    spacious roomy tasty delicious fresh well-made sturdy durable quality classy chic stylish fun
    satisfied satisfying satisfy worth valuable value bargain affordable reasonable generous thanks
    thank appreciate* welcom* accommodating responsive resolved solved fixed fits fitted flattered
    versatile gorgeously sleek slimming warm pleasant pleasantly smiling smile smiles works working
    useful handy convenient ontime on-time upgrade upgraded improved improvement better nicer
    awesomeness enjoyable recommendable wear-able wearable refreshing relaxed relaxing calm quiet
    glowing pro easygoing supportive competent knowledgeable informative clear clearly success
    successful`,
  '1': `expected worked help helps
    breathable feminine ok okay decent adequate acceptable fair fairly alright solid nicely neat simple cheerful willing
    sufficient reasonably functional true timely safe safely safer interesting like liked likes
    light lightweight flowy drapes swingy flowing classic basic cool`,
  '-1': `trouble troubles sheds shedding declined stripped overly
    hesitate hesitated compensation apologies apologised apologized attitude hungry unable sigh alas bored meh average  ordinary bland plain odd weird strange unclear confusing confused
    complicated slow slowly late later lacking lacks lack missing miss minor issue issues problem
    problems complaint complain* concern concerned doubt unsure    tight snug
    short shorter long longer boxy baggy shapeless sheer thin itchy scratchy stiff wrinkl* pill*
    unflattering oversized huge  narrow noisy loud crowded dated old worn tired basic-ish
    expensive pricey overpriced costly wait waiting waited queue queued hold delay delays
    unavailable outage bug bugs glitch glitches error errors crash crashes crashed freeze froze frozen
    cold lukewarm stale bumpy hard difficult difficulty struggle struggled  hesitant
     unimpressed underwhelm* sizing return returned returning returns exchange`,
  '-2': `crooked ew eww ewww decline
    sad sadly unfortunately mediocre unhelpful cramped uncomfortable joke avoid shame bummer bummed lacklustre lackluster downgraded downgrade boring bad poor poorly worse cheap cheaply flimsy fake faulty defective broken broke damaged dirty
    stained smelly smells smelled rude unfriendly impolite unprofessional incompetent inefficient
    careless ignored ignoring ignore lost delayed cancelled canceled cancellation cancel overbooked
    refused denied rejected wrong incorrect mistake mistakes error-prone annoy* irritat* frustrat*
    disappoint* unhappy upset angry mad dissatisfied unsatisfied unacceptable unreliable useless
    pointless waste wasted wasting fail failed fails failure failing hate hated hates dislike disliked
    regret regrets regretted sorry ruined ruin awkward ugly unwearable unusable tacky frumpy sloppy
    unsafe leak leaked leaking ripped torn hole holes unravel* shrunk shrank
    shrink* fade faded fading unfortunate chaos chaotic mess messy shambles delay* nightmare* stuck
    stranded misleading misled overcharged charged refund* complaint* hassle inconvenien* worried
    worry excuses excuse unanswered unresolved rip-off ripoff`,
  '-3': `inedible shameful fiasco hopeless shambolic filthy terrible terribly awful awfully horrible horribly dreadful appalling atrocious abysmal pathetic
    disgusting disgusted disgrace disgraceful shocking shocked outrageous outraged furious unbearable
    miserable worst lousy crap crappy garbage junk trash rubbish scam scammed fraud ridiculous
    disaster disastrous horrendous hideous insulting insult incompetence arrogant hostile shoddy
    dangerous unusable never-again`,
  '-4': `horrific hellish despicable deplorable criminal inexcusable unforgivable worthless`,
};

const DE: Graded = {
  '4': `exzellent* phänomenal* herausragend* erstklassig* himmlisch*
    perfekt hervorragend ausgezeichnet fantastisch großartig grossartig wunderbar wunderschön
    traumhaft genial spitze super* sensationell liebe lieben begeistert`,
  '3': `freue freuen gefreut lob* ideal gelungen* reibungslos* problemlos* kulant* spitzenmäßig*
    toll klasse prima schön schöne schönen zufrieden* empfehl* danke dankbar freundlich*
    hilfsbereit* gerne gern lieb glücklich erfreut beeindruck* top`,
  '2': `gefällt gefallen funktioniert praktisch* hübsch* bequem* fair hilfreich* unkompliziert* zügig* gemütlich* sympathisch* herzlich* aufmerksam* geduldig*
    gut gute guter gutes guten besser bequem schnell* pünktlich* zuverlässig* sauber einfach
    angenehm* kompetent* nett höflich* günstig preiswert lecker bestens geholfen gelöst`,
  '1': `ok okay ordentlich passabel solide akzeptabel`,
  '-1': `dauert dauerte lange verwirrend* kompliziert* mittelmäßig* durchschnittlich mangel fehlt fehlte fehlen fehlend*
    langsam teuer spät* leider warten wartezeit wartezeiten problem probleme eng klein laut kalt`,
  '-2': `zerkratzt gebrochen reklamation* beschwerde* überteuert* verschwendung hässlich* unbequem* unprofessionell* unfähig* chaos chaotisch* schade nervt genervt unverständlich* abgelehnt verweigert
    schlecht* mangelhaft* kaputt defekt beschädigt* unfreundlich* unhöflich* inkompetent*
    enttäusch* ärger* verärgert unzufrieden* verspät* storniert* falsch* fehler* nervig* frech*
    verloren nutzlos unbrauchbar* unzuverlässig* dreckig schmutzig sorry ignoriert umständlich`,
  '-3': `entsetz* widerlich* ekelhaft* skandal* zumutung lächerlich* schrott müll schund betrüger*
    schrecklich* furchtbar* katastroph* miserabel* grauenhaft* unverschämt* frechheit betrug*
    abzocke* schlimm* schlechteste peinlich* unmöglich* mies* desaster`,
  '-4': `unterirdisch* nie-wieder`,
};

const FR: Graded = {
  '4': `incroyable* époustouflant* irréprochable*
    parfait* excellent* magnifique* merveilleu* fantastique* génial* géniale sublime* extraordinaire*
    adore adoré exceptionnel* impeccable*`,
  '3': `enchanté* adorable* chouette bravo remarquable*
    super formidable ravi* ravie recommande* recommand* superbe* top satisfait* satisfaite* heureu*
    content* bravo merci chaleureu* efficace* agréable* délicieu*`,
  '2': `pratique* professionnel* compétent* sympathique* souriant* accueillant* joli* jolie beau belle attentionné* réactif* utile* résolu fonctionne marche
    bon bonne bons bonnes bien mieux rapide* rapidement aimable* sympa* gentil* gentille poli polie
    serviable* confortable* propre* facile* ponctuel* fiable* correct* qualité`,
  '1': `ok okay convenable* acceptable* passable* moyen-bien`,
  '-1': `long longue compliqué* confus* bof manque manquant*
    lent* lente cher chère chers attente attendre attendu retard* problème* souci* dommage
    malheureusement froid* moyen moyenne bruyant*`,
  '-2': `déçoit impossible plainte* réclamation* désolé* agaç* frustr* inutilisable* rayé* trompé* ignoré* mépris* laid* moche* galère bâclé* cassée
    mauvais* mauvaise* médiocre* décevant* déçu* déçue déception* cassé* défectueu* abîmé*
    impoli* désagréable* incompétent* annulé* annulée* perdu* perdue erreur* inutile* sale* mal
    insatisfait* mécontent* énervé* agacé* pénible* lamentable*`,
  '-3': `dégueulasse ridicule* escroc* escroquerie* voleur*
    horrible* affreu* nul nulle nuls catastroph* scandal* inadmissible* honteu* honte arnaque*
    inacceptable* pire minable* dégoûtant*`,
  '-4': `exécrable* déplorable*`,
};

export interface Lexicon {
  exact: ReadonlyMap<string, number>;
  /** prefix → valence, for entries written with a trailing `*`. */
  prefix: ReadonlyMap<string, number>;
  /** Lengths of the prefixes present, longest first, so lookup tries only lengths that exist. */
  prefixLengths: readonly number[];
  /* Prefix lookups cost one slice per prefix length; words repeat a lot, so results are memoised
   * (bounded: cleared when it grows past MEMO_MAX words). */
  memo: Map<string, number>;
  /** Consonant skeleton → [entry, valence] of long entries, for misspellings; ambiguous ones dropped. */
  skeletons: ReadonlyMap<string, readonly [string, number]>;
  /** The same for prefix entries: skeleton of the prefix → [prefix, valence], with its lengths. */
  skeletonPrefixes: ReadonlyMap<string, readonly [string, number]>;
  skeletonPrefixLengths: readonly number[];
}

/**
 * Typo tolerance without a dictionary: the first letter, then the consonants with doubled letters
 * collapsed ("dissapointed", "disapointed", "disappointed" → "dspntd"; "beautifull" → "btfl";
 * "recomend" → "rcmnd"). Only used for words of FUZZY_MIN_LENGTH letters or more that match
 * nothing exactly, where two different real words rarely share a skeleton.
 */
export function skeleton(word: string): string {
  const first = word[0] ?? '';
  const rest = word
    .slice(1)
    .replace(/[aeiouyäöüéèêëàâîïôûùœ']/g, '')
    .replace(/(.)\1+/g, '$1');
  return first + (rest[0] === first ? rest.slice(1) : rest);
}
const FUZZY_MIN_LENGTH = 7;

function compile(...sources: Graded[]): Lexicon {
  const exact = new Map<string, number>();
  const prefix = new Map<string, number>();
  for (const src of sources)
    for (const [grade, list] of Object.entries(src))
      for (const w of list.split(/\s+/)) {
        if (w === '') continue;
        if (w.endsWith('*')) prefix.set(w.slice(0, -1), Number(grade));
        else exact.set(w, Number(grade));
      }
  const prefixLengths = [...new Set([...prefix.keys()].map((k) => k.length))].sort((a, b) => b - a);
  const skel = (entries: Iterable<[string, number]>, minLength: number) => {
    const out = new Map<string, readonly [string, number]>();
    const ambiguous = new Set<string>();
    for (const [w, v] of entries) {
      if (v === 0 || w.length < minLength || /[^\p{L}]/u.test(w)) continue;
      const k = skeleton(w);
      if (k.length < 4) continue;
      if (out.has(k)) ambiguous.add(k);
      else out.set(k, [w, v]);
    }
    for (const k of ambiguous) out.delete(k);
    return out;
  };
  const skeletons = skel(exact, FUZZY_MIN_LENGTH - 1);
  const skeletonPrefixes = skel(prefix, 5);
  const skeletonPrefixLengths = [...new Set([...skeletonPrefixes.keys()].map((k) => k.length))].sort(
    (a, b) => b - a,
  );
  return {
    exact,
    prefix,
    prefixLengths,
    memo: new Map(),
    skeletons,
    skeletonPrefixes,
    skeletonPrefixLengths,
  };
}

/** Valence as written, or undefined when the lexicon does not know the word at all. */
function lookup(lex: Lexicon, word: string): number | undefined {
  const v = lex.exact.get(word);
  if (v !== undefined) return v;
  for (const n of lex.prefixLengths) {
    if (n > word.length) continue;
    const p = lex.prefix.get(word.slice(0, n));
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Valence of a word that is not in the lexicon as written: elongations, then misspellings. */
function lookupLoosely(lex: Lexicon, word: string): number {
  // "sooo gooood", "loooove": three or more of a letter is emphasis, try two, then one.
  if (/(\p{L})\1\1/u.test(word)) {
    const two = lookup(lex, word.replace(/(\p{L})\1{2,}/gu, '$1$1'));
    if (two) return two;
    const one = lookup(lex, word.replace(/(\p{L})\1{2,}/gu, '$1'));
    if (one) return one;
  }
  if (word.length < FUZZY_MIN_LENGTH || /[^\p{L}]/u.test(word)) return 0;
  // The skeleton only proposes a candidate; the edit distance decides ("looking" shares a skeleton
  // with nothing useful, but "seating" and "setting" would, so the spelling must be close).
  const maxEdits = word.length >= 11 ? 2 : 1;
  const k = skeleton(word);
  const hit = lex.skeletons.get(k);
  if (hit && editDistance(word, hit[0]) <= maxEdits) return hit[1];
  for (const n of lex.skeletonPrefixLengths) {
    if (n > k.length) continue;
    const p = lex.skeletonPrefixes.get(k.slice(0, n));
    if (!p) continue;
    const [prefix, v] = p;
    for (let len = prefix.length - 1; len <= prefix.length + 1; len++)
      if (editDistance(word.slice(0, len), prefix) <= (prefix.length >= 9 ? 2 : 1)) return v;
  }
  return 0;
}

/** Optimal-string-alignment distance: insertions, deletions and adjacent swaps cost 1, substitutions 2. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      // A substitution costs 2 (a deletion plus an insertion): swapped vowels make other real
      // words ("falling"/"failing", "flutter"/"flatter"), while real typos drop, double or swap.
      const cost = a[i - 1] === b[j - 1] ? 0 : 2;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** One lexicon per language; a comment of unknown language is scored with all three merged
 * (English last, so it wins on the few shared spellings such as "super" and "top"). */
export const LEXICONS: Readonly<Record<Lang | 'und', Lexicon>> = {
  en: compile(EN),
  de: compile(DE),
  fr: compile(FR),
  und: compile(FR, DE, EN),
};

const MEMO_MAX = 50_000;

/** Valence of a lower-cased word, 0 when unknown: exact entry first, then the longest prefix. */
export function valenceOf(lex: Lexicon, word: string): number {
  // One lookup on the hot path: the memo holds exact entries, prefix matches and misses alike.
  const known = lex.memo.get(word);
  if (known !== undefined) return known;
  const out = lookup(lex, word) ?? lookupLoosely(lex, word);
  if (lex.memo.size >= MEMO_MAX) lex.memo.clear();
  lex.memo.set(word, out);
  return out;
}

/** Emoji and emoticons with their valence. */
export const EMOJI_VALENCE: ReadonlyMap<string, number> = new Map(
  Object.entries({
    '😀': 2.5,
    '😃': 2.5,
    '😄': 2.5,
    '😁': 2.5,
    '😊': 2.5,
    '🙂': 1.5,
    '😍': 3.5,
    '🥰': 3.5,
    '😘': 2.5,
    '🤩': 3.5,
    '😂': 1.5,
    '🤣': 1.5,
    '😉': 1.5,
    '👍': 2,
    '👏': 2.5,
    '🙌': 2.5,
    '💯': 2.5,
    '🎉': 2.5,
    '❤': 3,
    '❤️': 3,
    '💕': 3,
    '💖': 3,
    '💙': 3,
    '⭐': 2,
    '🌟': 2.5,
    '✨': 1.5,
    '🔥': 1.5,
    '👌': 2,
    '😐': -0.5,
    '😕': -1.5,
    '🙁': -2,
    '☹': -2,
    '☹️': -2,
    '😞': -2.5,
    '😟': -2,
    '😢': -2.5,
    '😭': -2.5,
    '😠': -3,
    '😡': -3.5,
    '🤬': -4,
    '👎': -2.5,
    '💩': -3,
    '🤮': -3.5,
    '😤': -2.5,
    '😩': -2.5,
    '😫': -2.5,
    '🙄': -2,
    '💔': -3,
    ':)': 2,
    ':-)': 2,
    ':]': 2,
    '=)': 2,
    ':d': 2.5,
    ':-d': 2.5,
    ';)': 1.5,
    ';-)': 1.5,
    ':p': 1,
    '<3': 3,
    '^^': 1.5,
    '^_^': 2,
    ':(': -2,
    ':-(': -2,
    ':[': -2,
    '=(': -2,
    ':/': -1,
    ':-/': -1,
    ':|': -0.5,
  }),
);
