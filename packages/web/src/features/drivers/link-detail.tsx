import {
  type DriverFilters,
  type DriverLink,
  type DriverLinkChild,
  type DriverWhatIf,
  type MetricsNode,
  nodeMeasureScale,
  parseNodeMeasure,
} from '@cx/core';
import { useEffect, useState } from 'react';
import { formatInt, formatPct } from '../../lib/format.ts';
import { type LinkState, postWhatIf } from './drivers-api.ts';
import { fixed, headlineText, QUADRANT_LABEL, sig, signed, weightText } from './format-link.ts';
import { QuadrantChart, WeightsChart } from './link-charts.tsx';

const METHOD: Record<DriverLink['method'], string> = {
  relative_weights: 'relative weights (Johnson 2000), bootstrap 95 % intervals',
  impact: 'impact: score of all responses − score without the child’s responses, 95 % interval',
  none: 'no children',
};

export function LinkDetail({
  node,
  state,
  filters,
  onSelect,
}: {
  node: MetricsNode;
  state: LinkState | undefined;
  filters: DriverFilters;
  onSelect: (id: string) => void;
}) {
  const link = state?.state === 'ready' ? state.link : undefined;
  return (
    <section className="panel drv-link" aria-labelledby="drv-link-title">
      <h2 id="drv-link-title">{node.label}</h2>
      {link && link.path.length > 1 && (
        <p className="drv-path">{link.path.map((p) => p.label).join(' › ')}</p>
      )}
      <p className="panel-note">
        {node.kind} · measure <code>{node.measure}</code>
        {link && (
          <>
            {' '}
            · {headlineText(link)}
            {link.parent.headlineCi &&
              ` [${fixed(link.parent.headlineCi.low, link.measure === 'nps' ? 1 : 2)}, ${fixed(link.parent.headlineCi.high, link.measure === 'nps' ? 1 : 2)}]`}{' '}
            · n = {formatInt(link.n)}
            {link.r2 !== null && ` · R² = ${link.r2.toFixed(2)}`}
          </>
        )}
      </p>
      {(!state || state.state === 'loading') && (
        <p className="loading">Computing the drivers (1,000 resamples)…</p>
      )}
      {state?.state === 'error' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {link && link.method === 'none' && (
        <p className="empty-state">This node has no children in the tree.</p>
      )}
      {link && link.method !== 'none' && (
        <>
          <p className="drv-method">Method: {METHOD[link.method]}.</p>
          <WeightsChart link={link} />
          <div className="table-scroll">
            <table className="journeys drv-table" aria-label={`Drivers of ${node.label}`}>
              <thead>
                <tr>
                  <th scope="col">Driver</th>
                  <th scope="col" className="num">
                    {link.method === 'impact' ? 'Impact [95 % CI]' : 'Share [95 % CI]'}
                  </th>
                  {link.method === 'impact' ? (
                    <th scope="col" className="num">
                      Volume
                    </th>
                  ) : (
                    <th scope="col" className="num">
                      r
                    </th>
                  )}
                  <th scope="col" className="num">
                    Effect per unit [95 % CI]
                  </th>
                  <th scope="col" className="num">
                    Mean
                  </th>
                  <th scope="col" className="num">
                    Top box / in target
                  </th>
                  <th scope="col">Quadrant</th>
                </tr>
              </thead>
              <tbody>
                {link.children.map((c) => (
                  <tr key={c.id} className={c.included ? '' : 'muted'}>
                    <th scope="row">
                      <button type="button" className="linklike" onClick={() => onSelect(c.id)}>
                        {c.label}
                      </button>
                      {c.notSignificant && c.included && <span className="drv-ns"> n.s.</span>}
                    </th>
                    <td className="num" data-testid={`weight-${c.id}`}>
                      {weightText(link, c)}
                    </td>
                    <td className="num">
                      {link.method === 'impact' ? formatPct(c.volumeShare) : fixed(c.correlation)}
                    </td>
                    <td className="num">
                      {c.coefficient === null
                        ? '—'
                        : `${sig(c.coefficient)}${c.coefficientCi ? ` [${sig(c.coefficientCi.low)}, ${sig(c.coefficientCi.high)}]` : ''}`}
                    </td>
                    <td className="num">{fixed(c.performance.mean)}</td>
                    <td className="num">
                      {c.performance.topBox !== null
                        ? formatPct(c.performance.topBox)
                        : c.performance.withinTarget !== null
                          ? `${formatPct(c.performance.withinTarget)} (${c.performance.direction === 'lower_is_better' ? '≤' : '≥'} ${c.performance.target})`
                          : '—'}
                    </td>
                    <td>{c.quadrant ? QUADRANT_LABEL[c.quadrant] : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {link.warnings.length > 0 && (
            <ul className="drv-warnings">
              {link.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
          <h3>Importance–performance</h3>
          <p className="panel-note">
            Importance: share of the weight; performance: the mean on its scale (0 = worst, 100 = best; KPIs:
            share within target). Dashed lines at the mean importance and performance.
          </p>
          <QuadrantChart link={link} />
          <WhatIfPanel link={link} filters={filters} />
        </>
      )}
    </section>
  );
}

/** The slider's range in the child's own units: a point or two on scores, minutes or counts on KPIs. */
function rangeOf(c: DriverLinkChild): { max: number; step: number; unit: string } {
  const m = parseNodeMeasure(c.measure);
  const scale = m ? nodeMeasureScale(m) : null;
  if (m?.type === 'kpi' && m.kpi === 'wait_minutes') return { max: 10, step: 0.5, unit: 'min' };
  if (scale && scale.max - scale.min <= 1) return { max: 0.5, step: 0.05, unit: '' };
  if (scale) return { max: 2, step: 0.1, unit: 'points' };
  return { max: 3, step: 0.1, unit: '' };
}

function WhatIfPanel({ link, filters }: { link: DriverLink; filters: DriverFilters }) {
  const usable = link.children.filter((c) => c.coefficient !== null);
  const [childId, setChildId] = useState(usable[0]?.id ?? '');
  const child = usable.find((c) => c.id === childId) ?? usable[0];
  const range = child ? rangeOf(child) : { max: 1, step: 0.1, unit: '' };
  const lowerBetter = child?.performance.direction === 'lower_is_better';
  // An improvement of a lower-is-better KPI is a decrease: the slider says "improves by x".
  const [amount, setAmount] = useState(0.5);
  const [result, setResult] = useState<
    { state: 'idle' } | { state: 'error'; message: string } | { state: 'ready'; w: DriverWhatIf }
  >({ state: 'idle' });
  const delta = lowerBetter ? -amount : amount;
  useEffect(() => {
    if (!child) return;
    let live = true;
    const t = setTimeout(() => {
      postWhatIf({ nodeId: link.nodeId, childId: child.id, delta, filters }).then(
        (w) => live && setResult({ state: 'ready', w }),
        (e: Error) => live && setResult({ state: 'error', message: e.message }),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [link.nodeId, child, delta, filters]);
  if (!child) return null;
  return (
    <div className="drv-whatif">
      <h3>What if</h3>
      <div className="drv-whatif-controls">
        <label>
          Driver{' '}
          <select value={child.id} onChange={(e) => setChildId(e.target.value)}>
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          improves by{' '}
          <input
            type="range"
            min={0}
            max={range.max}
            step={range.step}
            value={Math.min(amount, range.max)}
            onChange={(e) => setAmount(Number(e.target.value))}
            aria-label="Improvement"
          />{' '}
          <output>
            {lowerBetter ? '−' : '+'}
            {Math.min(amount, range.max)} {range.unit}
          </output>
        </label>
      </div>
      {result.state === 'error' && <p className="error">{result.message}</p>}
      {result.state === 'ready' && result.w.childId === child.id && (
        <p className="drv-chain" aria-live="polite">
          If <strong>{child.label}</strong> {lowerBetter ? 'falls' : 'improves'} by {Math.abs(result.w.delta)}{' '}
          {range.unit}
          {result.w.steps.map((s) => (
            <span key={s.nodeId}>
              {' '}
              → <strong>{s.label}</strong>{' '}
              {s.measure === 'nps' ? `${signed(s.change, 1)} NPS points` : signed(s.change, 2)}
              {s.ci &&
                ` [${signed(s.ci.low, s.measure === 'nps' ? 1 : 2)}, ${signed(s.ci.high, s.measure === 'nps' ? 1 : 2)}]`}
            </span>
          ))}
        </p>
      )}
      {result.state === 'ready' && <p className="panel-note">{result.w.note}</p>}
    </div>
  );
}
