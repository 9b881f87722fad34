import { useState } from 'react';
import { addLabel, SENTIMENT_TASK, SENTIMENTS, THEME_TASK } from './text-api.ts';

/**
 * Labels one comment for training (issue 5): its sentiment, or the theme it is about. Picking a
 * label stores it at once (labelling the same text again replaces its label); the choice is encoded
 * as "task|label" in the one select so the control stays one line.
 */
export function LabelControl({
  responseId,
  comment,
  themes,
}: {
  responseId: string;
  comment: string;
  themes: { id: string; label: string }[];
}) {
  const [value, setValue] = useState('');
  const [state, setState] = useState<{ kind: 'saving' | 'saved' | 'error'; text: string } | null>(null);
  const pick = async (v: string) => {
    setValue(v);
    if (!v) return;
    const [task, label] = v.split('|') as [string, string];
    setState({ kind: 'saving', text: 'Saving…' });
    try {
      await addLabel(task, label, comment, responseId);
      setState({ kind: 'saved', text: 'Labelled' });
    } catch (e) {
      setState({ kind: 'error', text: (e as Error).message });
    }
  };
  return (
    <span className="label-control">
      <select
        aria-label="Label this comment"
        value={value}
        onChange={(e) => void pick(e.target.value)}
        disabled={state?.kind === 'saving'}
      >
        <option value="">Label…</option>
        <optgroup label="Sentiment">
          {SENTIMENTS.map((s) => (
            <option key={s} value={`${SENTIMENT_TASK}|${s}`}>
              {s}
            </option>
          ))}
        </optgroup>
        {themes.length > 0 && (
          <optgroup label="Theme">
            {themes.map((t) => (
              <option key={t.id} value={`${THEME_TASK}|${t.id}`}>
                {t.label}
              </option>
            ))}
            {/* "none" is how the theme model learns what an off-topic comment looks like. */}
            <option value={`${THEME_TASK}|none`}>(no theme)</option>
          </optgroup>
        )}
      </select>
      {state && (
        <span
          className={`label-state ${state.kind}`}
          role={state.kind === 'error' ? 'alert' : 'status'}
          data-testid="label-state"
        >
          {state.kind === 'saved' ? '✓ Labelled' : state.text}
        </span>
      )}
    </span>
  );
}
