import { analyzeSentiment } from '../text/sentiment.ts';
import type {
  CustomerFile,
  CustomerResponse,
  CustomerScore,
  CustomerSummary,
  TimelineCase,
} from './schemas.ts';

/**
 * The extractive summary of a customer file: a handful of sentences built from the most informative
 * facts (tenure, products and revenue; recent journeys, contacts and waits; the latest score and the
 * strongest sentence of the latest comment; churn risk and cross-sell propensity with their top
 * reasons; open follow-up cases). Pure and deterministic — "now" is the file's `asOf`, never the
 * wall clock — so it works offline and is testable with a known answer.
 */

const DAY_MS = 86_400_000;
/** "Recent" in the summary: a quarter, the horizon a frontline agent reads a file for. */
export const RECENT_DAYS = 90;

/** Nouns for the demo's and common journeys; anything else becomes "<journey> case". */
const JOURNEY_NOUNS: Record<string, [string, string]> = {
  billing_question: ['billing question', 'billing questions'],
  complaint: ['complaint', 'complaints'],
  tech_support: ['tech support case', 'tech support cases'],
  upgrade: ['upgrade', 'upgrades'],
  onboarding: ['onboarding', 'onboardings'],
  cancellation: ['cancellation request', 'cancellation requests'],
};
/** Assisted channels: a contact there is a call, a chat or a visit that the customer waited for. */
const CONTACT_NOUNS: Record<string, [string, string]> = {
  call_centre: ['call', 'calls'],
  chat: ['chat', 'chats'],
  shop: ['shop visit', 'shop visits'],
};
/** Journeys that are the company's doing, not the customer's: not counted as the customer's contacts. */
const NOT_CUSTOMER_JOURNEYS = new Set(['campaign']);

const human = (s: string) => s.replaceAll('_', ' ');
const article = (noun: string) => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

function counted(n: number, [one, many]: [string, string]): string {
  return n === 1 ? `${article(one)} ${one}` : `${n} ${many}`;
}

function journeyNouns(journey: string): [string, string] {
  return JOURNEY_NOUNS[journey] ?? [`${human(journey)} case`, `${human(journey)} cases`];
}

/** "2 years", "1 year", "5 months", "less than a month". */
export function tenure(fromIso: string, asOfIso: string): string {
  const from = new Date(fromIso);
  const to = new Date(asOfIso);
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months--;
  if (months < 1) return 'less than a month';
  if (months < 12) return months === 1 ? '1 month' : `${months} months`;
  const years = Math.floor(months / 12);
  return years === 1 ? '1 year' : `${years} years`;
}

const isClosed = (c: TimelineCase) => /clos|resolv|complet|done|fixed|accepted/i.test(c.lastActivity);

/** NPS group by the usual cut-offs (DESIGN.md §4). */
export function npsGroup(nps: number): 'promoter' | 'passive' | 'detractor' {
  return nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
}

/** Splits a comment into sentences (., !, ? or a line break end one). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

/**
 * The sentence that says most about how the customer feels: the most negative one, unless the
 * answer was a promoter's (then the most positive). Ties keep the first sentence.
 */
export function strongestSentence(r: Pick<CustomerResponse, 'comment' | 'nps' | 'language'>): string | null {
  if (!r.comment) return null;
  const sentences = splitSentences(r.comment);
  if (sentences.length === 0) return null;
  const positive = r.nps !== null && r.nps >= 9;
  const lang = r.language === 'en' || r.language === 'de' || r.language === 'fr' ? r.language : undefined;
  let best = sentences[0]!;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const s of sentences) {
    const score = analyzeSentiment(s, lang ? { language: lang } : {}).score * (positive ? 1 : -1);
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best.length > 200 ? `${best.slice(0, 199).trimEnd()}…` : best;
}

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
const month = (iso: string) => iso.slice(0, 7);
const money = (x: number) => `${Math.round(x)} EUR`;

function profileSentence(file: CustomerFile): string {
  const c = file.customer;
  const parts: string[] = [];
  if (c.createdAt) {
    parts.push(`Customer since ${c.createdAt.slice(0, 4)} (${tenure(c.createdAt, file.asOf)})`);
  } else parts.push(`Customer ${c.customerId}`);
  if (c.segment) parts.push(c.segment);
  if (c.region) parts.push(`region ${c.region}`);
  const last = file.outcomes.at(-1);
  const products = last?.products ?? null;
  if (products !== null) {
    const names = file.productNames.length === products ? ` (${file.productNames.join(', ')})` : '';
    parts.push(`${products} ${products === 1 ? 'product' : 'products'}${names}`);
  }
  if (last && last.revenue !== null) {
    let revenue = `${money(last.revenue)}/month`;
    // The same month a year before (or the first month on record): is the customer spending more or less?
    const target = `${Number(last.period.slice(0, 4)) - 1}${last.period.slice(4, 7)}`;
    const before = file.outcomes.find((o) => month(o.period) === target) ?? file.outcomes[0];
    if (before && before !== last && before.revenue !== null && before.revenue > 0) {
      const change = last.revenue / before.revenue - 1;
      if (Math.abs(change) >= 0.05) {
        revenue += ` (${change > 0 ? 'up' : 'down'} from ${money(before.revenue)} in ${month(before.period)})`;
      }
    }
    parts.push(revenue);
  }
  return `${parts.join(', ')}.`;
}

