import { text } from '@cx/core';
import { useEffect, useMemo, useState } from 'react';
import { sendJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { shownOf, useGet } from '../../lib/use-get.ts';
import type { StoredTaxonomy, TaxonomyVersion } from './text-api.ts';
import './taxonomy.css';

/**
 * The theme taxonomy, editable (issue 5): the draft lives in the browser until "Save", which stores
 * it as the next version (earlier versions stay). Keywords are edited as comma lists because that
 * is how people paste them; the "test a comment" box runs core's matcher on the unsaved draft so
 * an edit shows its effect at once.
 */
interface DraftTheme {
  /** Stable React key: ids are edited, so they cannot be the key. */
  key: number;
  id: string;
  label: string;
  keywords: string;
  excludes: string;
  parent?: string;
}

let nextKey = 1;
const toDraft = (t: text.Theme): DraftTheme => ({
  key: nextKey++,
  id: t.id,
  label: t.label,
  keywords: t.keywords.join(', '),
  excludes: (t.excludes ?? []).join(', '),
  ...(t.parent === undefined ? {} : { parent: t.parent }),
});
const splitList = (s: string) =>
  s
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

function fromDraft(d: DraftTheme): text.Theme {
  const excludes = splitList(d.excludes);
  return {
    id: d.id.trim(),
    label: d.label.trim(),
    keywords: splitList(d.keywords),
    ...(excludes.length ? { excludes } : {}),
    ...(d.parent ? { parent: d.parent } : {}),
  };
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

export function TaxonomyView() {
  const [stored, retryStored] = useGet<StoredTaxonomy>('/api/text/taxonomy');
  const [versions, retryVersions] = useGet<TaxonomyVersion[]>('/api/text/taxonomy/versions');
  const current = shownOf(stored);
  const [draft, setDraft] = useState<DraftTheme[] | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [sample, setSample] = useState('');

  // A freshly loaded (or freshly saved) taxonomy replaces the draft unless the user is editing.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new server answer resets the draft.
  useEffect(() => {
    if (current && !dirty) setDraft(current.themes.map(toDraft));
  }, [current]);

  const edit = (key: number, patch: Partial<DraftTheme>) => {
    setDirty(true);
    setMessage(null);
    setDraft((ds) => ds?.map((d) => (d.key === key ? { ...d, ...patch } : d)) ?? null);
  };
  const remove = (key: number) => {
    setDirty(true);
    setMessage(null);
    setDraft((ds) => ds?.filter((d) => d.key !== key) ?? null);
  };
  const add = () => {
    setDirty(true);
    setMessage(null);
    setDraft((ds) => [...(ds ?? []), { key: nextKey++, id: '', label: '', keywords: '', excludes: '' }]);
  };

  // The draft as a taxonomy, validated by the same schema the server uses.
  const checked = useMemo(() => {
    if (!draft || !current) return null;
    return text.TaxonomySchema.safeParse({ version: current.version + 1, themes: draft.map(fromDraft) });
  }, [draft, current]);
  const matches = useMemo(() => {
    if (!checked?.success || sample.trim() === '') return null;
    return text.matchThemes(sample, checked.data);
  }, [checked, sample]);
  const labelOfId = (id: string) => draft?.find((d) => d.id.trim() === id)?.label || id;

  const save = async () => {
    if (!draft || !current) return;
    setSaving(true);
    setMessage(null);
    try {
      // The server validates too and names the offending field; its message is shown as is.
      const saved = await sendJson<StoredTaxonomy>('PUT', '/api/text/taxonomy', {
        themes: draft.map(fromDraft),
      });
      setDirty(false);
      setDraft(saved.themes.map(toDraft));
      setMessage({ kind: 'ok', text: `Saved as version ${saved.version}.` });
      retryStored();
      retryVersions();
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };
  const discard = () => {
    if (!current) return;
    setDirty(false);
    setMessage(null);
    setDraft(current.themes.map(toDraft));
  };

  const localIssue = checked && !checked.success ? checked.error.issues[0] : undefined;
  const vs = shownOf(versions);
  return (
    <div className="tx-layout">
      <section className="panel tx-main" aria-labelledby="tx-title">
        <div className="panel-head">
          <h2 id="tx-title">
            Theme taxonomy{current && <span className="muted"> · version {current.version}</span>}
            {dirty && <span className="tx-dirty"> · unsaved changes</span>}
          </h2>
        </div>
        <p className="panel-note">
          A comment has a theme when it contains one of its keywords and none of its excludes. Words match in
          any inflection (“delay” finds “delayed”); <code>warte*</code> is a prefix; <code>"calls"</code>{' '}
          matches only that exact word.
        </p>
        <LoadStatus result={stored} retry={retryStored} what="taxonomy" />
        {draft && current && (
          <>
            <div className="table-scroll">
              <table className="tx-table" aria-label="Themes of the taxonomy">
                <thead>
                  <tr>
                    <th scope="col">Id</th>
                    <th scope="col">Label</th>
                    <th scope="col">Keywords (comma-separated)</th>
                    <th scope="col">Excludes</th>
                    <th scope="col">
                      <span className="visually-hidden">Remove</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {draft.map((d, i) => (
                    <tr key={d.key} data-theme-id={d.id}>
                      <td>
                        <input
                          className="tx-id"
                          aria-label={`Id of theme ${i + 1}`}
                          value={d.id}
                          onChange={(e) => edit(d.key, { id: e.target.value })}
                          spellCheck={false}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={`Label of theme ${i + 1}`}
                          value={d.label}
                          onChange={(e) => edit(d.key, { label: e.target.value })}
                        />
                      </td>
                      <td className="tx-kw">
                        <textarea
                          rows={1}
                          aria-label={`Keywords of ${d.label || d.id || `theme ${i + 1}`}`}
                          value={d.keywords}
                          onChange={(e) => edit(d.key, { keywords: e.target.value })}
                          spellCheck={false}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={`Excludes of ${d.label || d.id || `theme ${i + 1}`}`}
                          value={d.excludes}
                          onChange={(e) => edit(d.key, { excludes: e.target.value })}
                          spellCheck={false}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          className="tx-remove"
                          aria-label={`Remove ${d.label || d.id || `theme ${i + 1}`}`}
                          title="Remove this theme"
                          onClick={() => remove(d.key)}
                        >
                          ×
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="tx-actions">
              <button type="button" onClick={add}>
                Add theme
              </button>
              <span className="grow" />
              {dirty && (
                <button type="button" onClick={discard} disabled={saving}>
                  Discard changes
                </button>
              )}
              <button type="button" className="tx-primary" onClick={save} disabled={saving || !dirty}>
                {saving ? 'Saving…' : `Save as version ${(vs?.at(-1)?.version ?? current.version) + 1}`}
              </button>
            </div>
            {localIssue && dirty && (
              <p className="tx-warn" data-testid="taxonomy-check">
                Not valid yet: {localIssue.path.join('.')}: {localIssue.message}
              </p>
            )}
            {message && (
              <p role={message.kind === 'error' ? 'alert' : 'status'} className={`tx-msg ${message.kind}`}>
                {message.kind === 'error' ? `Not saved: ${message.text}` : message.text}
              </p>
            )}
          </>
        )}
      </section>
      <aside className="tx-side">
        <section className="panel" aria-labelledby="tx-test-title">
          <h2 id="tx-test-title">Test a comment</h2>
          <p className="panel-note">Matched against the taxonomy as edited above, saved or not.</p>
          <label className="visually-hidden" htmlFor="tx-sample">
            Comment to test
          </label>
          <textarea
            id="tx-sample"
            rows={4}
            value={sample}
            onChange={(e) => setSample(e.target.value)}
            placeholder="e.g. I waited 40 minutes on hold and the invoice was wrong"
          />
          <div data-testid="taxonomy-matches" aria-live="polite">
            {sample.trim() === '' ? null : localIssue ? (
              <p className="muted">Fix the taxonomy first: {localIssue.message}</p>
            ) : matches && matches.length > 0 ? (
              <ul className="tx-chips" aria-label="Matching themes">
                {matches.map((id) => (
                  <li key={id}>
                    <span className="tx-chip">{labelOfId(id)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">No theme matches.</p>
            )}
          </div>
        </section>
        <section className="panel" aria-labelledby="tx-versions-title">
          <h2 id="tx-versions-title">Versions</h2>
          <LoadStatus result={versions} retry={retryVersions} what="versions" />
          {vs && (
            <table className="tx-versions" aria-label="Taxonomy versions">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Themes</th>
                  <th scope="col">Created</th>
                  <th scope="col">By</th>
                </tr>
              </thead>
              <tbody>
                {[...vs].reverse().map((v) => (
                  <tr key={v.version} aria-current={v.version === current?.version ? 'true' : undefined}>
                    <th scope="row">{v.version}</th>
                    <td className="num">{formatInt(v.themes)}</td>
                    <td>{v.createdAt ? when(v.createdAt) : 'built-in'}</td>
                    <td>{v.createdBy ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </aside>
    </div>
  );
}
