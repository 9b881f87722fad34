import type { DataScope, JourneyFilterInput, VariantsPage } from '@cx/core';
import { useState } from 'react';
import { formatDuration, formatInt, formatPct } from '../../lib/format.ts';
import { ErrorBox } from '../../lib/load-status.tsx';
import { shown, usePost } from './use-post.ts';

const PAGE = 25;

/** Variants, most frequent first; a click keeps only the cases of that variant. */
export function VariantsTable({
  scope,
  filter,
  onVariant,
}: {
  scope: DataScope;
  filter: JourneyFilterInput;
  onVariant: (activities: string[]) => void;
}) {
  const [limit, setLimit] = useState(PAGE);
  const [result, retry] = usePost<VariantsPage>('/api/journeys/variants', {
    scope,
    filter,
    limit,
    offset: 0,
  });
  const page = shown(result);
  if (result.state === 'error' && !page)
    return <ErrorBox retry={retry}>The variants could not be loaded: {result.message}</ErrorBox>;
  if (!page) return <p className="loading">Loading the variants…</p>;
  if (!page.variants.length) return <p className="empty">No cases match the scope and filter.</p>;
  const max = page.variants[0]!.count;
  return (
    <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
      <p className="panel-note">
        {formatInt(page.total)} variants over {formatInt(page.cases)} cases. The top{' '}
        {formatInt(page.variants.length)} cover{' '}
        {formatPct(page.variants[page.variants.length - 1]!.cumulativeShare)} of the cases.
      </p>
      <table className="variants">
        <caption className="visually-hidden">Variants by number of cases</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">Path</th>
            <th scope="col" className="num">
              Cases
            </th>
            <th scope="col" className="num">
              Share
            </th>
            <th scope="col" className="num">
              Cumulative
            </th>
            <th scope="col" className="num">
              Median duration
            </th>
            <th scope="col">
              <span className="visually-hidden">Filter</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {page.variants.map((v) => (
            <tr key={v.rank}>
              <td className="num muted">{v.rank}</td>
              <td>
                <ol className="steps" aria-label={`${v.activities.length} steps`}>
                  {v.activities.map((a, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: an activity may repeat in a path; the position is its identity.
                    <li key={i}>
                      <span className="step">{a}</span>
                    </li>
                  ))}
                </ol>
              </td>
              <td className="num count">
                {formatInt(v.count)}
                <span className="bar" style={{ width: `${(100 * v.count) / max}%` }} />
              </td>
              <td className="num">{formatPct(v.share)}</td>
              <td className="num muted">{formatPct(v.cumulativeShare)}</td>
              <td className="num">{formatDuration(v.medianSeconds)}</td>
              <td>
                <button
                  type="button"
                  className="small"
                  aria-label={`Keep only variant ${v.rank}`}
                  onClick={() => onVariant(v.activities)}
                >
                  Filter
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.variants.length < page.total && (
        <button type="button" className="more" onClick={() => setLimit((l) => Math.min(1000, l + PAGE * 2))}>
          Show more variants
        </button>
      )}
    </div>
  );
}
