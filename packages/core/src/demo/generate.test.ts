import { describe, expect, it } from 'vitest';
import { TABLE_KINDS } from '../schemas/tables.ts';
import { composeComment } from './comments.ts';
import { DEMO_COLUMNS, type DemoRows, generateDemo } from './generate.ts';
import { CHANNELS, DEMO_GENERATOR_VERSION, JOURNEYS } from './model.ts';
import { Rng } from './rng.ts';

function collect(customers: number, seed: number): DemoRows {
  const all: DemoRows = {
    customers: [],
    identities: [],
    events: [],
    feedback: [],
    measurements: [],
    outcomes: [],
    campaigns: [],
  };
  for (const b of generateDemo({ customers, seed, chunkSize: 97 }))
    for (const t of TABLE_KINDS) all[t].push(...b.rows[t]);
  return all;
}

/** FNV-1a over the JSON of every row: any change in any value changes it. */
function fingerprint(rows: DemoRows): string {
  let h = 0x811c9dc5;
  for (const t of TABLE_KINDS) {
    for (const r of rows[t]) {
      const s = JSON.stringify(r);
      for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    }
  }
  return (h >>> 0).toString(16);
}

describe('demo generator', () => {
  it('gives identical rows for the same customers and seed, whatever the chunk size, and other rows for another seed', () => {
    const a = collect(300, 7);
    const b = collect(300, 7);
    expect(fingerprint(a)).toBe(fingerprint(b));
    const chunked: DemoRows = {
      customers: [],
      identities: [],
      events: [],
      feedback: [],
      measurements: [],
      outcomes: [],
      campaigns: [],
    };
    for (const batch of generateDemo({ customers: 300, seed: 7, chunkSize: 1000 })) {
      for (const t of TABLE_KINDS) chunked[t].push(...batch.rows[t]);
    }
    expect(fingerprint(chunked)).toBe(fingerprint(a));
    expect(fingerprint(collect(300, 8))).not.toBe(fingerprint(a));
  });

  it('matches the recorded fingerprint of generator version 1 (same rows on every machine)', () => {
    // If the model changed on purpose: bump DEMO_GENERATOR_VERSION, update this value and docs/demo-data.md.
    expect(DEMO_GENERATOR_VERSION).toBe(1);
    expect(fingerprint(collect(60, 1))).toBe('e29948e5');
  });

  it('scales its row counts with the number of customers', () => {
    const small = collect(400, 3);
    const large = collect(1600, 3);
    expect(small.customers).toHaveLength(400);
    expect(large.customers).toHaveLength(1600);
    for (const t of ['identities', 'events', 'feedback', 'measurements', 'outcomes'] as const) {
      const ratio = large[t].length / small[t].length;
      expect(ratio, t).toBeGreaterThan(3.4);
      expect(ratio, t).toBeLessThan(4.6);
    }
    expect(small.campaigns).toHaveLength(3);
    expect(large.campaigns).toHaveLength(3);
  });

  it('yields rows whose width matches its column lists, with the load id appended when given', () => {
    const [batch] = [...generateDemo({ customers: 50, seed: 1, loadId: 'ld_x' })];
    for (const t of TABLE_KINDS) {
      expect(batch!.rows[t].length, t).toBeGreaterThan(0);
      for (const r of batch!.rows[t]) {
        expect(r).toHaveLength(DEMO_COLUMNS[t].length + 1);
        expect(r[r.length - 1]).toBe('ld_x');
      }
    }
  });

  it('covers every journey and channel, with unique event ids and events inside the window', () => {
    const rows = collect(500, 11);
    const col = (name: string) => DEMO_COLUMNS.events.indexOf(name as never);
    const journeys = new Set(rows.events.map((r) => r[col('journey')]));
    const channels = new Set(rows.events.map((r) => r[col('channel')]));
    for (const j of JOURNEYS) expect(journeys.has(j), j).toBe(true);
    for (const c of CHANNELS) expect(channels.has(c), c).toBe(true);
    const ids = rows.events.map((r) => r[col('event_id')]);
    expect(new Set(ids).size).toBe(ids.length);
    const ts = rows.events.map((r) => r[col('ts')] as number);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(Date.UTC(2025, 0, 1));
    expect(Math.max(...ts)).toBeLessThan(Date.UTC(2026, 6, 1));
  });

  it('refuses a non-positive or fractional customer count', () => {
    expect(() => generateDemo({ customers: 0, seed: 1 }).next()).toThrow(/customers/);
    expect(() => generateDemo({ customers: 2.5, seed: 1 }).next()).toThrow(/customers/);
  });
});

describe('demo comments', () => {
  it('are varied: most of 1,000 comments are distinct, in three languages, with themes from the facts', () => {
    const rng = new Rng(5);
    const texts: string[] = [];
    const langs = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const language = rng.weighted(['en', 'de', 'fr'] as const, [0.8, 0.12, 0.08]);
      langs.add(language);
      const c = composeComment(rng, {
        language,
        journey: rng.pick([
          'billing_question',
          'tech_support',
          'upgrade',
          'onboarding',
          'complaint',
        ] as const),
        channel: rng.pick(['call_centre', 'web', 'app', 'shop', 'chat'] as const),
        waitMinutes: rng.next() * 40,
        extraContacts: rng.int(0, 2),
        transfers: rng.int(0, 1),
        failures: rng.int(0, 1),
        courtesy: rng.int(1, 5),
        competence: rng.int(1, 5),
        ease: rng.int(1, 5),
        nps: rng.int(0, 10),
        assisted: rng.chance(0.6),
      });
      expect(c.text.length).toBeGreaterThan(2);
      expect(c.text).not.toMatch(/\{|\}|undefined/);
      expect(c.themes.length).toBeGreaterThan(0);
      texts.push(c.text);
    }
    expect(new Set(texts).size).toBeGreaterThan(500);
    expect([...langs].sort()).toEqual(['de', 'en', 'fr']);
  });

  it('speaks of the wait when the customer waited long and of repeated calls when there were some', () => {
    const rng = new Rng(2);
    let wait = 0;
    let repeat = 0;
    for (let i = 0; i < 300; i++) {
      const c = composeComment(rng, {
        language: 'en',
        journey: 'billing_question',
        channel: 'call_centre',
        waitMinutes: 35,
        extraContacts: 2,
        transfers: 2,
        failures: 0,
        courtesy: 3,
        competence: 3,
        ease: 2,
        nps: 2,
        assisted: true,
      });
      if (c.themes.includes('waiting_time')) wait++;
      if (c.themes.includes('repeat_contact')) repeat++;
    }
    expect(wait).toBeGreaterThan(150);
    expect(repeat).toBeGreaterThan(100);
  });
});
