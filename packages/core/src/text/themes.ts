import { z } from 'zod';
import { type NpsCounts, npsFromCounts, Z95 } from '../stats/nps.ts';
import { words } from './tokenize.ts';

/**
 * Themes: a versioned taxonomy (theme → keywords / phrases, optional excludes and a parent) and a
 * precompiled matcher. Matching works on light stems so "delay", "delays", "delayed" and "delaying"
 * all hit the keyword "delay"; a keyword ending in `*` is a prefix ("warte*" matches "Warteschleife",
 * "Wartezeit"), which is what German compounds need; a word in double quotes is matched exactly
 * (`"calls"` without also matching "call"). Keywords may be in any language: text and
 * keywords go through the same tokenizer, fold and stemmer.
 */

const THEME_ID = /^[a-z0-9][a-z0-9_-]*$/;

export const ThemeSchema = z
  .object({
    id: z.string().regex(THEME_ID, 'lower-case letters, digits, "_" or "-"'),
    label: z.string().trim().min(1),
    keywords: z.array(z.string().trim().min(1)).min(1),
    excludes: z.array(z.string().trim().min(1)).optional(),
    parent: z.string().optional(),
  })
  .strict();
export type Theme = z.infer<typeof ThemeSchema>;

export const TaxonomySchema = z
  .object({
    version: z.number().int().min(1),
    themes: z.array(ThemeSchema).min(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    const ids = new Map<string, number>();
    t.themes.forEach((th, i) => {
      if (ids.has(th.id))
        ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: `duplicate theme id "${th.id}"` });
      ids.set(th.id, i);
    });
    t.themes.forEach((th, i) => {
      if (th.parent === undefined) return;
      if (!ids.has(th.parent))
        ctx.addIssue({
          code: 'custom',
          path: ['themes', i, 'parent'],
          message: `parent "${th.parent}" is not a theme id`,
        });
      // Walk up: a cycle would make "include parents" loop forever.
      const seen = new Set<string>([th.id]);
      let p: string | undefined = th.parent;
      while (p !== undefined) {
        if (seen.has(p)) {
          ctx.addIssue({ code: 'custom', path: ['themes', i, 'parent'], message: `parent cycle at "${p}"` });
          break;
        }
        seen.add(p);
        p = t.themes[ids.get(p) ?? -1]?.parent;
      }
    });
    t.themes.forEach((th, i) => {
      th.keywords.forEach((k, j) => {
        if (keywordTerms(k).length === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['themes', i, 'keywords', j],
            message: `keyword "${k}" has no words (a prefix needs at least 3 letters before *)`,
          });
      });
    });
  });
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** Lower-case, strip accents (é → e, ü → u), ß → ss: comments are typed without accents as often as with. */
export function foldWord(w: string): string {
  return w
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/ß/g, 'ss')
    .toLowerCase();
}

/**
 * A deliberately light, language-neutral stemmer (not Porter): it only removes inflections that
 * never change the topic — plural and verb endings in English, German and French — and keeps
 * derivations apart ("waiter" stays, "wait"/"waiting"/"waited" meet). Stems are at least 3 letters.
 */
