import type { Comments, FeedbackComment, Scores, Themes } from '@cx/core';
import { useEffect, useState } from 'react';
import { formatInt } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { queryString, shownOf, useGet } from '../../lib/use-get.ts';
import { labelOf } from './format-metric.ts';
import { Highlighted } from './highlight.tsx';
import { LabelControl } from './label-control.tsx';
import type { PeriodQuery } from './score-dashboard.tsx';
import type { StoredTaxonomy } from './text-api.ts';

const PAGE = 25;
const SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Waits until typing pauses before searching, so each keystroke does not cost a query. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return v;
}

export function CommentExplorer({ period }: { period: PeriodQuery }) {
  // Filters live in the address (?q=…&theme=…), so a search can be linked to and survives reload.
  const [initial] = useState(() => new URLSearchParams(window.location.search));
  const [text, setText] = useState(initial.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  const [category, setCategory] = useState(initial.get('category') ?? '');
  const [npsMin, setNpsMin] = useState(initial.get('npsMin') ?? '');
  const [npsMax, setNpsMax] = useState(initial.get('npsMax') ?? '');
  const [sentiment, setSentiment] = useState(initial.get('sentiment') ?? '');
  const [theme, setTheme] = useState(initial.get('theme') ?? '');
  const [journey, setJourney] = useState(initial.get('journey') ?? '');
  const [offset, setOffset] = useState(0);
  const filters = { q, category, npsMin, npsMax, sentiment, theme, journey, ...period };
  const key = JSON.stringify(filters);
  useEffect(() => {
    const search = queryString({ q, category, npsMin, npsMax, sentiment, theme, journey });
    if (search !== window.location.search)
      window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  }, [q, category, npsMin, npsMax, sentiment, theme, journey]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change starts again at the first page.
  useEffect(() => setOffset(0), [key]);
  const [result, retry] = useGet<Comments>(
    `/api/feedback/comments${queryString({ ...filters, limit: PAGE, offset })}`,
  );
  const [themes] = useGet<Themes>(`/api/feedback/themes${queryString({ ...period })}`);
  const [journeys] = useGet<Scores>(`/api/feedback/scores${queryString({ by: 'journey', ...period })}`);
  // The label control offers the themes of the current taxonomy (not only those seen in this period).
  const [taxonomy] = useGet<StoredTaxonomy>('/api/text/taxonomy');
  const labelThemes = shownOf(taxonomy)?.themes ?? [];
  const data = shownOf(result);
  const themeNames = shownOf(themes)?.themes.map((t) => t.theme) ?? [];
  const journeyNames = (shownOf(journeys)?.groups ?? []).flatMap((g) => (g.group ? [g.group] : [])).sort();
  return (
    <section className="panel" aria-labelledby="fb-comments-title">
      <h2 id="fb-comments-title">Comments</h2>
      <search className="fb-filters">
        <div className="field grow">
          <label htmlFor="fb-f-search">Search</label>
          <input
            id="fb-f-search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="words that must all occur"
          />
        </div>
        <div className="field">
          <label htmlFor="fb-f-nps-group">NPS group</label>
          <select id="fb-f-nps-group" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            <option value="promoter">Promoters (9–10)</option>
            <option value="passive">Passives (7–8)</option>
            <option value="detractor">Detractors (0–6)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="fb-f-nps-min">NPS from</label>
          <select id="fb-f-nps-min" value={npsMin} onChange={(e) => setNpsMin(e.target.value)}>
            <option value="">0</option>
            {SCORES.slice(1).map((v) => (
              <option key={v} value={v} disabled={npsMax !== '' && v > Number(npsMax)}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fb-f-nps-max">to</label>
          <select id="fb-f-nps-max" value={npsMax} onChange={(e) => setNpsMax(e.target.value)}>
            <option value="">10</option>
            {SCORES.slice(0, -1).map((v) => (
              <option key={v} value={v} disabled={npsMin !== '' && v < Number(npsMin)}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fb-f-sentiment">Sentiment</label>
          <select id="fb-f-sentiment" value={sentiment} onChange={(e) => setSentiment(e.target.value)}>
            <option value="">All</option>
            <option value="negative">Negative</option>
            <option value="neutral">Neutral</option>
            <option value="positive">Positive</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="fb-f-theme">Theme</label>
          <select id="fb-f-theme" value={theme} onChange={(e) => setTheme(e.target.value)}>
            <option value="">All</option>
            {themeNames.map((t) => (
              <option key={t} value={t}>
                {labelOf(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="fb-f-journey">Journey</label>
          <select id="fb-f-journey" value={journey} onChange={(e) => setJourney(e.target.value)}>
            <option value="">All</option>
            {journeyNames.map((j) => (
              <option key={j} value={j}>
                {labelOf(j)}
              </option>
            ))}
          </select>
        </div>
      </search>
      <LoadStatus result={result} retry={retry} what="comments" />
      {data && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <p className="panel-note" data-testid="comment-total">
            {formatInt(data.total)} {data.total === 1 ? 'comment' : 'comments'}
            {data.total > 0 &&
              `, newest first; ${formatInt(data.offset + 1)}–${formatInt(data.offset + data.comments.length)} shown`}
          </p>
          <ol className="fb-comments" aria-label="Comments found">
            {data.comments.map((c) => (
              <CommentItem key={c.responseId} c={c} onTheme={setTheme} labelThemes={labelThemes} />
            ))}
          </ol>
          <div className="pager">
            <button
              type="button"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE))}
            >
              Newer
            </button>
            <button
              type="button"
              disabled={offset + PAGE >= data.total}
              onClick={() => setOffset(offset + PAGE)}
            >
              Older
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

const npsClass = (n: number) => (n >= 9 ? 'promoter' : n >= 7 ? 'passive' : 'detractor');

function CommentItem({
  c,
  onTheme,
  labelThemes,
}: {
  c: FeedbackComment;
  onTheme: (t: string) => void;
  labelThemes: { id: string; label: string }[];
}) {
  return (
    <li className="fb-comment" data-response-id={c.responseId}>
      <div className="meta">
        {c.nps !== null && (
          <span
            className={`badge ${npsClass(c.nps)}`}
            title={`NPS answer ${c.nps} of 10 (${npsClass(c.nps)})`}
          >
            NPS {c.nps}
          </span>
        )}
        {c.csat !== null && <span className="badge plain">CSAT {c.csat}/5</span>}
        {c.ces !== null && <span className="badge plain">CES {c.ces}/7</span>}
        {c.sentiment && (
          <span className={`sentiment ${c.sentiment}`} data-testid="sentiment">
            {c.sentiment}
            {c.sentimentScore !== null &&
              ` (${c.sentimentScore > 0 ? '+' : ''}${c.sentimentScore.toFixed(2)})`}
          </span>
        )}
        <span className="muted">
          {[c.journey && labelOf(c.journey), c.channel && labelOf(c.channel), c.ts?.slice(0, 10)]
            .filter(Boolean)
            .join(' · ')}
        </span>
        <LabelControl responseId={c.responseId} comment={c.comment} themes={labelThemes} />
      </div>
      {/* Untrusted text: React escapes it; never dangerouslySetInnerHTML. */}
      <p className="text">
        <Highlighted text={c.comment} spans={c.matches} />
      </p>
      {c.themes.length > 0 && (
        <ul className="chips" aria-label="Themes">
          {c.themes.map((t) => (
            <li key={t}>
              <button
                type="button"
                className="chip"
                onClick={() => onTheme(t)}
                title="Show comments with this theme"
              >
                {labelOf(t)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
