import { redactPii } from '../text/redact.ts';
import type { CustomerFile } from './schemas.ts';
import { tenure } from './summary.ts';

/**
 * What an external LLM is told about a customer. The file is rendered as plain text and then
 * redacted: the customer id and every external id become placeholders, attribute values that are
 * personal (name, e-mail, phone, address, birth date, IBAN) are replaced wherever they occur, agent
 * ids are left out, and the shared PII redaction (text/redact.ts) runs over everything — so no
 * identifier leaves the building even when a comment repeats one.
 */

export const LLM_SYSTEM_PROMPT =
  'You summarise a customer file for a customer-service agent. Write 3 to 5 plain sentences in ' +
  'English: tenure, segment, products and revenue; recent journeys, contacts and waiting; the latest ' +
  'feedback and what the customer complained about; churn risk and cross-sell propensity with their ' +
  'reasons; open follow-up cases. State only facts from the file, no advice, no speculation. ' +
  'Bracketed placeholders such as [customer], [id-1], [email] or [name] stand for redacted data: ' +
  'keep them as they are and never guess what they hide.';

/** Attribute keys whose values identify a person. */
const PERSONAL_KEY = /name|mail|phone|mobile|address|street|zip|postcode|birth|iban|account|passport/i;

/** Rendered file text stops here: enough for a summary, small enough for any model's context. */
const MAX_CHARS = 12_000;
const MAX_CASES = 30;
const MAX_RESPONSES = 10;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The file as text, newest first where it matters, identifiers still in it (redacted afterwards). */
export function renderCustomerFile(file: CustomerFile): string {
  const c = file.customer;
  const lines: string[] = [];
  lines.push(`Customer ${c.customerId}; file as of ${file.asOf.slice(0, 10)}.`);
  lines.push(
    `Segment ${c.segment ?? 'unknown'}, region ${c.region ?? 'unknown'}` +
      (c.createdAt
        ? `, customer since ${c.createdAt.slice(0, 10)} (${tenure(c.createdAt, file.asOf)}).`
        : '.'),
  );
  for (const [k, v] of Object.entries(c.attributes ?? {})) {
    if (PERSONAL_KEY.test(k) || v === null || typeof v === 'object') continue;
    lines.push(`Attribute ${k}: ${String(v)}`);
  }
  if (file.productNames.length) lines.push(`Products on record: ${file.productNames.join(', ')}.`);
  lines.push(
    `Ids in other systems: ${file.identities.map((i) => `${i.source} ${i.externalId}`).join('; ')}.`,
  );
  const months = file.outcomes.slice(-12);
  if (months.length) {
    lines.push('Monthly outcomes (month: revenue EUR, cost to serve EUR, products, churned):');
    for (const o of months) {
      lines.push(
        `- ${o.period.slice(0, 7)}: ${o.revenue?.toFixed(2) ?? '?'}, ${o.costToServe?.toFixed(2) ?? '?'}, ${o.products ?? '?'}${o.churned ? ', churned' : ''}`,
      );
    }
  }
  const cases = file.timeline.slice(-MAX_CASES).reverse();
  if (cases.length) {
    lines.push(`Journeys, newest first (${cases.length} of ${file.timeline.length}):`);
    for (const k of cases) {
      const steps = k.events
        .map(
          (e) =>
            `${e.activity}${e.channel ? ` [${e.channel}]` : ''}${e.waitSeconds !== null ? ` (waited ${Math.round(e.waitSeconds)} s)` : ''}`,
        )
        .join(' → ');
      lines.push(`- ${k.start.slice(0, 10)} ${k.journey ?? 'journey'}: ${steps}`);
    }
  }
  const responses = file.responses.slice(-MAX_RESPONSES).reverse();
  if (responses.length) {
    lines.push('Survey responses, newest first:');
    for (const r of responses) {
      const scores = [
        r.nps !== null ? `NPS ${r.nps}` : '',
        r.csat !== null ? `CSAT ${r.csat}/5` : '',
        r.ces !== null ? `CES ${r.ces}/7` : '',
      ].filter(Boolean);
      lines.push(
        `- ${r.ts?.slice(0, 10) ?? '?'} ${r.journey ?? ''} ${scores.join(', ')}${r.themes.length ? `; themes ${r.themes.join(', ')}` : ''}${r.comment ? `; comment: "${r.comment}"` : ''}`,
      );
    }
  }
  if (file.scores.status === 'not_scored')
    lines.push('Churn risk and cross-sell propensity: not scored yet.');
  for (const [label, s] of [
    ['Churn risk', file.scores.churn],
    ['Cross-sell propensity', file.scores.crossSell],
  ] as const) {
    if (!s) continue;
    const reasons = s.reasons
      .map((r) => `${r.text} (${r.contribution > 0 ? 'raises' : 'lowers'})`)
      .join('; ');
    lines.push(`${label}: ${Math.round(s.probability * 100)} %${reasons ? `; reasons: ${reasons}` : ''}.`);
  }
  for (const k of file.cases) lines.push(`Follow-up case (${k.state}, ${k.priority} priority): ${k.title}`);
  const text = lines.join('\n');
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n[file truncated]` : text;
}

export interface RedactedFile {
  text: string;
  /** How many identifiers and PII matches were replaced, by kind. */
  replaced: Record<string, number>;
}

/** The rendered file with every identifier and personal datum replaced by a placeholder. */
export function redactCustomerFile(file: CustomerFile): RedactedFile {
  let text = renderCustomerFile(file);
  const replaced: Record<string, number> = {};
  const swap = (value: string, placeholder: string, kind: string) => {
    if (value.length < 2) return;
    // Whole tokens only: a first name "Ann" must not eat "Annual".
    const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(value)}(?![\\p{L}\\p{N}])`, 'giu');
    text = text.replace(re, () => {
      replaced[kind] = (replaced[kind] ?? 0) + 1;
      return placeholder;
    });
  };
  // Longest first, so an id that contains another is replaced whole.
  const ids: [string, string, string][] = [
    [file.customer.customerId, '[customer]', 'customer_id'],
    ...file.identities.map((i, n): [string, string, string] => [
      i.externalId,
      `[id-${n + 1}]`,
      'external_id',
    ]),
  ];
  for (const [k, v] of Object.entries(file.customer.attributes ?? {})) {
    if (!PERSONAL_KEY.test(k) || typeof v !== 'string') continue;
    ids.push([v, `[${k}]`, 'attribute']);
    // A comment may use the first name or the surname alone.
    if (/name/i.test(k)) {
      for (const w of v.split(/\s+/)) if (w.length >= 3) ids.push([w, `[${k}]`, 'attribute']);
    }
  }
  for (const [value, placeholder, kind] of ids.sort((a, b) => b[0].length - a[0].length)) {
    swap(value, placeholder, kind);
  }
  const pii = redactPii(text);
  for (const [k, n] of Object.entries(pii.counts)) if (n) replaced[k] = n;
  return { text: pii.text, replaced };
}

/** The chat messages for an OpenAI-compatible chat-completions call. */
export function summaryMessages(file: CustomerFile): { role: 'system' | 'user'; content: string }[] {
  return [
    { role: 'system', content: LLM_SYSTEM_PROMPT },
    { role: 'user', content: `Customer file:\n${redactCustomerFile(file).text}` },
  ];
}
