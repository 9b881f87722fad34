import type { ComponentType } from 'react';
import { FeedbackPage } from './features/feedback/feedback-page.tsx';
import { JourneysPage } from './features/journeys/journeys-page.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { SurveysPage } from './features/surveys/surveys-page.tsx';

/**
 * The cockpit areas, in navigation order. An area appears here when it is built — adding one is one
 * entry; there are no placeholder pages.
 */
export interface Area {
  path: string;
  label: string;
  /** One-line description shown as the link's title. */
  description: string;
  component: ComponentType;
}

export const AREAS: readonly Area[] = [
  {
    path: '/',
    label: 'Overview',
    description: 'Customers, events, NPS, CSAT and CES with intervals and trend, top journeys',
    component: OverviewPage,
  },
  {
    path: '/journeys',
    label: 'Journeys',
    description: 'Process map, variants: the journeys customers actually take, discovered from events',
    component: JourneysPage,
  },
  {
    path: '/feedback',
    label: 'Feedback',
    description: 'NPS, CSAT and CES trends and breakdowns with intervals and significance, comments, themes',
    component: FeedbackPage,
  },
  {
    path: '/surveys',
    label: 'Surveys',
    description: 'Survey designer: questions, triggers, hosted page and embed snippet, live preview',
    component: SurveysPage,
  },
];

export function areaFor(path: string): Area | undefined {
  return (
    AREAS.find((a) => a.path === path) ?? AREAS.find((a) => a.path !== '/' && path.startsWith(`${a.path}/`))
  );
}
