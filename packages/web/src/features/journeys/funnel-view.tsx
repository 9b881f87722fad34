import type {
  DataScope,
  FunnelDropOff,
  FunnelMode,
  FunnelResult,
  JourneyFilterInput,
  JourneyMap,
} from '@cx/core';
import { useMemo, useState } from 'react';
import { Chart } from '../../lib/chart.tsx';
import type { EChartsCoreOption } from '../../lib/echarts.ts';
import { formatDuration, formatInt, formatPct } from '../../lib/format.ts';
import { ErrorBox } from '../../lib/load-status.tsx';
import { happyPath } from './defaults.ts';
import { shown, usePost } from './use-post.ts';

const MODES: { id: FunnelMode; label: string }[] = [
  { id: 'ordered', label: 'In order (anything between)' },
  { id: 'strict', label: 'Strictly consecutive' },
  { id: 'any-order', label: 'Any order' },
];

/**
 * Funnel builder: steps picked from the activities, a conversion window and an ordering; a bar chart
 * of cases per step with the drop-off, and the cases behind a drop-off on request.
 */
export function FunnelView({
  map,
  scope,
  filter,
}: {
  map: JourneyMap;
  scope: DataScope;
  filter: JourneyFilterInput;
}) {
  const [steps, setSteps] = useState<string[]>(() => happyPath(map, 4));
  const [mode, setMode] = useState<FunnelMode>('ordered');
  const [windowDays, setWindowDays] = useState(14);
  const [dropStep, setDropStep] = useState<number | null>(null);
  const activities = map.activities.map((a) => a.name);
  const spec = { steps, mode, windowSeconds: Math.max(windowDays, 0.01) * 86_400 };
  const ready = steps.length >= 2;
  const [result, retry] = usePost<FunnelResult>(
    '/api/journeys/funnel',
    ready ? { scope, filter, ...spec } : null,
  );
  const f = ready ? shown(result) : undefined;
  const setStep = (i: number, v: string) => {
    setDropStep(null);
    setSteps((s) => s.map((x, j) => (j === i ? v : x)));
  };
  return (
    <div className="funnel-view">
      <div className="funnel-form">
        <ol className="funnel-steps" aria-label="Funnel steps">
          {steps.map((s, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position; the same activity may repeat.
            <li key={i}>
              <label>
                <span className="visually-hidden">Step {i + 1}</span>
                <select value={s} onChange={(e) => setStep(i, e.target.value)}>
                  {activities.map((a) => (
                    <option key={a} value={a}>
                      {a}
                    </option>
                  ))}
                </select>
              </label>
              {steps.length > 2 && (
                <button
                  type="button"
                  className="small"
                  aria-label={`Remove step ${i + 1}`}
                  onClick={() => {
                    setDropStep(null);
                    setSteps((x) => x.filter((_, j) => j !== i));
                  }}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ol>
        {steps.length < 10 && (
          <button
            type="button"
            className="small"
            onClick={() => setSteps((s) => [...s, activities.find((a) => !s.includes(a)) ?? activities[0]!])}
          >
            Add step
          </button>
        )}
        <label>
          Order{' '}
          <select value={mode} onChange={(e) => setMode(e.target.value as FunnelMode)}>
            {MODES.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Window{' '}
          <input
            type="number"
            min={0.01}
            step={1}
            value={windowDays}
            onChange={(e) => setWindowDays(Number(e.target.value))}
            className="days"
          />{' '}
          days
        </label>
      </div>
      {result.state === 'error' && (
        <ErrorBox retry={retry}>The funnel could not be computed: {result.message}</ErrorBox>
      )}
      {f && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <FunnelChart f={f} />
          <FunnelTable f={f} onDropOff={setDropStep} />
          {dropStep !== null && dropStep < f.steps.length - 1 && (
            <DropOffCases scope={scope} filter={filter} spec={spec} stepIndex={dropStep} f={f} />
          )}
        </div>
      )}
    </div>
  );
}

function FunnelChart({ f }: { f: FunnelResult }) {
  const option = useMemo<EChartsCoreOption>(
    () => ({
      animation: false,
      grid: { left: 56, right: 16, top: 24, bottom: 56 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      xAxis: {
        type: 'category',
        data: f.steps.map((s, i) => `${i + 1}. ${s.activity}`),
        axisLabel: { interval: 0, width: 140, overflow: 'truncate', color: '#5b6677' },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#5b6677' },
        splitLine: { lineStyle: { color: '#edf0f4' } },
      },
      series: [
        {
          name: 'Reached the step',
          type: 'bar',
          stack: 'f',
          color: '#2f6fb3',
          data: f.steps.map((s) => s.cases),
          label: {
            show: true,
            position: 'insideTop',
            color: '#fff',
            formatter: ({ dataIndex }: { dataIndex: number }) =>
              formatPct(f.steps[dataIndex]?.conversionFromStart ?? null, 0),
          },
        },
        {
          name: 'Dropped off before',
          type: 'bar',
          stack: 'f',
          color: '#e3b3ad',
          data: f.steps.map((s, i) => (i === 0 ? 0 : (f.steps[i - 1]?.cases ?? 0) - s.cases)),
        },
      ],
    }),
    [f],
  );
  const first = f.steps[0]?.cases ?? 0;
  const last = f.steps[f.steps.length - 1]?.cases ?? 0;
  return (
    <Chart
      option={option}
      height={280}
      label={`Funnel of ${f.steps.length} steps: ${formatInt(first)} cases at step 1, ${formatInt(last)} reach the last step`}
    />
  );
}

function FunnelTable({ f, onDropOff }: { f: FunnelResult; onDropOff: (i: number) => void }) {
  return (
    <table className="variants funnel-table">
      <caption className="visually-hidden">Funnel steps</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col" className="num">
            Cases
          </th>
          <th scope="col" className="num">
            Customers
          </th>
          <th scope="col" className="num">
            From start
          </th>
          <th scope="col" className="num">
            From previous
          </th>
          <th scope="col" className="num">
            Median time
          </th>
          <th scope="col" className="num">
            P90 time
          </th>
          <th scope="col" className="num">
            Drop-off
          </th>
        </tr>
      </thead>
      <tbody>
        {f.steps.map((s, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a step is its position.
          <tr key={i}>
            <th scope="row">
              {i + 1}. {s.activity}
            </th>
            <td className="num">{formatInt(s.cases)}</td>
            <td className="num muted">{formatInt(s.customers)}</td>
            <td className="num">{formatPct(s.conversionFromStart)}</td>
            <td className="num">{formatPct(s.conversionFromPrevious)}</td>
            <td className="num">{formatDuration(s.medianSecondsFromPrevious)}</td>
            <td className="num muted">{formatDuration(s.p90SecondsFromPrevious)}</td>
            <td className="num">
              {i < f.steps.length - 1 && (
                <button
                  type="button"
                  className="small"
                  aria-label={`Show the ${s.dropOff} cases that dropped off after step ${i + 1}`}
                  onClick={() => onDropOff(i)}
                >
                  {formatInt(s.dropOff)}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={8} className="muted">
            {formatInt(f.totalCases)} cases analysed; median time to convert{' '}
            {formatDuration(f.medianSecondsToConvert)} (P90 {formatDuration(f.p90SecondsToConvert)}).
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

function DropOffCases({
  scope,
  filter,
  spec,
  stepIndex,
  f,
}: {
  scope: DataScope;
  filter: JourneyFilterInput;
  spec: { steps: string[]; mode: FunnelMode; windowSeconds: number };
  stepIndex: number;
  f: FunnelResult;
}) {
  const [result] = usePost<FunnelDropOff>('/api/journeys/funnel/drop-off', {
    scope,
    filter,
    ...spec,
    stepIndex,
    limit: 20,
  });
  const d = shown(result);
  const title = `Dropped off after “${f.steps[stepIndex]?.activity}”, before “${f.steps[stepIndex + 1]?.activity}”`;
  return (
    <section className="drop-off" aria-label={title}>
      <h3>{title}</h3>
      {result.state === 'error' && <p role="alert">The cases could not be loaded: {result.message}</p>}
      {d && (
        <>
          <p className="panel-note">
            {formatInt(d.total)} cases{d.total > d.cases.length ? `; the latest ${d.cases.length}` : ''}.
          </p>
          <table className="variants">
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Customer</th>
                <th scope="col">Last step reached at</th>
              </tr>
            </thead>
            <tbody>
              {d.cases.map((c) => (
                <tr key={c.caseId}>
                  <td>
                    <code>{c.caseId}</code>
                  </td>
                  <td>{c.customerId ?? '—'}</td>
                  <td>{c.reachedAt.replace('T', ' ').slice(0, 16)} UTC</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
