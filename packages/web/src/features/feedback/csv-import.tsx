import { useState } from 'react';
import { sendJson } from '../../lib/api.ts';
import { CsvLabelError, parseLabelCsv } from './csv-labels.ts';
import { SENTIMENT_TASK } from './text-api.ts';

/** Requests stay well under the server's body cap (5 MiB by default). */
const BATCH = 2_000;

/**
 * Labels from a CSV file: parsed and checked in the browser, then sent in batches. A bad row stops
 * the import before anything is sent, so a half-loaded file cannot skew a model.
 */
export function CsvImport({ onImported }: { onImported: () => void }) {
  const [task, setTask] = useState(SENTIMENT_TASK);
  const [state, setState] = useState<{ kind: 'busy' | 'ok' | 'error'; text: string } | null>(null);
  const load = async (file: File) => {
    setState({ kind: 'busy', text: `Reading ${file.name}…` });
    try {
      const items = parseLabelCsv(await file.text(), file.name);
      let added = 0;
      let replaced = 0;
      for (let i = 0; i < items.length; i += BATCH) {
        setState({
          kind: 'busy',
          text: `Sending ${i.toLocaleString('en')} of ${items.length.toLocaleString('en')}…`,
        });
        const r = await sendJson<{ added: number; replaced: number }>('POST', '/api/text/labels', {
          task: task.trim(),
          source: 'csv',
          items: items.slice(i, i + BATCH),
        });
        added += r.added;
        replaced += r.replaced;
      }
      setState({
        kind: 'ok',
        text: `${file.name}: ${added.toLocaleString('en')} labels added, ${replaced.toLocaleString('en')} replaced.`,
      });
      onImported();
    } catch (e) {
      setState({
        kind: 'error',
        text: e instanceof CsvLabelError ? e.message : `Not imported: ${(e as Error).message}`,
      });
    }
  };
  return (
    <div className="md-csv">
      <label>
        Task
        <input type="text" list="md-tasks" value={task} onChange={(e) => setTask(e.target.value)} size={14} />
        <datalist id="md-tasks">
          <option value="sentiment" />
          <option value="theme" />
        </datalist>
      </label>
      <label>
        Labels from a CSV (columns text, label; id optional)
        <input
          type="file"
          accept=".csv,.tsv,text/csv,text/plain"
          disabled={state?.kind === 'busy' || task.trim() === ''}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void load(f);
          }}
        />
      </label>
      {state && (
        <p
          role={state.kind === 'error' ? 'alert' : 'status'}
          className={`tx-msg ${state.kind}`}
          data-testid="csv-state"
        >
          {state.text}
        </p>
      )}
    </div>
  );
}
