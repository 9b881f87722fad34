import type { ComponentType } from 'react';
import { CampaignsPage } from './features/campaigns/campaigns-page.tsx';
import { CustomersPage } from './features/customers/customers-page.tsx';
import { DriversPage } from './features/drivers/drivers-page.tsx';
import { FeedbackPage } from './features/feedback/feedback-page.tsx';
import { JourneysPage } from './features/journeys/journeys-page.tsx';
import { OverviewPage } from './features/overview/overview-page.tsx';
import { PredictPage } from './features/predict/predict-page.tsx';
import { SurveysPage } from './features/surveys/surveys-page.tsx';
import { ValuePage } from './features/value/value-page.tsx';

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
    path: '/drivers',
    label: 'Drivers',
    description: 'Metrics tree: what drives NPS, weights with intervals, importance–performance, what-if',
    component: DriversPage,
  },
  {
    path: '/value',
    label: 'Money',
    description: 'What CX is worth: churn, revenue, cost to serve and CLV by NPS group, revenue at risk',
    component: ValuePage,
  },
  {
    path: '/campaigns',
    label: 'Campaigns',
    description: 'Campaign spend against incremental lift, ROI and NPS effect, with intervals',
    component: CampaignsPage,
  },
  {
    path: '/predict',
    label: 'Churn & cross-sell',
    description:
      'Who is about to leave and who could buy more: model cards, revenue at risk, customers to call today',
    component: PredictPage,
  },
  {
    path: '/surveys',
    label: 'Surveys',
    description: 'Survey designer: questions, triggers, hosted page and embed snippet, live preview',
    component: SurveysPage,
  },
  {
    path: '/customers',
    label: 'Customers',
    description:
      'Customer 360: search any id; identities, timeline, scores, churn risk and summary per customer',
    component: CustomersPage,
  },
];

export function areaFor(path: string): Area | undefined {
  return (
    AREAS.find((a) => a.path === path) ?? AREAS.find((a) => a.path !== '/' && path.startsWith(`${a.path}/`))
  );
}
