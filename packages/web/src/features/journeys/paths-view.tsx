import type { DataScope, JourneyFilterInput, JourneyMap, PathsResult } from '@cx/core';
import { useMemo, useState } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';
import { formatInt, formatPct } from '../../lib/format.ts';
import { ErrorBox } from '../../lib/load-status.tsx';
import { shown, usePost } from './use-post.ts';

/** Paths after (or before) an anchor activity as a Sankey, and the top paths with % of cases and customers. */
export function PathsView({
  map,
  scope,
  filter,
}: {
  map: JourneyMap;
  scope: DataScope;
  filter: JourneyFilterInput;
}) {
  const activities = map.activities.map((a) => a.name);
  const [anchor, setAnchor] = useState(() => map.startActivities[0]?.name ?? activities[0] ?? '');
  const [direction, setDirection] = useState<'after' | 'before'>('after');
  const [depth, setDepth] = useState(3);
  const valid = activities.includes(anchor);
  const [result, retry] = usePost<PathsResult>(
    '/api/journeys/paths',
    valid ? { scope, filter, anchor, direction, depth, top: 10 } : null,
  );
  const p = valid ? shown(result) : undefined;
  return (
    <div className="paths-view">
      <div className="funnel-form">
        <label>
          Paths{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value as 'after' | 'before')}>
            <option value="after">after</option>
            <option value="before">before</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">Anchor activity</span>
          <select value={anchor} onChange={(e) => setAnchor(e.target.value)} aria-label="Anchor activity">
            {activities.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Steps{' '}
          <select value={depth} onChange={(e) => setDepth(Number(e.target.value))}>
            {[1, 2, 3, 4, 5].map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
      </div>
      {result.state === 'error' && (
        <ErrorBox retry={retry}>The paths could not be computed: {result.message}</ErrorBox>
      )}
      {p && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <p className="panel-note">
            {formatInt(p.cases)} cases ({formatInt(p.customers)} customers) contain “{p.anchor}”;{' '}
            {formatInt(p.distinctPaths)} distinct paths {p.direction} it. Counted at its first occurrence in
            each case.
          </p>
          <PathsSankey p={p} />
          <table className="variants">
            <caption className="visually-hidden">Top paths</caption>
            <thead>
              <tr>
                <th scope="col">Path</th>
                <th scope="col" className="num">
                  Cases
                </th>
                <th scope="col" className="num">
                  % of cases
                </th>
                <th scope="col" className="num">
                  Customers
                </th>
                <th scope="col" className="num">
                  % of customers
                </th>
              </tr>
            </thead>
            <tbody>
              {p.paths.map((row) => (
                <tr key={JSON.stringify(row.activities)}>
                  <td>
                    <ol className="steps">
                      {row.activities.map((a, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: an activity may repeat in a path.
                        <li key={i}>
                          <span className="step">{a}</span>
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td className="num">{formatInt(row.cases)}</td>
                  <td className="num">{formatPct(row.shareOfCases)}</td>
                  <td className="num muted">{formatInt(row.customers)}</td>
                  <td className="num muted">{formatPct(row.shareOfCustomers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PathsSankey({ p }: { p: PathsResult }) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 150,
          top: 10,
          bottom: 10,
          nodeGap: 10,
          nodeWidth: 14,
          layoutIterations: 32,
          emphasis: { focus: 'adjacency' },
          data: p.sankey.nodes.map((n) => ({
            name: n.name,
            depth: p.direction === 'after' ? n.step : n.step + p.depth,
          })),
          links: p.sankey.links,
          label: {
            color: '#1c2533',
            fontSize: 12,
            // Node names carry the step ("+1 Call hotline"); the column already says which step it is.
            formatter: ({ name }: { name: string }) => name.replace(/^[+-]?\d+ /, ''),
          },
          lineStyle: { color: 'gradient', curveness: 0.5, opacity: 0.35 },
          itemStyle: { borderWidth: 0 },
        },
      ],
    }),
    [p],
  );
  const height = Math.min(720, Math.max(280, 28 * Math.max(...countPerStep(p))));
  return (
    <Chart
      option={option}
      height={height}
      label={`Sankey of the paths ${p.direction} ${p.anchor} over ${p.depth} steps, ${formatInt(p.cases)} cases`}
    />
  );
}

function countPerStep(p: PathsResult): number[] {
  const per = new Map<number, number>();
  for (const n of p.sankey.nodes) per.set(n.step, (per.get(n.step) ?? 0) + 1);
  return [...per.values(), 1];
}
