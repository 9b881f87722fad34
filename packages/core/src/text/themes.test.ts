import { describe, expect, it } from 'vitest';
import { composeComment } from '../demo/comments.ts';
import type { Channel, Journey } from '../demo/model.ts';
import { Rng } from '../demo/rng.ts';
import { DEFAULT_TAXONOMY } from './default-taxonomy.ts';
import {
  lightStem,
  matchThemes,
  type Taxonomy,
  TaxonomySchema,
  themeImpactFromCounts,
  themeImpactOnNps,
} from './themes.ts';

const tax: Taxonomy = {
  version: 3,
  themes: [
    { id: 'delay', label: 'Delays', keywords: ['delay', 'waiting time', 'warte*'] },
    { id: 'staff', label: 'Staff', keywords: ['friendly', '"calls"'], excludes: ['kind of'] },
    { id: 'refund', label: 'Refund', keywords: ['refund'], parent: 'money' },
    { id: 'money', label: 'Money', keywords: ['price'] },
  ],
};

describe('lightStem', () => {
  it('joins inflections of one word and keeps derivations apart', () => {
    for (const w of ['delay', 'delays', 'delayed', 'delaying']) expect(lightStem(w)).toBe('delay');
    for (const w of ['wait', 'waits', 'waited', 'waiting']) expect(lightStem(w)).toBe('wait');
    expect(lightStem('waiter')).not.toBe('wait');
    expect(lightStem('stopped')).toBe('stop');
    expect(lightStem('fitting')).toBe('fit');
    expect(lightStem('replies')).toBe('reply');
    expect(lightStem('Rechnungen')).toBe(lightStem('Rechnung'));
    expect(lightStem('Gebühr')).toBe(lightStem('gebuhr'));
  });
});

describe('matchThemes', () => {
  it('matches stems, phrases, prefixes and exact words', () => {
    expect(matchThemes('The flight was DELAYED twice', tax)).toEqual(['delay']);
    expect(matchThemes('long waiting times on the hotline', tax)).toEqual(['delay']);
    expect(matchThemes('ewig in der Warteschleife', tax)).toEqual(['delay']);
    expect(matchThemes('three calls', tax)).toEqual(['staff']);
    expect(matchThemes('one call', tax)).toEqual([]);
    // "waiting" alone is not the phrase "waiting time".
    expect(matchThemes('I am waiting', tax)).toEqual([]);
  });

  it('drops a theme when an exclude matches, and adds parents only when asked', () => {
    expect(matchThemes('friendly, kind of', tax)).toEqual([]);
    expect(matchThemes('very friendly', tax)).toEqual(['staff']);
    expect(matchThemes('refunded at last', tax)).toEqual(['refund']);
    expect(matchThemes('refunded at last', tax, { includeParents: true })).toEqual(['refund', 'money']);
  });

  it('finds the demo comments\u2019 ground-truth themes in three languages (recall ≥ 0.95, precision ≥ 0.85)', () => {
    const rng = new Rng(11);
    const journeys: Journey[] = ['billing_question', 'tech_support', 'onboarding', 'upgrade', 'complaint'];
    const channels: Channel[] = ['call_centre', 'web', 'app', 'shop'];
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < 1500; i++) {
      const c = composeComment(rng, {
        language: (['en', 'de', 'fr'] as const)[i % 3]!,
        journey: journeys[i % journeys.length]!,
        channel: rng.pick(channels),
        waitMinutes: rng.next() * 20,
        extraContacts: rng.int(0, 2),
        transfers: rng.int(0, 1),
        failures: rng.int(0, 1),
        courtesy: rng.int(1, 5),
        competence: rng.int(1, 5),
        ease: rng.int(1, 5),
        nps: rng.int(0, 10),
        assisted: true,
      });
      const truth = new Set(c.themes.filter((t) => t !== 'general'));
      const got = new Set(matchThemes(c.text, DEFAULT_TAXONOMY));
      for (const t of truth)
        if (got.has(t)) tp++;
        else fn++;
      for (const t of got) if (!truth.has(t)) fp++;
    }
    expect(tp / (tp + fn)).toBeGreaterThan(0.95);
    expect(tp / (tp + fp)).toBeGreaterThan(0.85);
  });

  it('tags retail and airline reviews', () => {
    expect(matchThemes('Runs small, I had to size up. The fabric is thin.', DEFAULT_TAXONOMY)).toEqual([
      'fit_size',
      'fabric_material',
    ]);
    expect(matchThemes('Flight delayed 3 hours, lost my luggage, seats cramped', DEFAULT_TAXONOMY)).toEqual([
      'flight_delay',
      'baggage',
      'seat_comfort',
    ]);
    expect(matchThemes("I can't wait to wear it", DEFAULT_TAXONOMY)).toEqual([]);
  });
});

