import type { PredictionReason } from '@cx/core';
import type { StoreTarget } from '../queries/predict/labels.ts';

/**
 * Explanations in words (issue 6 §3): a model explains a row as additive contributions of its
 * encoded columns (`nps_last`, `nps_last:missing`, `segment=business`); these are summed back to the
 * customer's raw feature, the strongest three are kept, and each is phrased with the customer's own
 * value: "Last NPS 3 (detractor) raises the risk".
 */
export const baseFeature = (encoded: string) => encoded.split(/[=:]/)[0]!;

const n0 = (v: number) => Math.round(v).toLocaleString('en');
const plural = (v: number, one: string, many = `${one}s`) => `${n0(v)} ${Math.round(v) === 1 ? one : many}`;
const days = (v: number) => plural(v, 'day');

/** How the customer's value of a feature reads; `null` = the value is missing. */
function describe(feature: string, v: number | string | null): string {
  const window = (f: string) =>
    f.includes('30d')
      ? 'in the last 30 days'
      : f.includes('90d')
        ? 'in the last 90 days'
        : 'in the last 12 months';
  if (typeof v === 'string') {
    const name = feature.replace(/_/g, ' ');
    return `${name.charAt(0).toUpperCase()}${name.slice(1)} ${v}`;
  }
  if (v === null) {
    if (/^(nps|csat|ces|speed|ease|days_since_last_response)/.test(feature)) return 'No survey answer so far';
    if (feature === 'days_since_last_contact') return 'Never contacted the service';
    if (/^(negative_comment_share|sentiment_mean)$/.test(feature)) return 'No comment so far';
    if (/^wait_(mean|max)/.test(feature)) return 'Never waited for an agent';
    if (feature === 'products' || feature.startsWith('revenue')) return 'No complete month of revenue yet';
    return `No ${feature.replace(/_/g, ' ')}`;
  }
  const journey = /^cases_(90d|365d)_(.+)$/.exec(feature);
  if (journey) return `${plural(v, `${journey[2]!.replace(/_/g, ' ')} case`)} ${window(feature)}`;
  const theme = /^theme_(.+)$/.exec(feature);
  if (theme) return `${plural(v, 'comment')} about ${theme[1]!.replace(/_/g, ' ')}`;
  switch (feature) {
    case 'nps_last':
      return `Last NPS ${v} (${v >= 9 ? 'promoter' : v >= 7 ? 'passive' : 'detractor'})`;
    case 'nps_mean':
      return `Mean NPS ${v.toFixed(1)}`;
    case 'nps_min_365d':
      return `Lowest NPS in 12 months ${v}`;
    case 'detractor_responses_365d':
      return `${plural(v, 'detractor answer')} in 12 months`;
    case 'csat_last':
      return `Last CSAT ${v} of 5`;
    case 'csat_mean':
      return `Mean CSAT ${v.toFixed(1)} of 5`;
    case 'ces_mean':
      return `Mean effort score ${v.toFixed(1)} of 7`;
    case 'speed_mean':
      return `Speed rated ${v.toFixed(1)} of 5`;
    case 'ease_mean':
      return `Ease rated ${v.toFixed(1)} of 5`;
    case 'negative_comment_share':
      return `${Math.round(v * 100)} % negative comments`;
    case 'sentiment_mean':
      return `Comment sentiment ${v.toFixed(2)}`;
    case 'comments':
      return plural(v, 'comment');
    case 'responses':
      return plural(v, 'survey answer');
    case 'tenure_days':
      return v >= 730
        ? `Customer for ${(v / 365).toFixed(0)} years`
        : `Customer for ${plural(v / 30.4, 'month')}`;
    case 'products':
      return plural(v, 'product');
    case 'products_change_6m':
      return v === 0 ? 'No change in products in 6 months' : `${v > 0 ? '+' : ''}${v} products in 6 months`;
    case 'revenue_last_month':
      return `Revenue ${v.toFixed(0)} EUR last month`;
    case 'revenue_3m':
      return `Revenue ${v.toFixed(0)} EUR a month (last 3 months)`;
    case 'revenue_prev_3m':
      return `Revenue ${v.toFixed(0)} EUR a month (3 months before)`;
    case 'revenue_trend':
      return `Revenue ${v >= 0 ? 'up' : 'down'} ${Math.abs(v).toFixed(1)} EUR a month (last 3 months vs 3 before)`;
    case 'revenue_slope_6m':
      return `Revenue trend ${v >= 0 ? '+' : ''}${v.toFixed(2)} EUR per month`;
    case 'cost_to_serve_3m':
      return `Cost to serve ${v.toFixed(0)} EUR a month`;
    case 'cost_to_serve_12m':
      return `Cost to serve ${v.toFixed(0)} EUR in 12 months`;
    case 'months_known_12m':
      return `${plural(v, 'month')} of history`;
    case 'cases_90d':
    case 'cases_365d':
      return `${plural(v, 'case')} ${window(feature)}`;
    case 'repeated_contact_cases_90d':
    case 'repeated_contact_cases_365d':
      return `${plural(v, 'case')} with repeated contacts ${window(feature)}`;
    case 'extra_contacts_365d':
      return `${plural(v, 'extra contact')} in 12 months`;
    case 'contacts_90d':
    case 'contacts_365d':
      return `${plural(v, 'assisted contact')} ${window(feature)}`;
    case 'wait_total_90d':
    case 'wait_total_365d':
      return `${plural(v / 60, 'minute')} waiting ${window(feature)}`;
    case 'wait_mean':
      return `Waited ${plural(v / 60, 'minute')} per contact on average`;
    case 'wait_max_365d':
      return `Longest wait ${plural(v / 60, 'minute')}`;
    case 'long_waits_365d':
      return `${plural(v, 'wait')} over 10 minutes in 12 months`;
    case 'days_since_last_contact':
      return `Last contact ${days(v)} ago`;
    case 'days_since_last_case':
      return `Last journey ${days(v)} ago`;
    case 'days_since_last_response':
      return `Last survey answer ${days(v)} ago`;
    case 'digital_share':
      return `${Math.round(v * 100)} % of journeys started online`;
    case 'retention_offers_accepted':
      return `${plural(v, 'retention offer')} accepted`;
    case 'cancellation_requests':
      return `${plural(v, 'cancellation request')}`;
    case 'campaign_touches_365d':
      return `${plural(v, 'campaign message')} in 12 months`;
    case 'campaign_clicks_365d':
      return `${plural(v, 'campaign click')} in 12 months`;
    default:
      return `${feature.replace(/_/g, ' ')} ${Number.isInteger(v) ? v : v.toFixed(2)}`;
  }
}

