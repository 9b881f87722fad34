import type { CustomerFileResponse, CustomerResponse, TimelineCase } from '@cx/core';
import { useMemo, useState } from 'react';
import { formatDuration, formatInt } from '../../lib/format.ts';
import { channelLabel, day, dayTime, journeyLabel, npsClass } from './labels.ts';

const FIRST = 40;

type Item =
  | { kind: 'case'; at: string; c: TimelineCase; responses: CustomerResponse[] }
  | { kind: 'response'; at: string; r: CustomerResponse };

/**
 * Every journey instance of the customer, newest first, with its steps (channel, wait) and the
 * survey answers about it inline; answers not tied to a case stand on their own. Filter by journey.
 */
export function Timeline({ f }: { f: CustomerFileResponse }) {
  const [journey, setJourney] = useState('');
  const [all, setAll] = useState(false);
  const journeys = useMemo(
    () => [...new Set(f.timeline.map((c) => c.journey ?? 'other'))].sort(),
    [f.timeline],
  );
  const items = useMemo(() => {
    const byCase = new Map<string, CustomerResponse[]>();
    const caseIds = new Set(f.timeline.map((c) => c.caseId));
    const loose: Item[] = [];
    for (const r of f.responses) {
      if (r.caseId && caseIds.has(r.caseId)) byCase.set(r.caseId, [...(byCase.get(r.caseId) ?? []), r]);
      else loose.push({ kind: 'response', at: r.ts ?? '', r });
    }
    const list: Item[] = [
      ...f.timeline.map(
        (c): Item => ({ kind: 'case', at: c.start, c, responses: byCase.get(c.caseId) ?? [] }),
      ),
      ...loose,
    ];
    return list
      .filter((i) =>
        journey === ''
          ? true
          : i.kind === 'case'
            ? (i.c.journey ?? 'other') === journey
            : i.r.journey === journey,
      )
      .sort((a, b) => b.at.localeCompare(a.at));
  }, [f, journey]);
  const shown = all ? items : items.slice(0, FIRST);
  const cases = items.filter((i) => i.kind === 'case') as Extract<Item, { kind: 'case' }>[];
  const events = cases.reduce((s, i) => s + i.c.events.length, 0);
  return (
    <section className="panel" aria-labelledby="c360-timeline">
      <div className="c360-summary-head">
        <h2 id="c360-timeline">Timeline</h2>
        <label className="c360-filter">
          <span>Journey</span>
          <select value={journey} onChange={(e) => setJourney(e.target.value)}>
            <option value="">All journeys</option>
            {journeys.map((j) => (
              <option key={j} value={j}>
                {journeyLabel(j)}
              </option>
            ))}
          </select>
        </label>
        <p className="muted" data-testid="c360-timeline-count">
          {formatInt(cases.length)} journeys, {formatInt(events)} events
        </p>
      </div>
      {f.timelineTruncated && (
        <p className="warn">This customer has more events than the page shows; the oldest are left out.</p>
      )}
      {items.length === 0 ? (
        <p className="empty">No events on record.</p>
      ) : (
        <ol className="c360-timeline">
          {shown.map((i) =>
            i.kind === 'case' ? (
              <CaseItem key={`c:${i.c.caseId}`} c={i.c} responses={i.responses} />
            ) : (
              <li key={`r:${i.r.responseId}`} className="c360-item">
                <div className="c360-when">{day(i.r.ts)}</div>
                <div className="c360-what">
                  <ResponseLine r={i.r} />
                </div>
              </li>
            ),
          )}
        </ol>
      )}
      {!all && items.length > FIRST && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {formatInt(items.length)} entries
        </button>
      )}
    </section>
  );
}

function CaseItem({ c, responses }: { c: TimelineCase; responses: CustomerResponse[] }) {
  const label = `${journeyLabel(c.journey)}, ${day(c.start)}`;
  return (
    <li className="c360-item">
      <div className="c360-when">
        {day(c.start)}
        {day(c.end) !== day(c.start) && <span className="muted"> – {day(c.end)}</span>}
      </div>
      <article className="c360-what" aria-label={label}>
        <h3>
          {journeyLabel(c.journey)}
          <span className="muted">
            {' '}
            · {c.events.length} step{c.events.length === 1 ? '' : 's'}
            {c.contacts > 0 &&
              ` · ${c.contacts} contact${c.contacts === 1 ? '' : 's'}, waited ${formatDuration(c.waitSeconds)}`}
          </span>
        </h3>
        <ol className="c360-steps" aria-label={`${c.events.length} steps`}>
          {c.events.map((e) => (
            <li key={e.eventId} title={`${dayTime(e.ts)} UTC${e.resource ? ` · ${e.resource}` : ''}`}>
              <span className={`c360-ch ch-${e.channel ?? 'none'}`}>{channelLabel(e.channel)}</span>
              <span className="c360-act">{e.activity}</span>
              {e.waitSeconds !== null && (
                <span className="c360-wait">waited {formatDuration(e.waitSeconds)}</span>
              )}
            </li>
          ))}
        </ol>
        {responses.map((r) => (
          <ResponseLine key={r.responseId} r={r} />
        ))}
      </article>
    </li>
  );
}

function ResponseLine({ r }: { r: CustomerResponse }) {
  return (
    <div className="c360-response">
      <span className="c360-survey">Survey {day(r.ts)}</span>
      {r.nps !== null && <span className={`c360-score ${npsClass(r.nps)}`}>NPS {r.nps}</span>}
      {r.csat !== null && <span className="c360-score">CSAT {r.csat}/5</span>}
      {r.ces !== null && <span className="c360-score">CES {r.ces}/7</span>}
      {r.elements &&
        Object.entries(r.elements).map(([k, v]) => (
          <span key={k} className="c360-el">
            {k} {v}
          </span>
        ))}
      {r.comment && (
        <blockquote className={`c360-comment ${r.sentiment ?? ''}`}>
          “{r.comment}”
          <footer>
            {r.sentiment ?? 'sentiment not analysed'}
            {r.themes.length > 0 && ` · ${r.themes.map((t) => t.replaceAll('_', ' ')).join(', ')}`}
          </footer>
        </blockquote>
      )}
    </div>
  );
}
