import {
  METRICS_NODE_KINDS,
  type MetricsNode,
  type MetricsTree,
  type MetricsTreeVersion,
  type StoredMetricsTree,
} from '@cx/core';
import { useEffect, useState } from 'react';
import { saveTree } from './drivers-api.ts';
import { addChild, removeNode, renameNode, setMeasure, setOwner } from './tree-edit.ts';

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/**
 * Edits the tree as a draft in the browser; "Save as new version" sends the whole tree, the server
 * validates it and stores the next version (earlier versions stay). Its refusal names the node and
 * field and is shown as it is.
 */
export function TreeEditor({
  tree,
  version,
  selected,
  versions,
  onSaved,
}: {
  tree: MetricsTree;
  version: number;
  selected: string | null;
  versions: MetricsTreeVersion[];
  onSaved: (t: StoredMetricsTree) => void;
}) {
  const [draft, setDraft] = useState(tree);
  const [edits, setEdits] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new stored version replaces the draft.
  useEffect(() => {
    setDraft(tree);
    setEdits([]);
  }, [version]);
  const node = draft.nodes.find((n) => n.id === selected) ?? draft.nodes.find((n) => n.id === draft.root)!;
  const [label, setLabel] = useState(node.label);
  const [measure, setMeasureText] = useState(node.measure);
  const [owner, setOwnerText] = useState(node.owner ?? '');
  useEffect(() => {
    setLabel(node.label);
    setMeasureText(node.measure);
    setOwnerText(node.owner ?? '');
  }, [node.label, node.measure, node.owner]);
  const [child, setChild] = useState({
    id: '',
    label: '',
    kind: 'element' as MetricsNode['kind'],
    measure: 'element:',
  });

  const apply = (t: MetricsTree, what: string) => {
    setDraft(t);
    setEdits((e) => [...e, what]);
    setMessage(null);
  };
  const save = async () => {
    setSaving(true);
    try {
      const saved = await saveTree(draft, comment || edits.join('; '));
      setMessage({ kind: 'ok', text: `Saved as version ${saved.version}.` });
      setComment('');
      onSaved(saved);
    } catch (e) {
      setMessage({ kind: 'error', text: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="panel drv-editor" aria-labelledby="drv-editor-title">
      <h2 id="drv-editor-title">Edit the tree</h2>
      <p className="panel-note">
        Editing <strong>{node.label}</strong> (<code>{node.id}</code>). Changes stay a draft until saved; each
        save is a new version.
      </p>
      <div className="drv-form">
        <label>
          Label <input value={label} onChange={(e) => setLabel(e.target.value)} />
        </label>
        <button
          type="button"
          disabled={!label.trim() || label === node.label}
          onClick={() => apply(renameNode(draft, node.id, label.trim()), `rename ${node.id}`)}
        >
          Rename
        </button>
        <label>
          Measure <input value={measure} onChange={(e) => setMeasureText(e.target.value)} />
        </label>
        <button
          type="button"
          disabled={measure === node.measure}
          onClick={() => apply(setMeasure(draft, node.id, measure.trim()), `measure of ${node.id}`)}
        >
          Set measure
        </button>
        <label>
          Owner{' '}
          <input
            value={owner}
            onChange={(e) => setOwnerText(e.target.value)}
            placeholder="e.g. Head of Billing"
          />
        </label>
        <button
          type="button"
          disabled={owner.trim() === (node.owner ?? '')}
          onClick={() => apply(setOwner(draft, node.id, owner.trim()), `owner of ${node.id}`)}
        >
          Set owner
        </button>
        <button
          type="button"
          disabled={node.id === draft.root}
          onClick={() => apply(removeNode(draft, node.id), `remove ${node.id}`)}
        >
          Remove node
        </button>
      </div>
      <fieldset className="drv-form">
        <legend>Add a child to {node.label}</legend>
        <label>
          Id{' '}
          <input
            value={child.id}
            onChange={(e) => setChild({ ...child, id: e.target.value })}
            placeholder={`${node.id}/…`}
          />
        </label>
        <label>
          Child label{' '}
          <input value={child.label} onChange={(e) => setChild({ ...child, label: e.target.value })} />
        </label>
        <label>
          Kind{' '}
          <select
            value={child.kind}
            onChange={(e) => setChild({ ...child, kind: e.target.value as MetricsNode['kind'] })}
          >
            {METRICS_NODE_KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Child measure{' '}
          <input value={child.measure} onChange={(e) => setChild({ ...child, measure: e.target.value })} />
        </label>
        <button
          type="button"
          disabled={!child.id.trim() || !child.label.trim()}
          onClick={() => {
            apply(
              addChild(draft, node.id, {
                id: child.id.trim(),
                label: child.label.trim(),
                kind: child.kind,
                measure: child.measure.trim(),
                children: [],
              }),
              `add ${child.id.trim()}`,
            );
            setChild({ ...child, id: '', label: '' });
          }}
        >
          Add child
        </button>
      </fieldset>
      <div className="drv-form">
        <label>
          Comment{' '}
          <input
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder={edits.join('; ')}
          />
        </label>
        <button type="button" disabled={!edits.length || saving} onClick={save}>
          Save as new version
        </button>
        {edits.length > 0 && (
          <button
            type="button"
            onClick={() => {
              setDraft(tree);
              setEdits([]);
            }}
          >
            Discard {edits.length} edit{edits.length === 1 ? '' : 's'}
          </button>
        )}
      </div>
      {message && (
        <p
          className={message.kind === 'error' ? 'error' : 'drv-ok'}
          role={message.kind === 'error' ? 'alert' : 'status'}
        >
          {message.text}
        </p>
      )}
      <h3>Versions</h3>
      {versions.length === 0 ? (
        <p className="panel-note">None saved yet: the built-in default tree is in use.</p>
      ) : (
        <table className="journeys" aria-label="Tree versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Saved</th>
              <th scope="col">By</th>
              <th scope="col" className="num">
                Nodes
              </th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">{v.version}</th>
                <td>{when(v.createdAt)}</td>
                <td>{v.createdBy}</td>
                <td className="num">{v.nodes}</td>
                <td>{v.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
