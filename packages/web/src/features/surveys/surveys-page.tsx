import type { SurveyDetail, SurveySummary } from '@cx/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { blankSurvey, checkDraft, type Draft, embedSnippet } from './draft.ts';
import { QuestionsEditor, TriggersEditor } from './question-editor.tsx';
import { getSurvey, listSurveys, previewHtml, saveDraft } from './survey-api.ts';
import './surveys.css';

const toDraft = (d: SurveyDetail): Draft => ({
  definition: d.definition,
  triggers: d.triggers.map(({ surveyId: _s, ...t }) => t),
});

/**
 * The survey designer: the list of surveys, a form (or the raw JSON) for the selected one, its
 * triggers, and a live preview rendered by the server exactly as respondents will see it.
 */
export function SurveysPage() {
  const [list, setList] = useState<SurveySummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<SurveyDetail | null>(null);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [tab, setTab] = useState<'form' | 'json'>('form');

  const refresh = useCallback(async () => {
    try {
      const l = await listSurveys();
      setList(l.surveys);
      setLoadError(null);
      return l.surveys;
    } catch (e) {
      setLoadError((e as Error).message);
      return [];
    }
  }, []);

  const open = useCallback(async (id: string) => {
    setStatus(null);
    try {
      const d = await getSurvey(id);
      setSelected(id);
      setSaved(d);
      setDraft(toDraft(d));
    } catch (e) {
      setStatus({ kind: 'error', text: `Could not open ${id}: ${(e as Error).message}` });
    }
  }, []);

  useEffect(() => {
    refresh().then((surveys) => {
      const first = surveys[0];
      if (first) open(first.id);
    });
  }, [refresh, open]);

  const newSurvey = () => {
    const taken = new Set(list?.map((s) => s.id));
    let id = 'new-survey';
    for (let i = 2; taken.has(id); i++) id = `new-survey-${i}`;
    setSelected(null);
    setSaved(null);
    setDraft(blankSurvey(id));
    setStatus(null);
  };

  const check = useMemo(() => (draft ? checkDraft(draft) : null), [draft]);

  const save = async () => {
    if (!draft || !check) return;
    if (!check.ok) {
      setStatus({ kind: 'error', text: 'Fix the problems listed before saving.' });
      return;
    }
    try {
      const d = await saveDraft(draft);
      setSaved(d);
      setSelected(d.definition.id);
      setDraft(toDraft(d));
      setStatus({ kind: 'ok', text: `Saved ${d.definition.id} as version ${d.version}.` });
      await refresh();
    } catch (e) {
      setStatus({ kind: 'error', text: `Not saved: ${(e as Error).message}` });
    }
  };

  return (
    <div className="page sv-page">
      <header className="page-head">
        <h1>Surveys</h1>
        <p className="period">Design surveys, their triggers and their hosted page</p>
      </header>
      {loadError && (
        <div role="alert" className="error">
          <p>The surveys could not be loaded: {loadError}</p>
        </div>
      )}
      <div className="sv-layout">
        <nav aria-label="Surveys" className="sv-list">
          <ul>
            {list?.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  aria-current={s.id === selected ? 'true' : undefined}
                  onClick={() => open(s.id)}
                >
                  <strong>{s.title}</strong>
                  <span>
                    {s.id} · v{s.version} · {s.responses.toLocaleString('en')} responses
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {list?.length === 0 && <p className="sv-note">No surveys yet.</p>}
          <button type="button" onClick={newSurvey}>
            New survey
          </button>
        </nav>
        {draft ? (
          <Editor
            draft={draft}
            isNew={!saved}
            onChange={(d) => {
              setDraft(d);
              setStatus(null);
            }}
            tab={tab}
            onTab={setTab}
            check={check}
            status={status}
            onSave={save}
            saved={saved}
          />
        ) : (
          <p className="sv-note">{list ? 'Choose a survey or create one.' : 'Loading the surveys…'}</p>
        )}
        {draft && <Preview draft={draft} valid={!!check?.ok} />}
      </div>
    </div>
  );
}

function Editor({
  draft,
  isNew,
  onChange,
  tab,
  onTab,
  check,
  status,
  onSave,
  saved,
}: {
  draft: Draft;
  isNew: boolean;
  onChange: (d: Draft) => void;
  tab: 'form' | 'json';
  onTab: (t: 'form' | 'json') => void;
  check: ReturnType<typeof checkDraft> | null;
  status: { kind: 'ok' | 'error'; text: string } | null;
  onSave: () => void;
  saved: SurveyDetail | null;
}) {
  const def = draft.definition;
  const set = (patch: Partial<Draft['definition']>) =>
    onChange({ ...draft, definition: { ...def, ...patch } });
  const text = (
    name: 'title' | 'intro' | 'thankYou' | 'journey' | 'touchpoint' | 'channel',
    label: string,
  ) => (
    <div className="sv-field">
      <label htmlFor={`sv-${name}`}>{label}</label>
      <input
        id={`sv-${name}`}
        value={def[name] ?? ''}
        // Optional texts are left out when empty (the schema refuses empty strings); the title stays.
        onChange={(e) =>
          set({ [name]: e.target.value === '' && name !== 'title' ? undefined : e.target.value })
        }
      />
    </div>
  );
  return (
    <section className="sv-editor" aria-label="Survey editor">
      <div className="sv-tabs" role="tablist" aria-label="Editor view">
        {(['form', 'json'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => onTab(t)}>
            {t === 'form' ? 'Form' : 'JSON'}
          </button>
        ))}
        <span className="sv-spacer" />
        {saved && (
          <span className="sv-version">
            v{saved.version} · {saved.responses.toLocaleString('en')} responses
          </span>
        )}
        <button type="button" className="sv-primary" onClick={onSave}>
          Save
        </button>
      </div>
      {status && (
        <p role={status.kind === 'error' ? 'alert' : 'status'} className={`sv-status ${status.kind}`}>
          {status.text}
        </p>
      )}
      {check && !check.ok && (
        <div className="sv-problems" role="status">
          <strong>{check.problems.length === 1 ? '1 problem' : `${check.problems.length} problems`}</strong>
          <ul>
            {check.problems.slice(0, 8).map((p) => (
              <li key={`${p.field}:${p.message}`}>
                <code>{p.field}</code>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {tab === 'json' ? (
        <JsonView draft={draft} onChange={onChange} />
      ) : (
        <>
          <div className="sv-grid">
            {isNew && (
              <div className="sv-field">
                <label htmlFor="sv-id">Id (in the link /s/…)</label>
                <input id="sv-id" value={def.id} onChange={(e) => set({ id: e.target.value })} />
              </div>
            )}
            {text('title', 'Title')}
            {text('intro', 'Introduction')}
            {text('thankYou', 'Thank-you text')}
            {text('journey', 'Journey')}
            {text('touchpoint', 'Touchpoint')}
            {text('channel', 'Channel')}
            <label className="sv-check">
              <input
                type="checkbox"
                checked={def.allowAnonymous ?? false}
                onChange={(e) => set({ allowAnonymous: e.target.checked })}
              />
              Anyone with the link may answer (anonymous)
            </label>
          </div>
          <QuestionsEditor questions={def.questions} onChange={(questions) => set({ questions })} />
          <TriggersEditor
            triggers={draft.triggers}
            onChange={(triggers) => onChange({ ...draft, triggers })}
          />
          <section aria-labelledby="sv-share-h">
            <h2 id="sv-share-h">Share</h2>
            <p className="sv-note">
              Hosted page:{' '}
              <a href={`/s/${def.id}?preview=1`} target="_blank" rel="noreferrer">
                /s/{def.id}
              </a>{' '}
              (personal links add <code>?t=…</code>). Embed on another site:
            </p>
            <pre className="sv-snippet">{embedSnippet(window.location.origin, def.id)}</pre>
          </section>
        </>
      )}
    </section>
  );
}

function JsonView({ draft, onChange }: { draft: Draft; onChange: (d: Draft) => void }) {
  const current = useMemo(
    () => JSON.stringify({ ...draft.definition, triggers: draft.triggers }, null, 2),
    [draft],
  );
  const [text, setText] = useState(current);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(current), [current]);
  const apply = () => {
    try {
      const { triggers, ...definition } = JSON.parse(text) as Draft['definition'] & {
        triggers?: Draft['triggers'];
      };
      onChange({ definition, triggers: Array.isArray(triggers) ? triggers : [] });
      setError(null);
    } catch (e) {
      setError(`Not valid JSON: ${(e as Error).message}`);
    }
  };
  return (
    <div className="sv-json">
      <label htmlFor="sv-json">Survey as JSON (with its triggers)</label>
      <textarea
        id="sv-json"
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
        rows={24}
      />
      {error && (
        <p role="alert" className="sv-status error">
          {error}
        </p>
      )}
      <button type="button" onClick={apply} disabled={text === current}>
        Apply JSON
      </button>
    </div>
  );
}

/** The server renders the draft as the hosted page; shown in a sandboxed frame (no scripts, no submit). */
function Preview({ draft, valid }: { draft: Draft; valid: boolean }) {
  const [html, setHtml] = useState<string | null>(null);
  const [lang, setLang] = useState('en');
  const [error, setError] = useState<string | null>(null);
  const langs = ['en', ...Object.keys(draft.definition.languages ?? {})];
  useEffect(() => {
    if (!valid) return;
    const t = setTimeout(() => {
      previewHtml(draft.definition, lang).then(
        (h) => {
          setHtml(h);
          setError(null);
        },
        (e: Error) => setError(e.message),
      );
    }, 250);
    return () => clearTimeout(t);
  }, [draft, lang, valid]);
  return (
    <section className="sv-preview" aria-labelledby="sv-preview-h">
      <div className="sv-preview-head">
        <h2 id="sv-preview-h">Live preview</h2>
        {langs.length > 1 && (
          <label>
            Language{' '}
            <select value={lang} onChange={(e) => setLang(e.target.value)}>
              {langs.map((l) => (
                <option key={l}>{l}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {!valid && <p className="sv-note">The preview shows the last valid version.</p>}
      {error && <p className="sv-status error">{error}</p>}
      {html && <iframe title="Survey preview" sandbox="" srcDoc={html} className="sv-frame" />}
    </section>
  );
}
