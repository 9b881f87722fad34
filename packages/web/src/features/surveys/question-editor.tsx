import { QUESTION_KINDS, type QuestionKind, SCALES } from '@cx/core';
import { ELEMENTS, KIND_LABELS, newQuestion, type QuestionDraft, type TriggerDraft } from './draft.ts';

/** One question of the survey as a small form; every control has a visible label. */
function QuestionFields({
  q,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  q: QuestionDraft;
  index: number;
  count: number;
  onChange: (q: QuestionDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const key = `q${index}`;
  const scale = q.kind === 'open' ? null : SCALES[q.kind];
  const set = (patch: Partial<QuestionDraft>) => onChange({ ...q, ...patch });
  const n = index + 1;
  return (
    <fieldset className="sv-question">
      <legend>
        Question {n} · {KIND_LABELS[q.kind]}
      </legend>
      <div className="sv-row">
        <label htmlFor={`${key}-kind`}>Kind</label>
        <select
          id={`${key}-kind`}
          value={q.kind}
          onChange={(e) => {
            const kind = e.target.value as QuestionKind;
            const { followUp: _f, element: _e, ...rest } = q;
            onChange({ ...rest, kind, ...(kind === 'element' ? { element: 'ease' } : {}) });
          }}
        >
          {QUESTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <label htmlFor={`${key}-id`}>Id</label>
        <input id={`${key}-id`} value={q.id} onChange={(e) => set({ id: e.target.value })} size={14} />
        {q.kind === 'element' && (
          <>
            <label htmlFor={`${key}-el`}>Element</label>
            <input
              id={`${key}-el`}
              list="sv-elements"
              value={q.element ?? ''}
              onChange={(e) => set({ element: e.target.value })}
              size={12}
            />
          </>
        )}
        <label className="sv-check">
          <input
            type="checkbox"
            checked={q.required ?? false}
            onChange={(e) => set({ required: e.target.checked })}
          />
          Required
        </label>
      </div>
      <label htmlFor={`${key}-text`}>Question text</label>
      <input
        id={`${key}-text`}
        className="sv-wide"
        value={q.text}
        onChange={(e) => set({ text: e.target.value })}
      />
      {scale && (
        <div className="sv-followup">
          <label className="sv-check">
            <input
              type="checkbox"
              checked={!!q.followUp}
              onChange={(e) => {
                const { followUp: _f, ...rest } = q;
                onChange(
                  e.target.checked
                    ? {
                        ...rest,
                        followUp: {
                          when: { min: scale.min, max: q.kind === 'nps' ? 6 : scale.min + 1 },
                          text: 'What should we have done better?',
                        },
                      }
                    : rest,
                );
              }}
            />
            Follow-up question for some scores
          </label>
          {q.followUp && (
            <div className="sv-row">
              <label htmlFor={`${key}-fmin`}>when score from</label>
              <input
                id={`${key}-fmin`}
                type="number"
                min={scale.min}
                max={scale.max}
                value={q.followUp.when.min}
                onChange={(e) =>
                  set({
                    followUp: { ...q.followUp!, when: { ...q.followUp!.when, min: Number(e.target.value) } },
                  })
                }
              />
              <label htmlFor={`${key}-fmax`}>to</label>
              <input
                id={`${key}-fmax`}
                type="number"
                min={scale.min}
                max={scale.max}
                value={q.followUp.when.max}
                onChange={(e) =>
                  set({
                    followUp: { ...q.followUp!, when: { ...q.followUp!.when, max: Number(e.target.value) } },
                  })
                }
              />
              <label htmlFor={`${key}-ftext`}>ask</label>
              <input
                id={`${key}-ftext`}
                className="sv-grow"
                value={q.followUp.text}
                onChange={(e) => set({ followUp: { ...q.followUp!, text: e.target.value } })}
              />
            </div>
          )}
        </div>
      )}
      <div className="sv-actions">
        <button
          type="button"
          disabled={index === 0}
          onClick={() => onMove(-1)}
          aria-label={`Move question ${n} up`}
        >
          ↑
        </button>
        <button
          type="button"
          disabled={index === count - 1}
          onClick={() => onMove(1)}
          aria-label={`Move question ${n} down`}
        >
          ↓
        </button>
        <button type="button" disabled={count === 1} onClick={onRemove} aria-label={`Remove question ${n}`}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}

export function QuestionsEditor({
  questions,
  onChange,
}: {
  questions: QuestionDraft[];
  onChange: (qs: QuestionDraft[]) => void;
}) {
  const move = (i: number, by: -1 | 1) => {
    const next = [...questions];
    const [q] = next.splice(i, 1);
    next.splice(i + by, 0, q!);
    onChange(next);
  };
  return (
    <section aria-labelledby="sv-questions-h">
      <h2 id="sv-questions-h">Questions</h2>
      <datalist id="sv-elements">
        {ELEMENTS.map((e) => (
          <option key={e} value={e} />
        ))}
      </datalist>
      {questions.map((q, i) => (
        <QuestionFields
          // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place; ids change while typing.
          key={i}
          q={q}
          index={i}
          count={questions.length}
          onChange={(nq) => onChange(questions.map((x, j) => (j === i ? nq : x)))}
          onMove={(by) => move(i, by)}
          onRemove={() => onChange(questions.filter((_, j) => j !== i))}
        />
      ))}
      <div className="sv-add">
        Add:{' '}
        {QUESTION_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            onClick={() =>
              onChange([
                ...questions,
                newQuestion(
                  k,
                  questions.map((q) => q.id),
                ),
              ])
            }
          >
            {KIND_LABELS[k]}
          </button>
        ))}
      </div>
    </section>
  );
}

export function TriggersEditor({
  triggers,
  onChange,
}: {
  triggers: TriggerDraft[];
  onChange: (t: TriggerDraft[]) => void;
}) {
  const set = (i: number, patch: Partial<TriggerDraft>) =>
    onChange(triggers.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  return (
    <section aria-labelledby="sv-triggers-h">
      <h2 id="sv-triggers-h">Triggers</h2>
      <p className="sv-note">
        After an event of this type the customer gets a personal link — for a sample of events, and never
        within the quiet period after any earlier survey invitation (across all surveys).
      </p>
      {triggers.length > 0 && (
        <table className="sv-triggers">
          <thead>
            <tr>
              <th scope="col">Event type (activity)</th>
              <th scope="col">Sample %</th>
              <th scope="col">Quiet days</th>
              <th scope="col">Channel (optional)</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {triggers.map((t, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place.
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Trigger ${i + 1} event type`}
                    value={t.activity}
                    onChange={(e) => set(i, { activity: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Trigger ${i + 1} sample percent`}
                    type="number"
                    min={0}
                    max={100}
                    value={Math.round(t.sampleRate * 1000) / 10}
                    onChange={(e) => set(i, { sampleRate: Number(e.target.value) / 100 })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Trigger ${i + 1} quiet days`}
                    type="number"
                    min={0}
                    value={t.quietDays}
                    onChange={(e) => set(i, { quietDays: Number(e.target.value) })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Trigger ${i + 1} channel`}
                    value={t.channel ?? ''}
                    onChange={(e) => {
                      const { channel: _c, ...rest } = t;
                      onChange(
                        triggers.map((x, j) =>
                          j === i ? (e.target.value ? { ...rest, channel: e.target.value } : rest) : x,
                        ),
                      );
                    }}
                  />
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove trigger ${i + 1}`}
                    onClick={() => onChange(triggers.filter((_, j) => j !== i))}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button
        type="button"
        onClick={() => onChange([...triggers, { activity: '', sampleRate: 0.3, quietDays: 7 }])}
      >
        Add trigger
      </button>
    </section>
  );
}
