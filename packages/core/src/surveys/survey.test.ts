import { describe, expect, it } from 'vitest';
import {
  cleanText,
  localise,
  MAX_COMMENT_CHARS,
  responseError,
  type SurveyDefinition,
  SurveyDefinitionSchema,
  shouldInvite,
  type Trigger,
  TriggerSchema,
  validateResponse,
} from './survey.ts';

const def: SurveyDefinition = SurveyDefinitionSchema.parse({
  id: 'nps-after-support',
  title: 'How did we do?',
  questions: [
    {
      kind: 'nps',
      id: 'recommend',
      text: 'How likely are you to recommend us?',
      required: true,
      followUp: { when: { min: 0, max: 6 }, text: 'What went wrong?' },
    },
    { kind: 'csat', id: 'satisfied', text: 'How satisfied are you?' },
    { kind: 'ces', id: 'effort', text: 'How easy was it?' },
    { kind: 'element', id: 'ease', element: 'ease', text: 'Ease' },
    { kind: 'element', id: 'courtesy', element: 'courtesy', text: 'Courtesy' },
    { kind: 'open', id: 'comment', text: 'Anything else?' },
  ],
  languages: { de: { title: 'Wie war es?', questions: { recommend: { text: 'Weiterempfehlen?' } } } },
});

describe('SurveyDefinitionSchema', () => {
  it('fills defaults and accepts a full definition', () => {
    expect(def.thankYou).toBe('Thank you for your feedback.');
    expect(def.allowAnonymous).toBe(false);
    expect(def.questions[1]!.required).toBe(false);
  });

  it('refuses a non-slug id, repeated question ids, two NPS questions and a follow-up off the scale', () => {
    const r = SurveyDefinitionSchema.safeParse({
      id: 'Bad Id',
      title: 'x',
      questions: [
        { kind: 'nps', id: 'a', text: 'a', followUp: { when: { min: 0, max: 11 }, text: 'f' } },
        { kind: 'nps', id: 'a', text: 'b' },
        { kind: 'element', id: 'e', text: 'e' },
      ],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual([
      'id',
      'questions.0.followUp.when',
      'questions.1.id',
      'questions.1.kind',
      'questions.2.element',
    ]);
  });
});

describe('validateResponse', () => {
  it('maps answers to the feedback columns (known answer)', () => {
    const r = validateResponse(def, {
      recommend: '3',
      recommend__followup: ' The wait  ',
      satisfied: 2,
      effort: '7',
      ease: '4',
      courtesy: '5',
      comment: 'Call me back',
      t: 'token-is-ignored',
    });
    expect(r).toEqual({
      ok: true,
      fields: {
        nps: 3,
        csat: 2,
        ces: 7,
        elements: { ease: 4, courtesy: 5 },
        comment: 'The wait\n\nCall me back',
        answers: {
          recommend: 3,
          recommend__followup: 'The wait',
          satisfied: 2,
          effort: 7,
          ease: 4,
          courtesy: 5,
          comment: 'Call me back',
        },
      },
    });
  });

  it('rejects scores out of range, fractions and junk, naming the question', () => {
    const r = validateResponse(def, { recommend: '11', satisfied: '0', effort: '2.5', ease: 'abc' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.field)).toEqual(['recommend', 'satisfied', 'effort', 'ease']);
    expect(r.errors[0]!.message).toBe('score must be a whole number from 0 to 10, got "11"');
    const e = responseError(r.errors);
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe('field recommend: score must be a whole number from 0 to 10, got "11"');
  });

  it('requires required questions, and refuses an empty response', () => {
    const r = validateResponse(def, { comment: '   ' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'recommend', message: 'a score is required' }] });
    const anon = SurveyDefinitionSchema.parse({
      id: 'x',
      title: 'x',
      questions: [{ kind: 'open', id: 'c', text: 'c' }],
    });
    expect(validateResponse(anon, { c: '\u0000 \n' })).toEqual({
      ok: false,
      errors: [{ field: 'c', message: 'the response is empty' }],
    });
  });

  it('keeps HTML as text, strips control characters, and refuses comments over the limit', () => {
    const html = '<script>alert(1)</script><b>bold</b>';
    const ok = validateResponse(def, { recommend: 9, comment: html });
    expect(ok.ok && ok.fields.comment).toBe(html);
    const junk = validateResponse(def, { recommend: 9, comment: 'a\u0000b\u001b[31mc\u0007\ud800' });
    expect(junk.ok && junk.fields.comment).toBe('ab[31mc\ufffd');
    const atLimit = validateResponse(def, { recommend: 9, comment: 'x'.repeat(MAX_COMMENT_CHARS) });
    expect(atLimit.ok).toBe(true);
    const big = validateResponse(def, { recommend: 9, comment: 'x'.repeat(100_000) });
    expect(big).toEqual({
      ok: false,
      errors: [{ field: 'comment', message: 'is 100,000 characters long; at most 10,000 are accepted' }],
    });
  });

  it('cleanText normalises line ends and trims', () => {
    expect(cleanText('  a\r\nb\rc\t ')).toBe('a\nb\nc');
  });
});

describe('localise', () => {
  it('uses the translation where given and falls back elsewhere', () => {
    const de = localise(def, 'de');
    expect(de.title).toBe('Wie war es?');
    expect(de.questions[0]!.text).toBe('Weiterempfehlen?');
    expect(de.questions[0]!.followUp!.text).toBe('What went wrong?');
    expect(localise(def, 'fr')).toBe(def);
  });
});

describe('shouldInvite', () => {
  const trigger: Trigger = TriggerSchema.parse({
    surveyId: 'nps-after-support',
    activity: 'ticket_closed',
    sampleRate: 0.5,
    quietDays: 7,
  });
  const ev = { activity: 'ticket_closed', customerId: 'c1', ts: new Date('2024-05-10T12:00:00Z') };
  const always = () => 0;
  it('invites a sampled customer with no recent invitation', () => {
    expect(shouldInvite(trigger, ev, null, always)).toEqual({ invite: true });
    expect(shouldInvite(trigger, ev, new Date('2024-05-03T11:59:59Z'), always)).toEqual({ invite: true });
  });
  it('applies the quiet period (7 days, either side) before sampling', () => {
    expect(shouldInvite(trigger, ev, new Date('2024-05-03T12:00:01Z'), always)).toEqual({
      invite: false,
      reason: 'quiet',
    });
    expect(shouldInvite(trigger, ev, new Date('2024-05-11T00:00:00Z'), always).invite).toBe(false);
  });
  it('samples: random below the rate invites, at or above does not', () => {
    expect(shouldInvite(trigger, ev, null, () => 0.4999).invite).toBe(true);
    expect(shouldInvite(trigger, ev, null, () => 0.5)).toEqual({ invite: false, reason: 'sampled_out' });
    const none = { ...trigger, sampleRate: 0 };
    expect(shouldInvite(none, ev, null, always).invite).toBe(false);
  });
  it('filters on activity, channel and a known customer', () => {
    expect(shouldInvite(trigger, { ...ev, activity: 'x' }, null, always)).toEqual({
      invite: false,
      reason: 'activity',
    });
    expect(shouldInvite({ ...trigger, channel: 'chat' }, { ...ev, channel: 'phone' }, null, always)).toEqual({
      invite: false,
      reason: 'channel',
    });
    expect(shouldInvite(trigger, { ...ev, customerId: null }, null, always).invite).toBe(false);
  });
  it('refuses sample rates outside 0–1', () => {
    expect(TriggerSchema.safeParse({ ...trigger, sampleRate: 1.5 }).success).toBe(false);
  });
});
