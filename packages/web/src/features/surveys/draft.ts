import {
  type QuestionKind,
  type SurveyDefinition,
  type SurveyDefinitionInput,
  SurveyDefinitionSchema,
  TriggerSchema,
} from '@cx/core';

/**
 * The designer edits a loose draft (what the form holds, possibly invalid) and checks it with the
 * same zod schema the server uses, so the problems it lists are the ones a save would report.
 */
export type QuestionDraft = SurveyDefinitionInput['questions'][number];
export interface TriggerDraft {
  activity: string;
  sampleRate: number;
  quietDays: number;
  channel?: string;
  expiresInDays?: number;
}
export interface Draft {
  definition: SurveyDefinitionInput;
  triggers: TriggerDraft[];
}

export const ELEMENTS = ['ease', 'courtesy', 'competence', 'speed', 'reliability', 'empathy'] as const;

export const KIND_LABELS: Record<QuestionKind, string> = {
  nps: 'NPS (0–10)',
  csat: 'CSAT (1–5)',
  ces: 'CES (1–7)',
  element: 'Experience element (1–5)',
  open: 'Open question',
};

const DEFAULT_TEXT: Record<QuestionKind, string> = {
  nps: 'How likely are you to recommend us to a friend or colleague?',
  csat: 'How satisfied are you with us?',
  ces: 'How easy was it to get what you needed?',
  element: 'How easy was it?',
  open: 'Is there anything else you would like to tell us?',
};

/** A new question of a kind, with an id not yet used in the survey. */
export function newQuestion(kind: QuestionKind, taken: readonly string[]): QuestionDraft {
  const base = kind === 'element' ? 'ease' : kind === 'open' ? 'comment' : kind;
  let id = base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return {
    kind,
    id,
    text: DEFAULT_TEXT[kind],
    required: kind === 'nps',
    ...(kind === 'element' ? { element: 'ease' } : {}),
  };
}

export function blankSurvey(id: string): Draft {
  return {
    definition: {
      id,
      title: 'How did we do?',
      questions: [newQuestion('nps', []), newQuestion('open', ['nps'])],
      thankYou: 'Thank you for your feedback.',
    },
    triggers: [],
  };
}

/** Turns a title into a survey id (slug). */
export function slugify(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

export interface Problem {
  field: string;
  message: string;
}

/** The definition as the server will store it, or the problems, each naming its field. */
export function checkDraft(
  d: Draft,
): { ok: true; definition: SurveyDefinition } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const def = SurveyDefinitionSchema.safeParse(d.definition);
  if (!def.success)
    for (const i of def.error.issues)
      problems.push({ field: i.path.join('.') || 'survey', message: i.message });
  d.triggers.forEach((t, n) => {
    const trg = TriggerSchema.safeParse({ ...t, surveyId: d.definition.id });
    if (!trg.success)
      for (const i of trg.error.issues)
        problems.push({ field: `triggers.${n}.${i.path.join('.')}`, message: i.message });
  });
  return def.success && problems.length === 0 ? { ok: true, definition: def.data } : { ok: false, problems };
}

/** The snippet another site pastes to show the survey. */
export function embedSnippet(origin: string, surveyId: string): string {
  return `<script src="${origin}/s/${surveyId}/embed.js" data-token="PERSONAL-TOKEN" async></script>`;
}
