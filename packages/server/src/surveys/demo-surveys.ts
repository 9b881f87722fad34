import type { SurveyDefinitionInput, TriggerSchema } from '@cx/core';
import type { z } from 'zod';
import type { AppStore } from '../app-store/port.ts';
import { saveSurvey, setTriggers } from './survey-store.ts';

/**
 * Two demo surveys for the demo company: a relationship-style NPS after a support contact (with a
 * detractor follow-up and experience elements) and a short CSAT/CES after onboarding. The seed
 * calls this (`seedDemoSurveys(appStore, now)`); saving is idempotent (an unchanged definition adds
 * no version).
 */
export const DEMO_SURVEYS: SurveyDefinitionInput[] = [
  {
    id: 'nps-after-support',
    title: 'How did we do?',
    intro: 'You were recently in touch with our customer service. Two minutes of your time help us improve.',
    journey: 'support',
    touchpoint: 'ticket_closed',
    questions: [
      {
        kind: 'nps',
        id: 'recommend',
        text: 'How likely are you to recommend us to a friend or colleague?',
        required: true,
        followUp: { when: { min: 0, max: 6 }, text: 'What should we have done better?' },
      },
      { kind: 'element', id: 'ease', element: 'ease', text: 'How easy was it to get help?' },
      { kind: 'element', id: 'courtesy', element: 'courtesy', text: 'How courteous was our team?' },
      { kind: 'element', id: 'competence', element: 'competence', text: 'How competent was our team?' },
      { kind: 'element', id: 'speed', element: 'speed', text: 'How quickly was your request solved?' },
      { kind: 'open', id: 'comment', text: 'Is there anything else you would like to tell us?' },
    ],
    thankYou: 'Thank you — your feedback goes straight to the team that helped you.',
    languages: {
      de: {
        title: 'Wie waren wir?',
        intro:
          'Sie hatten kürzlich Kontakt mit unserem Kundenservice. Zwei Minuten helfen uns, besser zu werden.',
        thankYou: 'Danke — Ihr Feedback geht direkt an das Team, das Ihnen geholfen hat.',
        questions: {
          recommend: {
            text: 'Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?',
            followUp: 'Was hätten wir besser machen sollen?',
          },
          ease: { text: 'Wie einfach war es, Hilfe zu bekommen?' },
          courtesy: { text: 'Wie freundlich war unser Team?' },
          competence: { text: 'Wie kompetent war unser Team?' },
          speed: { text: 'Wie schnell wurde Ihr Anliegen gelöst?' },
          comment: { text: 'Möchten Sie uns noch etwas sagen?' },
        },
      },
    },
  },
  {
    id: 'csat-onboarding',
    title: 'Welcome aboard!',
    journey: 'onboarding',
    touchpoint: 'account_activated',
    allowAnonymous: true,
    questions: [
      { kind: 'csat', id: 'satisfied', text: 'How satisfied are you with getting started?', required: true },
      { kind: 'ces', id: 'effort', text: 'How easy was it to set up your account?' },
      { kind: 'open', id: 'comment', text: 'What could we make easier?' },
    ],
    thankYou: 'Thank you!',
  },
];

const DEMO_TRIGGERS: Record<string, z.input<typeof TriggerSchema>[]> = {
  'nps-after-support': [
    { surveyId: 'nps-after-support', activity: 'ticket_closed', sampleRate: 0.3, quietDays: 7 },
  ],
  'csat-onboarding': [
    { surveyId: 'csat-onboarding', activity: 'account_activated', sampleRate: 1, quietDays: 7 },
  ],
};

export async function seedDemoSurveys(appStore: AppStore, now: Date = new Date()): Promise<string[]> {
  for (const def of DEMO_SURVEYS) {
    await saveSurvey(appStore, def, now);
    await setTriggers(appStore, def.id, DEMO_TRIGGERS[def.id] ?? [], now);
  }
  return DEMO_SURVEYS.map((d) => d.id);
}
