import type { DataScope, JourneyFilterInput } from '@cx/core';

/**
 * The journey page's selection: the data scope from the pickers and the journey filter built by
 * clicking the map and the variant table. Pure functions, so that what a click adds and what a chip
 * removes is unit-tested.
 */
export interface Selection {
  scope: DataScope;
  filter: JourneyFilterInput;
}

export const EMPTY_SELECTION: Selection = { scope: {}, filter: {} };

const uniq = <T>(xs: T[], key: (x: T) => string): T[] => {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && seen.add(key(x)));
};

/** Node click: keep the cases that contain the activity (AND with earlier clicks). */
export function withActivity(f: JourneyFilterInput, activity: string): JourneyFilterInput {
  return { ...f, withActivities: uniq([...(f.withActivities ?? []), activity], (x) => x) };
}

/** Edge click: keep the cases in which `from` is directly followed by `to`. */
export function withEdge(f: JourneyFilterInput, from: string, to: string): JourneyFilterInput {
  return {
    ...f,
    directlyFollows: uniq([...(f.directlyFollows ?? []), { from, to }], (r) => `${r.from}\u0000${r.to}`),
  };
}

/** Variant click: keep the cases of this variant (or of any variant picked so far). */
export function withVariant(f: JourneyFilterInput, activities: string[]): JourneyFilterInput {
  const include = uniq([...(f.variants?.include ?? []), activities], (v) => JSON.stringify(v));
  return { ...f, variants: { ...f.variants, include } };
}

export interface Chip {
  key: string;
  label: string;
  /** The filter without this part. */
  without: JourneyFilterInput;
}

function drop<K extends keyof JourneyFilterInput>(f: JourneyFilterInput, k: K): JourneyFilterInput {
  const { [k]: _, ...rest } = f;
  return rest;
}

/** One removable chip per filter part the page can add. */
export function chips(f: JourneyFilterInput): Chip[] {
  const out: Chip[] = [];
  (f.withActivities ?? []).forEach((a, i, all) => {
    const left = all.filter((_, j) => j !== i);
    out.push({
      key: `act:${a}`,
      label: `Contains ${a}`,
      without: left.length ? { ...f, withActivities: left } : drop(f, 'withActivities'),
    });
  });
  (f.directlyFollows ?? []).forEach((r, i, all) => {
    const left = all.filter((_, j) => j !== i);
    out.push({
      key: `df:${r.from}\u0000${r.to}`,
      label: `${r.exclude ? 'Never ' : ''}${r.from} → ${r.to}`,
      without: left.length ? { ...f, directlyFollows: left } : drop(f, 'directlyFollows'),
    });
  });
  (f.variants?.include ?? []).forEach((v, i, all) => {
    const left = all.filter((_, j) => j !== i);
    const { include: _, ...otherVariantParts } = f.variants ?? {};
    const variants = left.length ? { ...otherVariantParts, include: left } : otherVariantParts;
    out.push({
      key: `var:${JSON.stringify(v)}`,
      label: `Variant ${v.length <= 3 ? v.join(' → ') : `${v[0]} → … → ${v[v.length - 1]} (${v.length} steps)`}`,
      without: Object.keys(variants).length ? { ...f, variants } : drop(f, 'variants'),
    });
  });
  const themes = f.feedbackThemes?.themes ?? [];
  if (themes.length)
    out.push({
      key: `theme:${themes.join('\u0000')}`,
      label: `${f.feedbackThemes?.exclude ? 'No feedback on' : 'Feedback on'} ${themes.map((t) => t.replaceAll('_', ' ')).join(' or ')}`,
      without: drop(f, 'feedbackThemes'),
    });
  return out;
}

/**
 * Theme picker → filter: keep the cases with a feedback response on this theme (a filter part, not a
 * scope, because feedback is joined to cases — see docs/decisions.md "Journey filters").
 */
export function setTheme(f: JourneyFilterInput, theme: string): JourneyFilterInput {
  return theme ? { ...f, feedbackThemes: { themes: [theme] } } : drop(f, 'feedbackThemes');
}

/** Picker values → scope; an empty choice removes the restriction. */
export function setScope(scope: DataScope, key: keyof DataScope, value: string): DataScope {
  const { [key]: _, ...rest } = scope;
  return value ? { ...rest, [key]: [value] } : rest;
}
