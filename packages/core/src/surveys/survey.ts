import { z } from 'zod';
import { type AppError, inputError } from '../errors.ts';

/**
 * Survey definitions as JSON (ANCHORS §1: "surveys as JSON"), the validation of a response against
 * its definition, and the pure rule that decides whether a touchpoint event earns an invitation.
 * The same schema validates the designer, the JSON API and the hosted page, so they cannot disagree.
 */

export const QUESTION_KINDS = ['nps', 'csat', 'ces', 'element', 'open'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** Scales follow the feedback table (NPS 0–10, CSAT 1–5, CES 1–7); experience elements are 1–5. */
export const SCALES: Record<Exclude<QuestionKind, 'open'>, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  ces: { min: 1, max: 7 },
  element: { min: 1, max: 5 },
};

/** Longest comment stored, in characters after control characters are removed (longer is refused, not cut). */
export const MAX_COMMENT_CHARS = 10_000;

export const SURVEY_LANGUAGES = ['en', 'de', 'fr'] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];

const slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'use lower-case letters, digits and hyphens (a slug)');
const text = (max: number) => z.string().trim().min(1).max(max);

export const FollowUpSchema = z.object({
  /** Shown when the question's score lies in [min, max] (e.g. 0–6 for NPS detractors). */
  when: z.object({ min: z.number().int(), max: z.number().int() }),
  text: text(300),
});

export const QuestionSchema = z
  .object({
    kind: z.enum(QUESTION_KINDS),
    id: slug,
    text: text(300),
    /** For kind 'element': which experience element is rated (ease, courtesy, competence, speed, …). */
    element: slug.optional(),
    required: z.boolean().default(false),
    followUp: FollowUpSchema.optional(),
    /** Scale end labels shown under the scale ("Not at all likely" … "Extremely likely"). */
    lowLabel: text(60).optional(),
    highLabel: text(60).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'element' && !q.element)
      ctx.addIssue({ code: 'custom', path: ['element'], message: 'an element question names its element' });
    if (q.followUp) {
      if (q.kind === 'open')
        ctx.addIssue({ code: 'custom', path: ['followUp'], message: 'an open question has no follow-up' });
      else {
        const { min, max } = SCALES[q.kind];
        const w = q.followUp.when;
        if (w.min > w.max || w.min < min || w.max > max)
          ctx.addIssue({
            code: 'custom',
            path: ['followUp', 'when'],
            message: `follow-up range must lie within the ${q.kind} scale ${min}–${max}`,
          });
      }
    }
  });
export type Question = z.infer<typeof QuestionSchema>;

/** Texts in another language; anything left out falls back to the definition's own texts. */
export const SurveyTranslationSchema = z.object({
  title: text(200).optional(),
  intro: text(2000).optional(),
  thankYou: text(2000).optional(),
  submit: text(60).optional(),
  questions: z
    .record(z.string(), z.object({ text: text(300).optional(), followUp: text(300).optional() }))
    .optional(),
});

export const SurveyDefinitionSchema = z
  .object({
    id: slug,
    title: text(200),
    intro: text(2000).optional(),
    questions: z.array(QuestionSchema).min(1).max(50),
    journey: text(100).optional(),
    touchpoint: text(100).optional(),
    channel: text(100).optional(),
    thankYou: text(2000).default('Thank you for your feedback.'),
    /** Anyone with the link may answer; otherwise a signed personal link is required. */
    allowAnonymous: z.boolean().default(false),
    languages: z.partialRecord(z.enum(SURVEY_LANGUAGES), SurveyTranslationSchema).optional(),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    const kinds = new Set<string>();
    d.questions.forEach((q, i) => {
      if (seen.has(q.id))
        ctx.addIssue({
          code: 'custom',
          path: ['questions', i, 'id'],
          message: `question id ${q.id} repeats`,
        });
      seen.add(q.id);
      // One NPS/CSAT/CES per response: each fills one column of the feedback row.
      if (q.kind === 'nps' || q.kind === 'csat' || q.kind === 'ces') {
        if (kinds.has(q.kind))
          ctx.addIssue({
            code: 'custom',
            path: ['questions', i, 'kind'],
            message: `only one ${q.kind} question per survey (it fills the ${q.kind} column)`,
          });
        kinds.add(q.kind);
      }
      if (q.id === 't' || q.id === 'lang')
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `${q.id} is reserved` });
    });
  });