describe('TaxonomySchema', () => {
  it('accepts the default taxonomy', () => {
    expect(TaxonomySchema.parse(DEFAULT_TAXONOMY).themes.length).toBeGreaterThan(20);
  });

  it('names the field of a duplicate id, an unknown parent, a parent cycle and an empty keyword', () => {
    const issues = (t: unknown) =>
      TaxonomySchema.safeParse(t).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(
      issues({
        version: 1,
        themes: [
          { id: 'a', label: 'A', keywords: ['x'] },
          { id: 'a', label: 'A2', keywords: ['y'] },
        ],
      }),
    ).toEqual(['themes.1.id: duplicate theme id "a"']);
    expect(issues({ version: 1, themes: [{ id: 'a', label: 'A', keywords: ['x'], parent: 'zz' }] })).toEqual([
      'themes.0.parent: parent "zz" is not a theme id',
    ]);
    expect(
      issues({
        version: 1,
        themes: [
          { id: 'a', label: 'A', keywords: ['x'], parent: 'b' },
          { id: 'b', label: 'B', keywords: ['y'], parent: 'a' },
        ],
      })?.[0],
    ).toMatch(/^themes\.0\.parent: parent cycle/);
    expect(issues({ version: 1, themes: [{ id: 'a', label: 'A', keywords: ['ab*'] }] })).toEqual([
      'themes.0.keywords.0: keyword "ab*" has no words (a prefix needs at least 3 letters before *)',
    ]);
    expect(issues({ version: 0, themes: [{ id: 'A b', label: 'A', keywords: ['x'] }] })?.length).toBe(2);
  });
});

describe('theme impact on NPS (DESIGN.md §4: impact = NPS(all) − NPS(responses without the theme))', () => {
  // 10 answers: 5 promoters, 2 passives, 3 detractors → NPS(all) = 20.
  // With "billing": 3 answers, all detractors (NPS −100). Without: 7 answers, 5 P, 2 pass., 0 D → 71.43.
  const responses = [
    { nps: 10, themes: ['staff'] },
    { nps: 9, themes: ['staff'] },
    { nps: 9, themes: [] },
    { nps: 10, themes: [] },
    { nps: 9, themes: [] },
    { nps: 8, themes: ['staff'] },
    { nps: 7, themes: [] },
    { nps: 2, themes: ['billing'] },
    { nps: 5, themes: ['billing', 'billing'] },
    { nps: 0, themes: ['billing', 'staff'] },
    { nps: null, themes: ['billing'] },
  ];

  it('computes NPS(all) − NPS(without) for each theme, largest effect first', () => {
    const out = themeImpactOnNps(responses);
    expect(out.map((t) => t.theme)).toEqual(['billing', 'staff']);
    const billing = out[0]!;
    expect(billing).toMatchObject({ n: 3, share: 0.3, nps: -100 });
    expect(billing.npsWithout).toBeCloseTo(500 / 7, 10);
    expect(billing.impact).toBeCloseTo(20 - 500 / 7, 10); // −51.43
    // Identity: impact = share × (NPS_theme − NPS_without).
    expect(billing.impact).toBeCloseTo(0.3 * (-100 - 500 / 7), 10);
    // staff: 4 answers (P, P, passive, D) → NPS 25; without: 6 answers (3 P, 1 pass., 2 D) → 16.67.
    const staff = out[1]!;
    expect(staff.nps).toBe(25);
    expect(staff.impact).toBeCloseTo(20 - 100 / 6, 10);
  });

  it('gives the interval share·1.96·100·√(Var_t/n_t + Var_w/n_w) and null when nothing is left without', () => {
    const all = { promoters: 50, passives: 20, detractors: 30 };
    const t = { promoters: 5, passives: 5, detractors: 10 };
    const r = themeImpactFromCounts('x', all, t);
    // NPS all = 20; without: 45 P, 15 pass., 20 D of 80 → 31.25; impact −11.25.
    expect(r.impact).toBeCloseTo(-11.25, 10);
    const varT = 0.25 + 0.5 - (0.25 - 0.5) ** 2;
    const varW = 45 / 80 + 20 / 80 - (25 / 80) ** 2;
    const half = 1.959963984540054 * 0.2 * 100 * Math.sqrt(varT / 20 + varW / 80);
    expect(r.ci95![0]).toBeCloseTo(-11.25 - half, 10);
    expect(r.ci95![1]).toBeCloseTo(-11.25 + half, 10);
    expect(themeImpactFromCounts('all', all, all)).toMatchObject({ impact: null, ci95: null, share: 1 });
    expect(() => themeImpactFromCounts('bad', t, all)).toThrow(RangeError);
  });
});