function recentSentence(file: CustomerFile): string {
  const since = new Date(file.asOf).getTime() - RECENT_DAYS * DAY_MS;
  const recent = file.timeline.filter(
    (c) => new Date(c.end).getTime() >= since && !NOT_CUSTOMER_JOURNEYS.has(c.journey ?? ''),
  );
  if (recent.length === 0) return `No journeys in the last ${RECENT_DAYS} days.`;
  const byJourney = new Map<string, TimelineCase[]>();
  for (const c of recent) {
    const j = c.journey ?? 'other';
    byJourney.set(j, [...(byJourney.get(j) ?? []), c]);
  }
  const journeys = [...byJourney.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([j, cases]) => {
      let s = counted(cases.length, journeyNouns(j));
      // A complaint's state is what a frontline agent must know first.
      if (j === 'complaint') {
        const open = cases.filter((c) => !isClosed(c)).length;
        s +=
          cases.length === 1 ? ` (${open ? 'open' : 'closed'})` : open ? ` (${open} open)` : ' (all closed)';
      }
      return s;
    });
  const contacts = new Map<string, number>();
  let wait = 0;
  for (const c of recent) {
    for (const e of c.events) {
      if (e.channel && CONTACT_NOUNS[e.channel] && e.waitSeconds !== null) {
        contacts.set(e.channel, (contacts.get(e.channel) ?? 0) + 1);
        wait += e.waitSeconds;
      }
    }
  }
  const parts = [...journeys];
  if (contacts.size) {
    const list = Object.keys(CONTACT_NOUNS)
      .filter((ch) => contacts.has(ch))
      .map(
        (ch) =>
          `${contacts.get(ch)} ${contacts.get(ch) === 1 ? CONTACT_NOUNS[ch]![0] : CONTACT_NOUNS[ch]![1]}`,
      );
    const minutes = Math.round(wait / 60);
    parts.push(
      `${joinAnd(list)} with ${minutes >= 1 ? `${minutes} min` : 'under a minute of'} waiting in total`,
    );
  }
  return `In the last ${RECENT_DAYS} days: ${parts.join(', ')}.`;
}

function joinAnd(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** A full stop, unless the sentence ends in a quote that already has one ("… help me!"). */
const endSentence = (s: string) => (/[.!?…]"$/u.test(s) ? s : `${s}.`);

function feedbackSentences(file: CustomerFile): string[] {
  const out: string[] = [];
  const scored = file.responses.filter((r) => r.nps !== null);
  const last = scored.at(-1);
  let quoted: CustomerResponse | undefined;
  if (last && last.nps !== null) {
    let s = `Last NPS ${last.nps} (${npsGroup(last.nps)}) on ${day(last.ts)}`;
    const before = scored.at(-2);
    if (before && before.nps !== null && before.nps !== last.nps) {
      s += `, ${last.nps < before.nps ? 'down' : 'up'} from ${before.nps}`;
    }
    const quote = strongestSentence(last);
    if (quote) {
      s += `: "${quote}"`;
      quoted = last;
    }
    out.push(endSentence(s));
  } else {
    const csat = file.responses.filter((r) => r.csat !== null).at(-1);
    if (csat) out.push(`Last CSAT ${csat.csat}/5 on ${day(csat.ts)}.`);
  }
  const lastComment = file.responses.filter((r) => r.comment).at(-1);
  if (lastComment && lastComment !== quoted) {
    const quote = strongestSentence(lastComment);
    if (quote) out.push(endSentence(`Latest comment (${day(lastComment.ts)}): "${quote}"`));
  }
  return out;
}

/** Risk bands for a churn probability; the cut-offs a retention team would call on. */
export function riskBand(p: number): 'low' | 'medium' | 'high' {
  return p >= 0.25 ? 'high' : p >= 0.1 ? 'medium' : 'low';
}

const pct = (p: number) => `${Math.round(p * 100)} %`;

/** The reasons that raise the probability, strongest first, in words. */
export function topReasons(score: CustomerScore, n = 3): string[] {
  return [...score.reasons]
    .filter((r) => r.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature))
    .slice(0, n)
    .map((r) => r.text || human(r.feature));
}

function scoreSentences(file: CustomerFile): string[] {
  if (file.scores.status === 'not_scored') return ['Churn risk and cross-sell propensity: not scored yet.'];
  const out: string[] = [];
  const { churn, crossSell } = file.scores;
  if (churn) {
    const why = topReasons(churn);
    out.push(
      `Churn risk ${pct(churn.probability)} (${riskBand(churn.probability)})${why.length ? `: ${why.join(', ')}` : ''}.`,
    );
  }
  if (crossSell) {
    const why = topReasons(crossSell);
    out.push(
      `Cross-sell propensity ${pct(crossSell.probability)}${why.length ? `: ${why.join(', ')}` : ''}.`,
    );
  }
  return out;
}

function churnSentence(file: CustomerFile): string | null {
  const left = file.outcomes.find((o) => o.churned);
  return left ? `Left the company in ${month(left.period)} (churned).` : null;
}

function followUpSentence(file: CustomerFile): string | null {
  const open = file.cases.filter((c) => !/^(closed|resolved|done)$/i.test(c.state));
  if (open.length === 0) return null;
  const first = open[0]!;
  return open.length === 1
    ? `Open follow-up case: "${first.title}" (${first.priority} priority).`
    : `${open.length} open follow-up cases, the oldest "${first.title}" (${first.priority} priority).`;
}

export function summarizeCustomer(file: CustomerFile): CustomerSummary {
  const sentences = [
    profileSentence(file),
    churnSentence(file),
    recentSentence(file),
    ...feedbackSentences(file),
    ...scoreSentences(file),
    followUpSentence(file),
  ].filter((s): s is string => s !== null);
  return { source: 'extractive', text: sentences.join(' '), sentences, model: null, note: null };
}
