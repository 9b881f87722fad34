import type { Trend } from '@cx/core';
import { type MouseEvent, useMemo, useState } from 'react';
import { usePath } from '../../router.tsx';
import { describePeriod, PeriodSelect, periodOptions } from '../overview/period-select.tsx';
import { CommentExplorer } from './comment-explorer.tsx';
import './feedback.css';
import { shownOf, useGet } from '../../lib/use-get.ts';
import { ModelsView } from './models-view.tsx';
import { ScoreDashboard } from './score-dashboard.tsx';
import { TaxonomyView } from './taxonomy-view.tsx';
import { ThemeView } from './theme-view.tsx';

/** The views are sub-paths, so each can be linked to and the back button works. */
const VIEWS = [
  { path: '/feedback', label: 'Scores' },
  { path: '/feedback/comments', label: 'Comments' },
  { path: '/feedback/themes', label: 'Themes' },
  { path: '/feedback/taxonomy', label: 'Taxonomy' },
  { path: '/feedback/models', label: 'Models' },
] as const;

export function FeedbackPage() {
  const [path, navigate] = usePath();
  const view = VIEWS.find((v) => v.path === path) ?? VIEWS[0];
  const periodic = view.path !== '/feedback/taxonomy' && view.path !== '/feedback/models';
  const [periodId, setPeriodId] = useState('all');
  // The months with answers, from one unfiltered trend, define the period choices.
  const [months] = useGet<Trend>('/api/feedback/trend?grain=month');
  const allMonths = useMemo(() => shownOf(months)?.buckets.map((b) => b.bucket) ?? [], [months]);
  const options = useMemo(() => periodOptions(allMonths), [allMonths]);
  const period = options.find((o) => o.id === periodId) ?? options[0]!;
  const range = useMemo(() => ({ from: period.from, to: period.to }), [period]);
  const follow = (e: MouseEvent<HTMLAnchorElement>, to: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <div className="page">
      <header className="page-head">
        <h1>Feedback</h1>
        {/* The taxonomy and the models are not about a period: no period choice there. */}
        {periodic && allMonths.length > 0 && <p className="period">{describePeriod(period, allMonths)}</p>}
        {periodic && options.length > 1 && (
          <PeriodSelect options={options} value={period.id} onChange={setPeriodId} />
        )}
      </header>
      <nav className="fb-tabs" aria-label="Feedback views">
        {VIEWS.map((v) => (
          <a
            key={v.path}
            href={v.path}
            aria-current={v === view ? 'page' : undefined}
            onClick={(e) => follow(e, v.path)}
          >
            {v.label}
          </a>
        ))}
      </nav>
      {view.path === '/feedback' && <ScoreDashboard period={range} />}
      {view.path === '/feedback/comments' && <CommentExplorer period={range} />}
      {view.path === '/feedback/themes' && <ThemeView period={range} />}
      {view.path === '/feedback/taxonomy' && <TaxonomyView />}
      {view.path === '/feedback/models' && <ModelsView />}
    </div>
  );
}