/** "3 repeated contacts … raise the risk", "Last NPS 3 … raises the risk": the verb agrees with a count. */
function phrase(subject: string, up: boolean, what: string): string {
  const count = /^([\d,]+) [a-z]/.exec(subject);
  const plural = count !== null && count[1] !== '1';
  return `${subject} ${up ? (plural ? 'raise' : 'raises') : plural ? 'lower' : 'lowers'} ${what}`;
}

/**
 * Related features share a family, and a reason is a family's net contribution: correlated features
 * (last and mean NPS, total and longest wait) often get offsetting weights, and "longest wait 28 min
 * lowers the risk" next to "73 min waiting raises it" would read as nonsense. The family is phrased
 * by its member that pushes most in the net direction.
 */
const FAMILIES: [RegExp, string][] = [
  [/^(nps_|csat_|ces_|detractor_|speed_|ease_|responses$|days_since_last_response$)/, 'satisfaction'],
  [/^(comments$|negative_comment_share$|sentiment_mean$|theme_)/, 'comments'],
  [/^(wait_|long_waits)/, 'waiting'],
  [/^(contacts_|repeated_contact|extra_contacts|days_since_last_contact$)/, 'contacts'],
  [/^revenue_/, 'revenue'],
  [/^cost_to_serve/, 'cost'],
  [/^products/, 'products'],
  [/^(tenure_days$|months_known)/, 'tenure'],
  [/^(cases_(90d|365d)$|days_since_last_case$)/, 'cases'],
  [/^campaign_/, 'campaigns'],
  [/^(retention_|cancellation_)/, 'cancellation'],
];

export function familyOf(feature: string): string {
  const journey = /^cases_(?:90d|365d)_(.+)$/.exec(feature);
  if (journey) return `cases:${journey[1]}`;
  for (const [re, family] of FAMILIES) if (re.test(feature)) return family;
  return feature;
}

/**
 * Top `k` reasons of one customer. `contributions` are per encoded column (log-odds); `raw` gives the
 * customer's value of a raw feature.
 */
export function topReasons(
  target: StoreTarget,
  encodedFeatures: readonly string[],
  contributions: ArrayLike<number>,
  raw: (feature: string) => number | string | null,
  k = 3,
): PredictionReason[] {
  const byFeature = new Map<string, number>();
  for (let j = 0; j < encodedFeatures.length; j++) {
    const c = contributions[j]!;
    if (c === 0 || !Number.isFinite(c)) continue;
    const f = baseFeature(encodedFeatures[j]!);
    byFeature.set(f, (byFeature.get(f) ?? 0) + c);
  }
  const families = new Map<string, { sum: number; members: [string, number][] }>();
  for (const [f, c] of byFeature) {
    const key = familyOf(f);
    const fam = families.get(key) ?? { sum: 0, members: [] };
    fam.sum += c;
    fam.members.push([f, c]);
    families.set(key, fam);
  }
  const what = target === 'churn' ? 'the risk' : 'the propensity';
  return [...families.values()]
    .filter((fam) => Math.abs(fam.sum) > 1e-9)
    .map((fam) => {
      // The member pushing hardest in the family's net direction speaks for it.
      const sign = Math.sign(fam.sum);
      const [feature] = fam.members.reduce((a, b) => (sign * b[1] > sign * a[1] ? b : a));
      return { feature, contribution: fam.sum };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature))
    .slice(0, k)
    .map(({ feature, contribution }) => ({
      feature,
      contribution: Math.round(contribution * 1e4) / 1e4,
      text: phrase(describe(feature, raw(feature)), contribution > 0, what),
    }));
}
