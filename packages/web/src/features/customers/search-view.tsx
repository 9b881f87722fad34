import type { CustomerSearch, JourneyAttributes } from '@cx/core';
import { type FormEvent, type MouseEvent, useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import { ErrorBox } from '../../lib/load-status.tsx';
import { shownOf, useGet } from '../../lib/use-get.ts';
import { day, money } from './labels.ts';

const PAGE = 25;

/** The search's state lives in the URL (?q=&segment=&region=&offset=), so back and links work. */
function fromUrl() {
  const p = new URLSearchParams(window.location.search);
  return {
    q: p.get('q') ?? '',
    segment: p.get('segment') ?? '',
    region: p.get('region') ?? '',
    offset: Math.max(0, Number(p.get('offset')) || 0),
  };
}

export function CustomerSearchView({ navigate }: { navigate: (to: string) => void }) {
  const [params, setParams] = useState(fromUrl);
  const [draft, setDraft] = useState(params.q);
  const [values, setValues] = useState<JourneyAttributes | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    getJson<JourneyAttributes>('/api/journeys/attributes', ctl.signal).then(setValues, () => {
      // Without the lists the filters stay hidden; search by id still works.
    });
    return () => ctl.abort();
  }, []);
  useEffect(() => {
    const onPop = () => {
      const p = fromUrl();
      setParams(p);
      setDraft(p.q);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const query = new URLSearchParams({
    ...(params.q ? { q: params.q } : {}),
    ...(params.segment ? { segment: params.segment } : {}),
    ...(params.region ? { region: params.region } : {}),
    ...(params.offset ? { offset: String(params.offset) } : {}),
  }).toString();
  const [result, retry] = useGet<CustomerSearch>(`/api/customers?limit=${PAGE}${query ? `&${query}` : ''}`);
  const shown = shownOf(result);

  const update = (next: Partial<typeof params>) => {
    const p = { ...params, offset: 0, ...next };
    setParams(p);
    const qs = new URLSearchParams({
      ...(p.q ? { q: p.q } : {}),
      ...(p.segment ? { segment: p.segment } : {}),
      ...(p.region ? { region: p.region } : {}),
      ...(p.offset ? { offset: String(p.offset) } : {}),
    }).toString();
    window.history.replaceState(null, '', `/customers${qs ? `?${qs}` : ''}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ q: draft.trim() });
  };
  const open = (e: MouseEvent<HTMLAnchorElement>, id: string) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    navigate(`/customers/${encodeURIComponent(id)}`);
  };

  return (
    <div className="page c360">
      <header className="page-head">
        <h1>Customers</h1>
        <p className="period">
          Search by customer id or any id from another system (CRM, billing, web cookie …)
        </p>
      </header>
      <form className="c360-search" aria-label="Customer search" onSubmit={submit}>
        <label>
          <span>Customer or external id</span>
          <input
            type="search"
            value={draft}
            placeholder="e.g. C0000042 or CRM-…"
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        {values && (
          <>
            <label>
              <span>Segment</span>
              <select value={params.segment} onChange={(e) => update({ segment: e.target.value })}>
                <option value="">All segments</option>
                {values.segments.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>Region</span>
              <select value={params.region} onChange={(e) => update({ region: e.target.value })}>
                <option value="">All regions</option>
                {values.regions.map((s) => (
                  <option key={s.name} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <button type="submit">Search</button>
      </form>
      {result.state === 'error' && <ErrorBox retry={retry}>The search failed: {result.message}</ErrorBox>}
      {!shown && result.state === 'loading' && <p className="loading">Searching…</p>}
      {shown && (
        <section
          className={`panel ${result.state === 'ready' ? '' : 'stale'}`}
          aria-labelledby="c360-results"
          aria-busy={result.state === 'loading'}
        >
          <h2 id="c360-results">Results</h2>
          {shown.customers.length === 0 ? (
            <p className="empty">No customer matches{params.q ? ` “${params.q}”` : ''}.</p>
          ) : (
            <>
              <p className="panel-note" data-testid="c360-count">
                {formatInt(shown.offset + 1)}–{formatInt(shown.offset + shown.customers.length)} of{' '}
                {formatInt(shown.total)} customers
              </p>
              <table className="c360-table">
                <caption className="visually-hidden">Customers found</caption>
                <thead>
                  <tr>
                    <th scope="col">Customer</th>
                    <th scope="col">Segment</th>
                    <th scope="col">Region</th>
                    <th scope="col">Customer since</th>
                    <th scope="col" className="num">
                      Products
                    </th>
                    <th scope="col" className="num">
                      Revenue / month
                    </th>
                    <th scope="col">Matched by</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.customers.map((c) => (
                    <tr key={c.customerId}>
                      <th scope="row">
                        <a
                          href={`/customers/${encodeURIComponent(c.customerId)}`}
                          onClick={(e) => open(e, c.customerId)}
                        >
                          {c.customerId}
                        </a>
                      </th>
                      <td>{c.segment ?? '—'}</td>
                      <td>{c.region ?? '—'}</td>
                      <td>{day(c.createdAt)}</td>
                      <td className="num">{c.products ?? '—'}</td>
                      <td className="num">{money(c.revenue)}</td>
                      <td className="muted">{c.matchedBy ?? (params.q ? 'customer id' : '')}</td>
                      <td>{c.churned ? <span className="c360-badge churned">churned</span> : 'active'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <nav className="c360-pager" aria-label="Result pages">
                <button
                  type="button"
                  disabled={shown.offset === 0}
                  onClick={() => update({ offset: Math.max(0, shown.offset - PAGE) })}
                >
                  Previous
                </button>
                <button
                  type="button"
                  disabled={shown.offset + shown.customers.length >= shown.total}
                  onClick={() => update({ offset: shown.offset + PAGE })}
                >
                  Next
                </button>
              </nav>
            </>
          )}
        </section>
      )}
    </div>
  );
}