export type SurveyDefinition = z.infer<typeof SurveyDefinitionSchema>;
export type SurveyDefinitionInput = z.input<typeof SurveyDefinitionSchema>;

/** The form field that holds a question's follow-up answer. */
export const followUpField = (questionId: string) => `${questionId}__followup`;

/** Fields of the feedback row a response fills (DESIGN §3); context (customer, journey …) comes from the link. */
export interface ResponseFields {
  nps: number | null;
  csat: number | null;
  ces: number | null;
  elements: Record<string, number> | null;
  comment: string | null;
  /** Every answer by question id (scores as numbers, texts cleaned), kept in properties. */
  answers: Record<string, number | string>;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Removes control characters other than tab and newline (binary junk, NULs, escape sequences), then trims. */
export function cleanText(value: string): string {
  // Lone surrogates (from broken UTF-16) are replaced too, so the stored text is valid UTF-8.
  return (
    value
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
      .trim()
  );
}

function parseScore(raw: unknown, q: Question): number | FieldError | null {
  if (raw === undefined || raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : Number.NaN;
  const { min, max } = SCALES[q.kind as Exclude<QuestionKind, 'open'>];
  if (!Number.isInteger(n) || n < min || n > max) {
    const shown = typeof raw === 'string' ? JSON.stringify(raw.slice(0, 20)) : String(raw);
    return { field: q.id, message: `score must be a whole number from ${min} to ${max}, got ${shown}` };
  }
  return n;
}

function parseText(raw: unknown, field: string): string | FieldError | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return { field, message: 'must be text' };
  const t = cleanText(raw);
  if (t.length > MAX_COMMENT_CHARS)
    return {
      field,
      message: `is ${t.length.toLocaleString('en')} characters long; at most ${MAX_COMMENT_CHARS.toLocaleString('en')} are accepted`,
    };
  return t === '' ? null : t;
}

/**
 * Checks answers (form fields or JSON, keyed by question id; follow-ups under `<id>__followup`)
 * against the definition. Returns the feedback fields, or every problem with the question id it
 * concerns. Unknown fields are ignored (a form also carries the token and language).
 */
export function validateResponse(
  def: SurveyDefinition,
  answers: Record<string, unknown>,
): { ok: true; fields: ResponseFields } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fields: ResponseFields = {
    nps: null,
    csat: null,
    ces: null,
    elements: null,
    comment: null,
    answers: {},
  };
  const texts: string[] = [];
  for (const q of def.questions) {
    const raw = answers[q.id];
    if (q.kind === 'open') {
      const t = parseText(raw, q.id);
      if (t !== null && typeof t === 'object') errors.push(t);
      else if (t === null) {
        if (q.required) errors.push({ field: q.id, message: 'an answer is required' });
      } else {
        fields.answers[q.id] = t;
        texts.push(t);
      }
      continue;
    }
    const score = parseScore(raw, q);
    if (score !== null && typeof score === 'object') {
      errors.push(score);
      continue;
    }
    if (score === null) {
      if (q.required) errors.push({ field: q.id, message: 'a score is required' });
    } else {
      fields.answers[q.id] = score;
      if (q.kind === 'element') fields.elements = { ...fields.elements, [q.element!]: score };
      else fields[q.kind] = score;
    }
    if (q.followUp) {
      const f = followUpField(q.id);
      const t = parseText(answers[f], f);
      if (t !== null && typeof t === 'object') errors.push(t);
      else if (t !== null) {
        fields.answers[f] = t;
        texts.push(t);
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  if (Object.keys(fields.answers).length === 0)
    return { ok: false, errors: [{ field: def.questions[0]!.id, message: 'the response is empty' }] };
  // The comment column holds all free text of the response, in question order.
  const comment = texts.join('\n\n');
  if (comment.length > MAX_COMMENT_CHARS)
    return {
      ok: false,
      errors: [{ field: 'comment', message: `all answers together exceed ${MAX_COMMENT_CHARS} characters` }],
    };
  fields.comment = comment === '' ? null : comment;
  return { ok: true, fields };
}

/** The first field error as an AppError (bad_input naming the question). */
export function responseError(errors: readonly FieldError[]): AppError {
  const first = errors[0]!;
  const e = inputError(first.message, { field: first.field });
  (e.details as Record<string, unknown>).errors = errors;
  return e;
}

/** The texts of a definition in one language, falling back to the definition's own. */
export function localise(def: SurveyDefinition, lang: string | undefined): SurveyDefinition {
  const tr = lang ? def.languages?.[lang as SurveyLanguage] : undefined;
  if (!tr) return def;
  return {
    ...def,
    title: tr.title ?? def.title,
    ...(tr.intro || def.intro ? { intro: tr.intro ?? def.intro } : {}),
    thankYou: tr.thankYou ?? def.thankYou,
    questions: def.questions.map((q) => {
      const t = tr.questions?.[q.id];
      if (!t) return q;
      return {
        ...q,
        text: t.text ?? q.text,
        ...(q.followUp ? { followUp: { ...q.followUp, text: t.followUp ?? q.followUp.text } } : {}),
      };
    }),
  };
}

// --- Triggers ------------------------------------------------------------------------------

export const TriggerSchema = z.object({
  surveyId: slug,
  /** The event type (activity) after which the survey is offered. */
  activity: text(200),
  /** Share of qualifying events that get an invitation, 0–1. */
  sampleRate: z.number().min(0).max(1),
  /** No invitation for a customer invited (to any survey) within this many days — the fatigue rule. */
  quietDays: z.number().min(0).max(3650),
  /** Only events of this channel. */
  channel: text(100).optional(),
  /** Days a personal link stays valid. */
  expiresInDays: z.number().int().min(1).max(365).default(14),
});
export type Trigger = z.infer<typeof TriggerSchema>;

export interface TriggerEvent {
  activity: string;
  customerId: string | null;
  ts: Date;
  channel?: string | null;
}

export type InviteDecision =
  | { invite: true }
  | { invite: false; reason: 'activity' | 'channel' | 'no_customer' | 'quiet' | 'sampled_out' };

const DAY_MS = 86_400_000;

/**
 * Whether a touchpoint event earns an invitation. The quiet period is checked first, so sampling
 * cannot invite someone who was asked recently; `lastInvitedAt` is the customer's latest invitation
 * to any survey. The period is measured between `at` — when this invitation would be sent, by
 * default the event's time — and that invitation, on either side. `random` returns [0, 1).
 */
export function shouldInvite(
  trigger: Trigger,
  event: TriggerEvent,
  lastInvitedAt: Date | null,
  random: () => number,
  at: Date = event.ts,
): InviteDecision {
  if (event.activity !== trigger.activity) return { invite: false, reason: 'activity' };
  if (trigger.channel && event.channel !== trigger.channel) return { invite: false, reason: 'channel' };
  if (!event.customerId) return { invite: false, reason: 'no_customer' };
  if (lastInvitedAt && Math.abs(at.getTime() - lastInvitedAt.getTime()) < trigger.quietDays * DAY_MS)
    return { invite: false, reason: 'quiet' };
  if (!(random() < trigger.sampleRate)) return { invite: false, reason: 'sampled_out' };
  return { invite: true };
}

// --- Cockpit API contracts (GET/PUT /api/surveys …) ----------------------------------------

export const SurveySummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  questions: z.number().int(),
  allowAnonymous: z.boolean(),
  triggers: z.number().int(),
  responses: z.number().int(),
});
export type SurveySummary = z.infer<typeof SurveySummarySchema>;
export const SurveyListSchema = z.object({ surveys: z.array(SurveySummarySchema) });
export type SurveyList = z.infer<typeof SurveyListSchema>;

export const SurveyDetailSchema = z.object({
  definition: SurveyDefinitionSchema,
  version: z.number().int(),
  updatedAt: z.string(),
  changed: z.boolean().optional(),
  triggers: z.array(TriggerSchema),
  responses: z.number().int(),
  /** The hosted page (anonymous or preview); personal links add `?t=<token>`. */
  url: z.string(),
});
export type SurveyDetail = z.infer<typeof SurveyDetailSchema>;

export const PersonalLinkRequestSchema = z.object({
  customerId: text(200),
  caseId: text(200).optional(),
  journey: text(100).optional(),
  touchpoint: text(100).optional(),
  channel: text(100).optional(),
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
export const PersonalLinkSchema = z.object({
  invitationId: z.string(),
  link: z.string(),
  expiresAt: z.string(),
});
export type PersonalLink = z.infer<typeof PersonalLinkSchema>;

/** The answer to a survey submitted as JSON (`POST /s/:survey`). */
export const SurveySubmissionSchema = z.object({
  t: z.string().optional(),
  lang: z.string().optional(),
  answers: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});
export const SurveySubmissionResultSchema = z.object({ responseId: z.string(), replaced: z.boolean() });
