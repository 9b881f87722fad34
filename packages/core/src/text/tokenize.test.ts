import { describe, expect, it } from 'vitest';
import {
  isStopWord,
  negationMarkedWords,
  negationScope,
  normalizeText,
  tokenize,
  words,
} from './tokenize.ts';

describe('tokenize', () => {
  it('lower-cases Unicode, keeps accents and inner apostrophes, splits French elision', () => {
    expect(words("ÉTÉ Straße DON'T l'hôtel aujourd’hui")).toEqual([
      'été',
      'straße',
      "don't",
      "l'",
      'hôtel',
      "aujourd'hui",
    ]);
  });

  it('keeps the raw form for ALL-CAPS rules and tags numbers', () => {
    const t = tokenize('AWFUL 40 minutes');
    expect(t.map((x) => [x.text, x.raw, x.kind])).toEqual([
      ['awful', 'AWFUL', 'word'],
      ['40', '40', 'number'],
      ['minutes', 'minutes', 'word'],
    ]);
  });

  it('makes emoji (with modifiers and ZWJ) and emoticons single tokens', () => {
    const t = tokenize('great 👍🏽 ❤️ 👨‍👩‍👧 :-) :( <3 end');
    expect(t.filter((x) => x.kind === 'emoji').map((x) => x.text)).toEqual([
      '👍🏽',
      '❤️',
      '👨‍👩‍👧',
      ':-)',
      ':(',
      '<3',
    ]);
  });

  it('does not read a URL colon as an emoticon', () => {
    expect(tokenize('see http://x.com').some((x) => x.kind === 'emoji')).toBe(false);
  });

  it('returns nothing for empty and punctuation-only input', () => {
    expect(tokenize('')).toEqual([]);
    expect(words('  ... !!')).toEqual([]);
  });

  it('normalizeText folds case and typographic apostrophes', () => {
    expect(normalizeText('It’s ÜBER')).toBe("it's über");
  });
});

describe('negationScope', () => {
  const marked = (s: string) => {
    const t = tokenize(s);
    const n = negationScope(t);
    return t.filter((_, i) => n[i]).map((x) => x.text);
  };

  it('marks up to three words after a negator and stops at punctuation and "but"', () => {
    expect(marked('not bad at all really')).toEqual(['bad', 'at', 'all']);
    expect(marked("wasn't great, the staff were nice")).toEqual(['great']);
    expect(marked('not cheap but good')).toEqual(['cheap']);
  });

  it('handles German and French negation, counting "ne … pas" once', () => {
    expect(marked('Das Essen war nicht gut')).toEqual(['gut']);
    expect(marked("ce n'est pas mal")).toEqual(['est', 'mal']);
    expect(marked('pas mal du tout')).toEqual(['mal', 'du', 'tout']);
  });

  it('recognises contractions written without the apostrophe', () => {
    expect(marked('dont like it')).toEqual(['like', 'it']);
  });

  it('negationMarkedWords prefixes NOT_ in scope', () => {
    expect(negationMarkedWords('not good. fine')).toEqual(['not', 'NOT_good', 'fine']);
  });
});

describe('stop words', () => {
  it('has lists per language and never contains negators', () => {
    expect(isStopWord('the', 'en')).toBe(true);
    expect(isStopWord('und', 'de')).toBe(true);
    expect(isStopWord('les', 'fr')).toBe(true);
    expect(isStopWord('the', 'de')).toBe(false);
    for (const n of ['not', 'no', 'nicht', 'kein', 'pas', 'ne']) expect(isStopWord(n)).toBe(false);
  });
});
