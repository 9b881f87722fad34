import type { Overview } from '@cx/core';
import { useEffect, useMemo, useState } from 'react';
import { FilterPicker, useFilterValues } from '../../lib/filter-select.tsx';
import { formatNps, formatPct } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { shownOf } from '../../lib/use-get.ts';
import { KpiTiles } from './kpi-tiles.tsx';
import { describePeriod, PeriodSelect, periodOptions } from './period-select.tsx';
import { TopJourneys } from './top-journeys.tsx';
import { TrendChart, type TrendSpec } from './trend-chart.tsx';
import { useOverview } from './use-overview.ts';

const TRENDS: TrendSpec[] = [
  {
    id: 'trend-nps',
    title: 'NPS',
    method: '95 % interval: 1.96·√(Var/n), Var = p + d − (p − d)²',
    color: '#2f6fb3',
    min: -100,
    max: 100,
    step: 10,
    pick: (m) => ({ value: m.nps, ci: m.npsCi95, n: m.npsN }),
    format: (v) => formatNps(v),
  },
  {
    id: 'trend-csat',
    title: 'CSAT',
    method: 'top-two box, Wilson 95 % interval',
    color: '#1f8a70',
    min: 0,
    max: 1,
    step: 0.1,
    pick: (m) => ({ value: m.csat, ci: m.csatCi95, n: m.csatN }),
    format: (v) => formatPct(v, 0),
  },
  {
    id: 'trend-ces',
    title: 'CES',
    method: 'mean on 1–7, t 95 % interval',
    color: '#b5651d',
    min: 1,
    max: 7,
    step: 0.5,
    pick: (m) => ({ value: m.ces, ci: m.cesCi95, n: m.cesN }),
    format: (v) => v.toFixed(1),
  },
];

export function OverviewPage() {
  const [periodId, setPeriodId] = useState('all');
  // A feedback theme narrows the scores to responses on it and the volumes to the customers who gave one.
  const [theme, setTheme] = useState('');
  // Region and segment restrict every number on the page to those customers (the data scope).
  const [region, setRegion] = useState('');
  const [segment, setSegment] = useState('');
  const values = useFilterValues();
  // The months of all data, learnt from the first (unfiltered) answer, define the period choices.
  const [allMonths, setAllMonths] = useState<string[] | null>(null);
  const options = useMemo(() => periodOptions(allMonths ?? []), [allMonths]);
  const period = options.find((o) => o.id === periodId) ?? options[0]!;
  const query = new URLSearchParams({
    ...(period.from ? { from: period.from } : {}),
    ...(period.to ? { to: period.to } : {}),
    ...(theme ? { themes: theme } : {}),
    ...(region ? { regions: region } : {}),
    ...(segment ? { segments: segment } : {}),
  }).toString();
  const [result, retry] = useOverview(query);
  const shown = shownOf(result);
  useEffect(() => {
    if (result.state === 'ready' && periodId === 'all' && !theme && !region && !segment)
      setAllMonths(result.data.monthly.map((m) => m.month));
  }, [result, periodId, theme, region, segment]);
  return (
    <div className="page">
      <header className="page-head">
        <h1>Overview</h1>
        {allMonths && <p className="period">{describePeriod(period, allMonths)}</p>}
        {options.length > 1 && <PeriodSelect options={options} value={period.id} onChange={setPeriodId} />}
        <FilterPicker kind="region" values={values} value={region} onChange={setRegion} />
        <FilterPicker kind="segment" values={values} value={segment} onChange={setSegment} />
        <FilterPicker kind="theme" values={values} value={theme} onChange={setTheme} />
      </header>
      <LoadStatus result={result} retry={retry} what="overview" />
      {shown && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <OverviewBody o={shown} theme={theme} />
        </div>
      )}
    </div>
  );
}

function OverviewBody({ o, theme }: { o: Overview; theme: string }) {
  if (theme && o.nps.n === 0 && o.csat.n === 0 && o.ces.n === 0 && o.customers === 0) {
    return (
      <section className="empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">No feedback on {theme.replaceAll('_', ' ')}</h2>
        <p>No customer gave a response on this theme in the chosen period.</p>
      </section>
    );
  }
  if (o.events === 0 && o.nps.n === 0 && o.csat.n === 0 && o.ces.n === 0 && o.customers === 0) {
    return (
      <section className="empty-state" aria-labelledby="empty-title">
        <h2 id="empty-title">No data yet</h2>
        <p>
          Load the demo company with <code>npx cxc demo --customers 20000</code>, or import your own data with{' '}
          <code>npx cxc import</code>.
        </p>
      </section>
    );
  }
  return (
    <>
      <KpiTiles o={o} />
      <section className="panel" aria-labelledby="trend-title">
        <h2 id="trend-title">Monthly trend</h2>
        <p className="panel-note">
          Shaded bands are 95 % intervals; months with fewer than {o.minN.privacy} answers show no score.
        </p>
        <div className="trends">
          {TRENDS.map((t) => (
            <TrendChart key={t.id} spec={t} months={o.monthly} />
          ))}
        </div>
      </section>
      <section className="panel" aria-labelledby="journeys-title">
        <h2 id="journeys-title">Top journeys by volume</h2>
        <TopJourneys journeys={o.topJourneys} reliable={o.minN.reliable} />
      </section>
    </>
  );
}
