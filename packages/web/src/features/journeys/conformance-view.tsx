import type {
  ConformanceResult,
  DataScope,
  Deviation,
  JourneyFilterInput,
  JourneyMap,
  JourneyModelInput,
} from '@cx/core';
import { useState } from 'react';
import { formatDuration, formatInt, formatPct } from '../../lib/format.ts';
import { ErrorBox } from '../../lib/load-status.tsx';
import { designedJourney } from './defaults.ts';
import { shown, usePost } from './use-post.ts';

/**
 * Actual vs designed journey: the design is a table of allowed transitions (each with an optional
 * maximum time) plus allowed start and end activities, prefilled from the frequent behaviour; the
 * result is the share of conforming cases and the deviations, most cases first.
 */
export function ConformanceView({
  map,
  scope,
  filter,
}: {
  map: JourneyMap;
  scope: DataScope;
  filter: JourneyFilterInput;
}) {
  const [draft, setDraft] = useState<JourneyModelInput>(() => designedJourney(map));
  // The design is checked when asked, not on every keystroke.
  const [model, setModel] = useState<JourneyModelInput>(draft);
  const [result, retry] = usePost<ConformanceResult>('/api/journeys/conformance', {
    scope,
    filter,
    ...model,
  });
  const r = shown(result);
  const activities = map.activities.map((a) => a.name);
  const dirty = JSON.stringify(draft) !== JSON.stringify(model);
  const setTransition = (i: number, patch: Partial<JourneyModelInput['transitions'][number]>) =>
    setDraft((d) => ({ ...d, transitions: d.transitions.map((t, j) => (j === i ? { ...t, ...patch } : t)) }));
  return (
    <div className="conformance-view">
      <div className="conformance-grid">
        <section aria-labelledby="design-title">
          <h3 id="design-title">Designed journey</h3>
          <p className="panel-note">
            Prefilled with the starts and ends of 80 % of the cases and the transitions of at least 5 % of
            them.
          </p>
          <ActivityList
            label="Start activities"
            values={draft.startActivities}
            options={activities}
            onChange={(startActivities) => setDraft((d) => ({ ...d, startActivities }))}
          />
          <ActivityList
            label="End activities"
            values={draft.endActivities}
            options={activities}
            onChange={(endActivities) => setDraft((d) => ({ ...d, endActivities }))}
          />
          <table className="variants transitions">
            <caption>Allowed transitions</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Max time (hours)</th>
                <th scope="col">
                  <span className="visually-hidden">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {draft.transitions.map((t, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the position is the identity.
                <tr key={i}>
                  <td>
                    <select
                      aria-label={`Transition ${i + 1} from`}
                      value={t.from}
                      onChange={(e) => setTransition(i, { from: e.target.value })}
                    >
                      {activities.map((a) => (
                        <option key={a}>{a}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <select
                      aria-label={`Transition ${i + 1} to`}
                      value={t.to}
                      onChange={(e) => setTransition(i, { to: e.target.value })}
                    >
                      {activities.map((a) => (
                        <option key={a}>{a}</option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <input
                      type="number"
                      min={0}
                      step="any"
                      className="days"
                      aria-label={`Transition ${i + 1} maximum hours`}
                      value={t.maxSeconds === undefined ? '' : t.maxSeconds / 3600}
                      onChange={(e) =>
                        setTransition(i, {
                          maxSeconds: Number(e.target.value) > 0 ? Number(e.target.value) * 3600 : undefined,
                        })
                      }
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small"
                      aria-label={`Remove transition ${i + 1}`}
                      onClick={() =>
                        setDraft((d) => ({ ...d, transitions: d.transitions.filter((_, j) => j !== i) }))
                      }
                      disabled={draft.transitions.length === 1}
                    >
                      ×
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button
              type="button"
              className="small"
              onClick={() =>
                setDraft((d) => ({
                  ...d,
                  transitions: [
                    ...d.transitions,
                    { from: activities[0] ?? '', to: activities[1] ?? activities[0] ?? '' },
                  ],
                }))
              }
            >
              Add transition
            </button>
            <button type="button" className="primary" disabled={!dirty} onClick={() => setModel(draft)}>
              Check conformance
            </button>
          </div>
        </section>
        <section aria-labelledby="conf-title" className={result.state === 'ready' ? '' : 'stale'}>
          <h3 id="conf-title">Actual journeys against the design</h3>
          {result.state === 'error' && (
            <ErrorBox retry={retry}>Conformance could not be checked: {result.message}</ErrorBox>
          )}
          {r && <ConformanceResultView r={r} />}
        </section>
      </div>
    </div>
  );
}

function ActivityList({
  label,
  values,
  options,
  onChange,
}: {
  label: string;
  values: string[];
  options: string[];
  onChange: (v: string[]) => void;
}) {
  const rest = options.filter((o) => !values.includes(o));
  return (
    <div className="activity-list">
      <span className="list-label">{label}</span>
      <ul className="jr-chips" aria-label={label}>
        {values.map((v) => (
          <li key={v}>
            <span>{v}</span>
            {values.length > 1 && (
              <button
                type="button"
                aria-label={`Remove ${v} from ${label.toLowerCase()}`}
                onClick={() => onChange(values.filter((x) => x !== v))}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {rest.length > 0 && (
        <select
          aria-label={`Add to ${label.toLowerCase()}`}
          value=""
          onChange={(e) => onChange([...values, e.target.value])}
        >
          <option value="">Add…</option>
          {rest.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      )}
    </div>
  );
}

const KIND_LABEL: Record<Deviation['kind'], string> = {
  'bad-start': 'Starts elsewhere',
  'bad-end': 'Ends elsewhere',
  'disallowed-transition': 'Transition not in the design',
  'too-slow': 'Slower than allowed',
  'missing-step': 'Milestone missing',
  'out-of-order': 'Out of order',
};

function ConformanceResultView({ r }: { r: ConformanceResult }) {
  return (
    <>
      <dl className="kpi-strip conformance-kpis">
        <div className="kpi">
          <dt>Conforming</dt>
          <dd className="value" data-testid="conformance-share">
            {formatPct(r.share)}
          </dd>
          <dd className="sub">
            {formatInt(r.conformingCases)} of {formatInt(r.cases)} cases
          </dd>
        </div>
        <div className="kpi">
          <dt>Mean duration</dt>
          <dd className="value">{formatDuration(r.meanCaseSecondsConforming)}</dd>
          <dd className="sub">conforming; deviating {formatDuration(r.meanCaseSecondsDeviating)}</dd>
        </div>
      </dl>
      {r.deviations.length === 0 ? (
        <p className="empty">Every case follows the design.</p>
      ) : (
        <table className="variants">
          <caption className="visually-hidden">Deviations, most cases first</caption>
          <thead>
            <tr>
              <th scope="col">Deviation</th>
              <th scope="col">Where</th>
              <th scope="col" className="num">
                Cases
              </th>
              <th scope="col" className="num">
                Times
              </th>
              <th scope="col" className="num">
                Time lost
              </th>
              <th scope="col" className="num">
                Mean case duration
              </th>
            </tr>
          </thead>
          <tbody>
            {r.deviations.slice(0, 30).map((d) => (
              <tr key={`${d.kind}:${d.from ?? ''}:${d.to ?? ''}:${d.activity ?? ''}`}>
                <td>{KIND_LABEL[d.kind]}</td>
                <td>{d.activity ?? `${d.from} → ${d.to}`}</td>
                <td className="num">{formatInt(d.cases)}</td>
                <td className="num muted">{formatInt(d.occurrences)}</td>
                <td className="num">{d.extraSeconds > 0 ? formatDuration(d.extraSeconds) : '—'}</td>
                <td className="num">{formatDuration(d.meanCaseSeconds)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