export function lightStem(word: string): string {
  let w = foldWord(word);
  if (w.length <= 3) return w;
  if (w.length > 4 && (w.endsWith('ies') || w.endsWith('ied'))) return `${w.slice(0, -3)}y`;
  let verbal = false;
  for (const suf of ['ing', 'ed', 'en', 'es', 's', 'e', 'x']) {
    if (w.endsWith(suf) && w.length - suf.length >= 3 && !(suf === 's' && w.endsWith('ss'))) {
      w = w.slice(0, -suf.length);
      verbal = suf === 'ing' || suf === 'ed';
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  // "stopped" → "stopp" → "stop"; "fitting" → "fitt" → "fit" (but "install", "press" keep theirs).
  if (verbal && w.length > 3 && w.at(-1) === w.at(-2) && !'lsz'.includes(w.at(-1)!)) w = w.slice(0, -1);
  return w;
}

/*
 * Folding and stemming cost more than the matching itself, and comments reuse a small vocabulary:
 * each word's forms are computed once (the cache is dropped when it grows past 100,000 words).
 */
const forms = new Map<string, { folded: string; stem: string }>();
function wordForms(word: string): { folded: string; stem: string } {
  let f = forms.get(word);
  if (!f) {
    if (forms.size > 100_000) forms.clear();
    f = { folded: foldWord(word), stem: lightStem(word) };
    forms.set(word, f);
  }
  return f;
}

/** A keyword's terms: stems, prefixes (`warte*`) or exact words (`"calls"`, not stemmed). */
interface Term {
  stem?: string;
  prefix?: string;
  exact?: string;
}

function keywordTerms(keyword: string): Term[] {
  const out: Term[] = [];
  for (const part of keyword.trim().split(/\s+/)) {
    const isExact = part.length > 2 && part.startsWith('"') && part.endsWith('"');
    const isPrefix = !isExact && part.endsWith('*');
    const ws = words(isExact ? part.slice(1, -1) : isPrefix ? part.slice(0, -1) : part);
    for (let i = 0; i < ws.length; i++) {
      if (isPrefix && i === ws.length - 1) {
        const p = foldWord(ws[i]!);
        if (p.length < 3) return [];
        out.push({ prefix: p });
      } else if (isExact) out.push({ exact: foldWord(ws[i]!) });
      else out.push({ stem: lightStem(ws[i]!) });
    }
  }
  return out;
}

interface Pattern {
  theme: number;
  exclude: boolean;
  rest: Term[];
  exactFirst?: string;
}

/** A taxonomy compiled for matching: first-term lookup tables, then a check of the remaining terms. */
export interface ThemeMatcher {
  readonly taxonomy: Taxonomy;
  match(text: string, opts?: { includeParents?: boolean }): string[];
}

const compiled = new WeakMap<Taxonomy, ThemeMatcher>();

export function compileTaxonomy(taxonomy: Taxonomy): ThemeMatcher {
  const byStem = new Map<string, Pattern[]>();
  const byPrefix3 = new Map<string, { prefix: string; pattern: Pattern }[]>();
  const add = (terms: Term[], theme: number, exclude: boolean) => {
    const [first, ...rest] = terms;
    if (!first) return;
    const pattern = { theme, exclude, rest };
    if (first.stem !== undefined || first.exact !== undefined) {
      // Exact words are looked up by their stem too, then checked against the folded word.
      const key = first.stem ?? lightStem(first.exact!);
      const list = byStem.get(key) ?? [];
      list.push(first.exact === undefined ? pattern : { ...pattern, exactFirst: first.exact });
      byStem.set(key, list);
    } else {
      const key = first.prefix!.slice(0, 3);
      const list = byPrefix3.get(key) ?? [];
      list.push({ prefix: first.prefix!, pattern });
      byPrefix3.set(key, list);
    }
  };
  taxonomy.themes.forEach((th, i) => {
    for (const k of th.keywords) add(keywordTerms(k), i, false);
    for (const k of th.excludes ?? []) add(keywordTerms(k), i, true);
  });
  const parentIndex = taxonomy.themes.map((th) =>
    th.parent === undefined ? -1 : taxonomy.themes.findIndex((p) => p.id === th.parent),
  );

  const termHits = (t: Term, folded: string, stem: string) =>
    t.stem !== undefined
      ? t.stem === stem
      : t.exact !== undefined
        ? t.exact === folded
        : folded.startsWith(t.prefix!);

  return {
    taxonomy,
    match(text, opts = {}) {
      const toks = words(text);
      const folded: string[] = new Array(toks.length);
      const stems: string[] = new Array(toks.length);
      for (let i = 0; i < toks.length; i++) {
        const w = wordForms(toks[i]!);
        folded[i] = w.folded;
        stems[i] = w.stem;
      }
      const hit = new Uint8Array(taxonomy.themes.length);
      const excluded = new Uint8Array(taxonomy.themes.length);
      const tryPattern = (p: Pattern, i: number) => {
        if (p.exactFirst !== undefined && p.exactFirst !== folded[i]) return;
        for (let j = 0; j < p.rest.length; j++) {
          const k = i + 1 + j;
          if (k >= toks.length || !termHits(p.rest[j]!, folded[k]!, stems[k]!)) return;
        }
        if (p.exclude) excluded[p.theme] = 1;
        else hit[p.theme] = 1;
      };
      for (let i = 0; i < toks.length; i++) {
        for (const p of byStem.get(stems[i]!) ?? []) tryPattern(p, i);
        const f = folded[i]!;
        if (f.length >= 3)
          for (const { prefix, pattern } of byPrefix3.get(f.slice(0, 3)) ?? [])
            if (f.startsWith(prefix)) tryPattern(pattern, i);
      }
      const out: string[] = [];
      const on = new Uint8Array(taxonomy.themes.length);
      for (let t = 0; t < hit.length; t++) {
        if (!hit[t] || excluded[t]) continue;
        on[t] = 1;
        if (opts.includeParents) for (let p = parentIndex[t]!; p >= 0; p = parentIndex[p]!) on[p] = 1;
      }
      for (let t = 0; t < on.length; t++) if (on[t]) out.push(taxonomy.themes[t]!.id);
      return out;
    },
  };
}

/** Theme ids the text mentions, in taxonomy order. The taxonomy is compiled once and cached. */
export function matchThemes(text: string, taxonomy: Taxonomy, opts?: { includeParents?: boolean }): string[] {
  let m = compiled.get(taxonomy);
  if (!m) {
    m = compileTaxonomy(taxonomy);
    compiled.set(taxonomy, m);
  }
  return m.match(text, opts);
}

/**
 * Theme impact on NPS (DESIGN.md §4, ANCHORS.md §4 after Thematic and Kapiche):
 * impact = NPS(all) − NPS(responses without the theme), −200..200 in principle. Because
 * NPS(all) = (nₜ·NPSₜ + n_w·NPS_w)/n, impact = (nₜ/n)·(NPSₜ − NPS_w): a theme matters when it is
 * both frequent and far from the rest. The 95 % interval treats the share nₜ/n as fixed and the two
 * groups (with / without) as independent: SE = (nₜ/n)·100·√(Varₜ/nₜ + Var_w/n_w).
 */
export interface ThemeImpact {
  theme: string;
  /** Responses with an NPS answer that mention the theme. */
  n: number;
  /** nₜ / n. */
  share: number;
  /** NPS of the responses with the theme. */
  nps: number | null;
  /** NPS of the responses without it. */
  npsWithout: number | null;
  impact: number | null;
  ci95: [number, number] | null;
}

export function themeImpactFromCounts(theme: string, all: NpsCounts, withTheme: NpsCounts): ThemeImpact {
  const without: NpsCounts = {
    promoters: all.promoters - withTheme.promoters,
    passives: all.passives - withTheme.passives,
    detractors: all.detractors - withTheme.detractors,
  };
  if (without.promoters < 0 || without.passives < 0 || without.detractors < 0)
    throw new RangeError(`theme ${theme}: counts with the theme exceed the counts of all responses`);
  const a = npsFromCounts(all);
  const t = npsFromCounts(withTheme);
  const w = npsFromCounts(without);
  const share = a.n === 0 ? 0 : t.n / a.n;
  const impact = a.nps === null || w.nps === null ? null : a.nps - w.nps;
  let ci95: [number, number] | null = null;
  if (impact !== null && t.n > 0 && t.variance !== null && w.variance !== null) {
    const half = Z95 * share * 100 * Math.sqrt(t.variance / t.n + w.variance / w.n);
    ci95 = [impact - half, impact + half];
  }
  return { theme, n: t.n, share, nps: t.nps, npsWithout: w.nps, impact, ci95 };
}

/** Impact of every theme that occurs, from individual responses (nps null = not answered, skipped). */
export function themeImpactOnNps(
  responses: Iterable<{ nps: number | null; themes: readonly string[] }>,
): ThemeImpact[] {
  const all: NpsCounts = { promoters: 0, passives: 0, detractors: 0 };
  const per = new Map<string, NpsCounts>();
  for (const r of responses) {
    if (r.nps === null) continue;
    const k = r.nps >= 9 ? 'promoters' : r.nps >= 7 ? 'passives' : 'detractors';
    all[k]++;
    for (const th of new Set(r.themes)) {
      const c = per.get(th) ?? { promoters: 0, passives: 0, detractors: 0 };
      c[k]++;
      per.set(th, c);
    }
  }
  return [...per.entries()]
    .map(([theme, c]) => themeImpactFromCounts(theme, all, c))
    .sort((x, y) => Math.abs(y.impact ?? 0) - Math.abs(x.impact ?? 0) || x.theme.localeCompare(y.theme));
}
