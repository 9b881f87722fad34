import type { CustomerFileResponse, CustomerSummary } from '@cx/core';
import { type MouseEvent, useEffect, useState } from 'react';
import { sendJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import { useGet } from '../../lib/use-get.ts';
import { day, money } from './labels.ts';
import { OutcomesChart } from './outcomes-chart.tsx';
import { ScoreTiles } from './score-tiles.tsx';
import { Timeline } from './timeline.tsx';

/** The 360 page of one customer: header, score tiles, summary, identities, money, timeline. */
export function CustomerView({ id, navigate }: { id: string; navigate: (to: string) => void }) {
  const [result, retry] = useGet<CustomerFileResponse>(`/api/customers/${encodeURIComponent(id)}`);
  const back = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate('/customers');
  };
  return (
    <div className="page c360">
      <p className="c360-back">
        <a href="/customers" onClick={back}>
          ← Customers
        </a>
      </p>
      {result.state === 'loading' && !result.previous && (
        <p className="loading">Loading the customer file…</p>
      )}
      {result.state === 'error' && (
        <div role="alert" className="error">
          <p>
            {result.status === 404 ? 'Not found: ' : 'The customer file could not be loaded: '}
            {result.message}
          </p>
          {result.status !== 404 && (
            <button type="button" onClick={retry}>
              Try again
            </button>
          )}
        </div>
      )}
      {result.state === 'ready' && <CustomerBody f={result.data} />}
    </div>
  );
}

function tenureOf(createdAt: string, asOf: string): string {
  const from = new Date(createdAt);
  const to = new Date(asOf);
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months--;
  if (months < 1) return 'less than a month';
  if (months < 12) return `${months} month${months === 1 ? '' : 's'}`;
  const y = Math.floor(months / 12);
  return `${y} year${y === 1 ? '' : 's'}`;
}

function CustomerBody({ f }: { f: CustomerFileResponse }) {
  const c = f.customer;
  const last = f.outcomes.at(-1);
  const churned = f.outcomes.some((o) => o.churned);
  const events = f.timeline.reduce((s, k) => s + k.events.length, 0);
  return (
    <>
      <header className="page-head c360-head">
        <h1>Customer {c.customerId}</h1>
        {churned && <span className="c360-badge churned">churned</span>}
      </header>
      <dl className="c360-facts" aria-label="Customer facts">
        <div>
          <dt>Segment</dt>
          <dd>{c.segment ?? '—'}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{c.region ?? '—'}</dd>
        </div>
        <div>
          <dt>Customer since</dt>
          <dd>{c.createdAt ? `${day(c.createdAt)} (${tenureOf(c.createdAt, f.asOf)})` : '—'}</dd>
        </div>
        <div>
          <dt>Products</dt>
          <dd data-testid="c360-products">
            {last?.products ?? '—'}
            {f.productNames.length > 0 && last?.products === f.productNames.length && (
              <span className="muted"> ({f.productNames.join(', ')})</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Revenue / month</dt>
          <dd data-testid="c360-revenue">
            {money(last?.revenue ?? null)}
            {last && <span className="muted"> in {last.period.slice(0, 7)}</span>}
          </dd>
        </div>
        <div>
          <dt>Activity</dt>
          <dd data-testid="c360-activity">
            {formatInt(events)} events in {formatInt(f.timeline.length)} journeys,{' '}
            {formatInt(f.responses.length)} survey responses
          </dd>
        </div>
      </dl>
      <ScoreTiles f={f} />
      <SummaryBox f={f} />
      <div className="c360-two">
        <section className="panel" aria-labelledby="c360-ids">
          <h2 id="c360-ids">Identities</h2>
          {f.identities.length === 0 ? (
            <p className="empty">No ids from other systems.</p>
          ) : (
            <table className="c360-table">
              <caption className="visually-hidden">Ids of this customer in other systems</caption>
              <thead>
                <tr>
                  <th scope="col">System</th>
                  <th scope="col">External id</th>
                </tr>
              </thead>
              <tbody>
                {f.identities.map((i) => (
                  <tr key={`${i.source}\u0000${i.externalId}`}>
                    <td>{i.source.replaceAll('_', ' ')}</td>
                    <td>
                      <code>{i.externalId}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 id="c360-cases" className="c360-sub">
            Follow-up cases
          </h2>
          {f.cases.length === 0 ? (
            <p className="empty">No follow-up cases.</p>
          ) : (
            <table className="c360-table" aria-labelledby="c360-cases">
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">State</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Opened</th>
                </tr>
              </thead>
              <tbody>
                {f.cases.map((k) => (
                  <tr key={k.caseId}>
                    <td>{k.title}</td>
                    <td>{k.state}</td>
                    <td>{k.priority}</td>
                    <td>{day(k.openedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="c360-money">
          <h2 id="c360-money">Revenue and products by month</h2>
          <OutcomesChart outcomes={f.outcomes} />
        </section>
      </div>
      <Timeline f={f} />
    </>
  );
}

function SummaryBox({ f }: { f: CustomerFileResponse }) {
  const [summary, setSummary] = useState<CustomerSummary>(f.summary);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setSummary(f.summary), [f.summary]);
  const askLlm = async () => {
    setBusy(true);
    setError(null);
    try {
      setSummary(
        await sendJson<CustomerSummary>(
          'POST',
          `/api/customers/${encodeURIComponent(f.customer.customerId)}/summary`,
          {
            llm: true,
          },
        ),
      );
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel c360-summary" aria-labelledby="c360-summary" aria-busy={busy}>
      <div className="c360-summary-head">
        <h2 id="c360-summary">Summary</h2>
        <p className="muted" data-testid="c360-summary-source">
          {summary.source === 'llm'
            ? `Written by ${summary.model ?? 'the LLM'} from the PII-redacted file`
            : 'Extractive: sentences built from the file, offline'}
        </p>
        {f.llm.configured && (
          <button type="button" onClick={askLlm} disabled={busy}>
            {busy ? 'Summarising…' : 'Summarise with LLM'}
          </button>
        )}
      </div>
      {summary.note && (
        <p className="warn" role="status">
          {summary.note}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="c360-summary-text">{summary.text}</p>
    </section>
  );
}
