import { describe, expect, it } from 'vitest';
import { analyzeSentiment, scoreSentiment, sentimentLabel } from './sentiment.ts';
import { editDistance, LEXICONS, skeleton, valenceOf } from './sentiment-lexicon.ts';

const label = (t: string) => analyzeSentiment(t).sentiment;
const score = (t: string) => analyzeSentiment(t).score;

describe('analyzeSentiment — customer-service language', () => {
  it.each([
    'waited 40 minutes',
    'We waited for over two hours at the gate',
    'still no answer',
    'Still waiting for my refund',
    'had to call three times',
    'I called them 4 times and nothing happened',
    'Put on hold again',
    'Nobody called me back',
    'no response to my emails',
    'My flight was cancelled',
    'refund not received after 6 weeks',
    'They lost my luggage',
    'never again',
    'Sent it back the same day',
    'Ich habe 30 Minuten in der Warteschleife gewartet',
    'Immer noch keine Antwort',
    'Ich musste dreimal anrufen',
    "J'ai attendu deux heures",
    'Toujours pas de réponse',
    "Personne ne m'a rappelé",
  ])('"%s" is negative', (t) => {
    expect(label(t)).toBe('negative');
  });
});

describe('analyzeSentiment — negation, modifiers, contrast, emphasis', () => {
  it('reads negation: not bad → positive, not good → negative, in en/de/fr', () => {
    expect(label('not bad')).toBe('positive');
    expect(label('Not bad at all!')).toBe('positive');
    expect(label('not good')).toBe('negative');
    expect(label("wasn't helpful")).toBe('negative');
    expect(label('nicht gut')).toBe('negative');
    expect(label('gar nicht schlecht')).toBe('positive');
    expect(label("c'est pas mal")).toBe('positive');
    expect(label("ce n'est pas bon")).toBe('negative');
  });

  it('reads negation at the end of a German or colloquial French clause', () => {
    expect(label('Das gefällt mir nicht.')).toBe('negative');
    expect(label('Es funktioniert nicht')).toBe('negative');
    expect(label('Es funktioniert super')).toBe('positive');
    expect(label('ça marche pas')).toBe('negative');
    expect(label('Ça marche très bien')).toBe('positive');
    expect(label('Ich bin nicht zufrieden.')).toBe('negative');
  });

  it('scores longer German and French comments', () => {
    expect(label('Die Lieferung war schnell und der Kundenservice sehr hilfsbereit.')).toBe('positive');
    expect(label('Leider ist die Ware beschädigt angekommen und niemand hat zurückgerufen.')).toBe(
      'negative',
    );
    expect(label('Le personnel était très accueillant et souriant.')).toBe('positive');
    expect(label('Produit cassé, service client injoignable, je suis très déçu.')).toBe('negative');
  });

  it('negated positive is milder than the plain negative word', () => {
    expect(score('not good')).toBeGreaterThan(score('bad'));
    expect(score('not good')).toBeLessThan(0);
  });

  it('intensifiers raise and diminishers lower the magnitude', () => {
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('slightly bad')).toBeGreaterThan(score('bad'));
    expect(score('extremely rude')).toBeLessThan(score('rude'));
  });

  it('weights the clause after "but"', () => {
    expect(label('The staff were friendly but the food was awful')).toBe('negative');
    expect(label('The seat was a bit cramped but the crew were wonderful')).toBe('positive');
  });

  it('amplifies with exclamation marks and ALL CAPS, not with an all-caps text', () => {
    expect(score('good!!!')).toBeGreaterThan(score('good'));
    expect(score('the service was GOOD')).toBeGreaterThan(score('the service was good'));
    expect(score('THE SERVICE WAS GOOD')).toBe(score('the service was good'));
  });

  it('scores emoji and emoticons', () => {
    expect(label('👍')).toBe('positive');
    expect(label('😡😡')).toBe('negative');
    expect(label('delivery :(')).toBe('negative');
    expect(label('thanks :)')).toBe('positive');
  });

  it('treats "too" + neutral quality as a complaint but "too cute" as praise', () => {
    expect(label('The dress is too big')).toBe('negative');
    expect(label('too cute')).toBe('positive');
  });

  it('"like" as a preposition carries no sentiment', () => {
    expect(score('it looks like a tent')).toBeLessThanOrEqual(0);
    expect(label('I like it')).toBe('positive');
  });

  it('calls a balanced, mixed comment neutral', () => {
    const r = scoreSentiment('The colour is lovely. The fabric is cheap and thin.');
    expect(r.mixed).toBeGreaterThan(0.5);
    expect(analyzeSentiment('The colour is lovely. The fabric is cheap and thin.').sentiment).toBe('neutral');
  });
});

