import type { ComponentType } from 'react';
import { OverviewPage } from './features/overview/overview-page.tsx';

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
];

export function areaFor(path: string): Area | undefined {
  return (
    AREAS.find((a) => a.path === path) ?? AREAS.find((a) => a.path !== '/' && path.startsWith(`${a.path}/`))
  );
}
