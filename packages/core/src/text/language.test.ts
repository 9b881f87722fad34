import { describe, expect, it } from 'vitest';
import { detectLanguage, guessLanguage } from './language.ts';

const CASES: Array<[string, string]> = [
  ['Love this dress! It fits perfectly and the colour is lovely.', 'en'],
  ['The flight was delayed and the staff were rude.', 'en'],
  ['Waited 40 minutes on hold, still no answer.', 'en'],
  ['Great', 'en'],
  ['Terrific', 'en'],
  ['Enttäuschend', 'de'],
  ['Magnifique', 'fr'],
  ['Das Essen war nicht gut.', 'de'],
  ['Sehr schlechter Service, nie wieder!', 'de'],
  ['Lieferung kam zu spät', 'de'],
  ['Ich bin zufrieden', 'de'],
  ['Das Paket ist nie angekommen und niemand antwortet.', 'de'],
  ["C'est pas mal du tout", 'fr'],
  ['Le service client est nul.', 'fr'],
  ['Très bon produit, livraison rapide', 'fr'],
  ['Je suis déçu', 'fr'],
  ["J'ai dû appeler trois fois, toujours pas de réponse.", 'fr'],
];

describe('detectLanguage', () => {
  it.each(CASES)('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("says 'und' for empty, too short, other scripts and other languages", () => {
    for (const t of [
      '',
      '   ',
      'ok',
      '👍👍',
      '10/10',
      '这是一个测试',
      'El servicio fue muy malo y la comida fría',
    ]) {
      expect(detectLanguage(t)).toBe('und');
    }
    expect(detectLanguage('Questo prodotto è fantastico, molto bello')).toBe('und');
  });

  it('reads only the start of a very long comment, so 100 kB stays cheap', () => {
    const long = 'Der Kundenservice war sehr freundlich. '.repeat(3000);
    const t0 = performance.now();
    expect(detectLanguage(long)).toBe('de');
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it('returns a score per language with the winner highest', () => {
    const g = guessLanguage('Le repas était froid et le personnel impoli.');
    expect(g.language).toBe('fr');
    expect(g.scores.fr).toBeGreaterThan(g.scores.en);
    expect(g.scores.fr).toBeGreaterThan(g.scores.de);
  });
});
