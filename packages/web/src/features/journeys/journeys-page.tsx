import type { JourneyMap } from '@cx/core';
import type { MouseEvent } from 'react';
import { useState } from 'react';
import { usePath } from '../../router.tsx';
import { ConformanceView } from './conformance-view.tsx';
import { FilterBar } from './filter-bar.tsx';
import { EMPTY_SELECTION, type Selection, withActivity, withEdge, withVariant } from './filter-state.ts';
import { FunnelView } from './funnel-view.tsx';
import { KpiStrip } from './kpi-strip.tsx';
import { PathsView } from './paths-view.tsx';
import { ProcessMap } from './process-map.tsx';
import { shown, usePost } from './use-post.ts';
import { VariantsTable } from './variants-table.tsx';
import './journeys.css';
import { ErrorBox } from '../../lib/load-status.tsx';

interface View {
  path: string;
  label: string;
}

const DEFAULT_ACTIVITIES = 15;

const VIEWS: View[] = [
  { path: '/journeys', label: 'Process map' },
  { path: '/journeys/variants', label: 'Variants' },
  { path: '/journeys/funnel', label: 'Funnel' },
  { path: '/journeys/paths', label: 'Paths' },
  { path: '/journeys/conformance', label: 'Conformance' },
];

/**
 * Journeys (issue 4 §6): one scope and one journey filter shared by every view, so a filter chosen on
 * the map also holds in the variant table and the other way round.
 */
export function JourneysPage() {
  const [path, navigate] = usePath();
  const view = VIEWS.find((v) => v.path === path) ?? VIEWS[0]!;
  const [sel, setSel] = useState<Selection>(EMPTY_SELECTION);
  // About 15 activities keep a busy log readable; the map's slider changes it.
  const [maxActivities, setMaxActivities] = useState(DEFAULT_ACTIVITIES);
  const [result, retry] = usePost<JourneyMap>('/api/journeys/map', {
    scope: sel.scope,
    filter: sel.filter,
    maxActivities,
  });
  const map = shown(result);
  const follow = (e: MouseEvent<HTMLAnchorElement>, to: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <div className="page journeys-page">
      <header className="page-head">
        <h1>Journeys</h1>
        <nav aria-label="Journey views" className="subnav">
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
      </header>
      <FilterBar
        scope={sel.scope}
        filter={sel.filter}
        onScope={(scope) => setSel((s) => ({ ...s, scope }))}
        onFilter={(filter) => setSel((s) => ({ ...s, filter }))}
      />
      {result.state === 'loading' && (
        <p role="status" className={map ? 'visually-hidden' : 'loading'}>
          Loading the journeys…
        </p>
      )}
      {result.state === 'error' && (
        <ErrorBox retry={retry}>The journeys could not be loaded: {result.message}</ErrorBox>
      )}
      {map && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <KpiStrip map={map} />
          {view.path === '/journeys' && (
            <section className="panel" aria-labelledby="map-title">
              <h2 id="map-title">Process map</h2>
              <ProcessMap
                map={map}
                maxActivities={maxActivities}
                onMaxActivities={setMaxActivities}
                onActivity={(a) => setSel((s) => ({ ...s, filter: withActivity(s.filter, a) }))}
                onEdge={(from, to) => setSel((s) => ({ ...s, filter: withEdge(s.filter, from, to) }))}
              />
            </section>
          )}
          {view.path === '/journeys/variants' && (
            <section className="panel" aria-labelledby="variants-title">
              <h2 id="variants-title">Variants</h2>
              <VariantsTable
                scope={sel.scope}
                filter={sel.filter}
                onVariant={(v) => setSel((s) => ({ ...s, filter: withVariant(s.filter, v) }))}
              />
            </section>
          )}
          {view.path === '/journeys/funnel' && (
            <section className="panel" aria-labelledby="funnel-title">
              <h2 id="funnel-title">Funnel</h2>
              <FunnelView map={map} scope={sel.scope} filter={sel.filter} />
            </section>
          )}
          {view.path === '/journeys/paths' && (
            <section className="panel" aria-labelledby="paths-title">
              <h2 id="paths-title">Paths</h2>
              <PathsView map={map} scope={sel.scope} filter={sel.filter} />
            </section>
          )}
          {view.path === '/journeys/conformance' && (
            <section className="panel" aria-labelledby="conformance-title">
              <h2 id="conformance-title">Conformance</h2>
              <ConformanceView map={map} scope={sel.scope} filter={sel.filter} />
            </section>
          )}
        </div>
      )}
    </div>
  );
}