describe('typos and elongations', () => {
  it('reads common misspellings and stretched words', () => {
    const en = LEXICONS.en;
    for (const w of ['dissapointed', 'disapointed', 'excelent', 'prefect', 'gorgeus', 'unfortunetly'])
      expect(valenceOf(en, w), w).not.toBe(0);
    expect(valenceOf(en, 'dissapointed')).toBe(valenceOf(en, 'disappointed'));
    expect(valenceOf(en, 'goood')).toBe(valenceOf(en, 'good'));
    expect(valenceOf(en, 'loooove')).toBe(valenceOf(en, 'love'));
    expect(label('Very dissapointed, the quality is terible')).toBe('negative');
  });

  it('does not turn real words into their neighbours', () => {
    const en = LEXICONS.en;
    for (const w of [
      'waisted',
      'falling',
      'flutter',
      'looking',
      'seating',
      'leaving',
      'material',
      'expansive',
    ])
      expect(valenceOf(en, w), w).toBe(0);
  });

  it('skeleton and edit distance (known answers)', () => {
    expect(skeleton('disappointed')).toBe('dspntd');
    expect(skeleton('dissapointed')).toBe('dspntd');
    expect(editDistance('prefect', 'perfect')).toBe(1); // one adjacent swap
    expect(editDistance('excelent', 'excellent')).toBe(1); // one insertion
    expect(editDistance('falling', 'failing')).toBe(2); // a substitution costs 2
    expect(editDistance('abc', 'abc')).toBe(0);
  });
});

describe('analyzeSentiment — contract', () => {
  it('is neutral with score 0 when nothing carries sentiment', () => {
    expect(analyzeSentiment('The parcel arrived on Tuesday.')).toMatchObject({
      sentiment: 'neutral',
      score: 0,
    });
    expect(analyzeSentiment('')).toMatchObject({ sentiment: 'neutral', score: 0 });
  });

  it('keeps the score inside −1 … 1 for extreme input', () => {
    const neg = score('terrible awful horrible!!! '.repeat(500));
    const pos = score('AMAZING wonderful perfect 😍 '.repeat(500));
    expect(neg).toBeGreaterThanOrEqual(-1);
    expect(neg).toBeLessThan(-0.9);
    expect(pos).toBeLessThanOrEqual(1);
    expect(pos).toBeGreaterThan(0.9);
  });

  it('reports which customer-service patterns fired', () => {
    expect(analyzeSentiment('Waited 2 hours, still no reply').signals).toEqual([
      'long-wait',
      'still-unresolved',
      'no-response',
    ]);
    expect(analyzeSentiment('Lovely staff').signals).toEqual([]);
  });

  it('known answer: one lexicon word gives S / sqrt(S² + alpha)', () => {
    // "good" = +2, one bearing token: S = 2 / 1^0.25 = 2; alpha = 15 → 2 / sqrt(19).
    expect(score('good')).toBeCloseTo(2 / Math.sqrt(19), 4);
  });

  it('sentimentLabel applies thresholds and the mixed rule', () => {
    expect(sentimentLabel(0, 0)).toBe('neutral');
    expect(sentimentLabel(0.2, 0)).toBe('positive');
    expect(sentimentLabel(-0.5, 0)).toBe('negative');
    expect(sentimentLabel(-0.2, 0)).toBe('neutral');
    expect(sentimentLabel(0.3, 0.9)).toBe('neutral');
    expect(sentimentLabel(0.9, 0.9)).toBe('positive');
  });
});
