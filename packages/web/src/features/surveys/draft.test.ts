import { describe, expect, it } from 'vitest';
import { blankSurvey, checkDraft, embedSnippet, newQuestion, slugify } from './draft.ts';

describe('survey designer draft', () => {
  it('starts a valid survey with NPS and an open question', () => {
    const d = blankSurvey('after-call');
    const r = checkDraft(d);
    expect(r.ok).toBe(true);
    expect(d.definition.questions.map((q) => q.kind)).toEqual(['nps', 'open']);
  });

  it('gives new questions unused ids', () => {
    expect(newQuestion('element', ['ease']).id).toBe('ease-2');
    expect(newQuestion('open', ['comment', 'comment-2']).id).toBe('comment-3');
  });

  it('lists problems by field, including triggers', () => {
    const d = blankSurvey('x');
    d.definition.questions.push({ kind: 'nps', id: 'nps', text: '' });
    d.triggers.push({ activity: 'ticket_closed', sampleRate: 1.5, quietDays: 7 });
    const r = checkDraft(d);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field).sort()).toEqual([
      'questions.2.id',
      'questions.2.kind',
      'questions.2.text',
      'triggers.0.sampleRate',
    ]);
  });

  it('slugifies titles and builds the embed snippet', () => {
    expect(slugify('  Zufriedenheit nach Lieferung! ')).toBe('zufriedenheit-nach-lieferung');
    expect(slugify('Café — Über')).toBe('cafe-uber');
    expect(embedSnippet('https://cx.example.com', 'nps')).toBe(
      '<script src="https://cx.example.com/s/nps/embed.js" data-token="PERSONAL-TOKEN" async></script>',
    );
  });
});
