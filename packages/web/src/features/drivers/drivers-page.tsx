import type {
  DriverFilters,
  DriverLink,
  MetricsNode,
  MetricsTree,
  MetricsTreeVersion,
  StoredMetricsTree,
  Trend,
} from '@cx/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useFilterValues } from '../../lib/filter-select.tsx';
import { shownOf, useGet } from '../../lib/use-get.ts';
import { describePeriod, PeriodSelect, periodOptions } from '../overview/period-select.tsx';
import { forgetLinks, getTree, getVersions, type LinkState, useLinks } from './drivers-api.ts';
import './drivers.css';
import { weightText } from './format-link.ts';
import { LinkDetail } from './link-detail.tsx';
import { ancestorsOf } from './tree-edit.ts';
import { TreeEditor } from './tree-editor.tsx';

/**
 * The metrics tree (issue 6 §1): NPS ← journeys ← touchpoints ← experience elements ← service KPIs,
 * each link weighted with its 95 % interval. Clicking a node shows its drivers (bar chart with
 * whiskers, table, importance–performance quadrant) and a what-if; the editor saves a new version.
 */
export function DriversPage() {
  const [stored, setStored] = useState<StoredMetricsTree | null>(null);
  const [versions, setVersions] = useState<MetricsTreeVersion[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [periodId, setPeriodId] = useState('all');
  const [months] = useGet<Trend>('/api/feedback/trend?grain=month');
  const allMonths = useMemo(() => shownOf(months)?.buckets.map((b) => b.bucket) ?? [], [months]);
  const options = useMemo(() => periodOptions(allMonths), [allMonths]);
  const period = options.find((o) => o.id === periodId) ?? options[0]!;
  const [segment, setSegment] = useState('');
  const segments = useFilterValues()?.segments ?? [];
  const filters = useMemo<DriverFilters>(
    () => ({
      ...(period.from ? { from: period.from } : {}),
      ...(period.to ? { to: period.to } : {}),
      ...(segment ? { segments: [segment] } : {}),
    }),
    [period, segment],
  );

  const reload = useCallback(() => {
    Promise.all([getTree(), getVersions()]).then(
      ([t, v]) => {
        setStored(t);
        setVersions(v);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, []);
  useEffect(reload, [reload]);

  const tree = stored?.tree;
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new tree version resets selection and expansion.
  useEffect(() => {
    if (!tree) return;
    setSelected((s) => (s && tree.nodes.some((n) => n.id === s) ? s : tree.root));
    setExpanded((e) =>
      e.size ? new Set([...e].filter((id) => tree.nodes.some((n) => n.id === id))) : new Set([tree.root]),
    );
  }, [stored?.version]);

  // Weights on the visible links come from each expanded node's analysis; the selected node's too.
  const wanted = useMemo(() => {
    if (!tree) return [];
    const ids = new Set<string>();
    for (const id of expanded) if (tree.nodes.some((n) => n.id === id && n.children.length)) ids.add(id);
    if (selected) ids.add(selected);
    return [...ids].sort();
  }, [tree, expanded, selected]);
  const links = useLinks(wanted, filters, generation);

  const onSaved = (saved: StoredMetricsTree) => {
    forgetLinks();
    setGeneration((g) => g + 1);
    setStored(saved);
    getVersions().then(setVersions, () => undefined);
  };

  const select = (id: string) => {
    setSelected(id);
    if (tree) setExpanded((e) => new Set([...e, ...ancestorsOf(tree, id), id]));
  };

  return (
    <div className="page drivers-page">
      <header className="page-head">
        <h1>Drivers</h1>
        {allMonths.length > 0 && <p className="period">{describePeriod(period, allMonths)}</p>}
        {segments.length > 1 && (
          <label className="period-select">
            Segment{' '}
            <select value={segment} onChange={(e) => setSegment(e.target.value)}>
              <option value="">All segments</option>
              {segments.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {options.length > 1 && <PeriodSelect options={options} value={period.id} onChange={setPeriodId} />}
      </header>
      {error && (
        <div className="error" role="alert">
          <p>The metrics tree could not be loaded: {error}</p>
          <button type="button" onClick={reload}>
            Retry
          </button>
        </div>
      )}
      {!tree && !error && <p className="loading">Loading the metrics tree…</p>}
      {tree && stored && (
        <div className="drv-layout">
          <section className="panel drv-tree-panel" aria-labelledby="drv-tree-title">
            <h2 id="drv-tree-title">Metrics tree</h2>
            <p className="panel-note">
              Version {stored.version === 0 ? '0 (built-in default)' : stored.version}. On each link: the
              child's share of its parent's explained variance with its 95 % interval, or for journeys and
              touchpoints its impact (points of the parent's score it adds or costs).
            </p>
            <ul className="drv-tree" aria-label="Metrics tree">
              <TreeNode
                tree={tree}
                id={tree.root}
                depth={0}
                parentLink={undefined}
                links={links}
                expanded={expanded}
                setExpanded={setExpanded}
                selected={selected}
                select={select}
              />
            </ul>
          </section>
          <div className="drv-detail">
            {selected && (
              <LinkDetail
                node={tree.nodes.find((n) => n.id === selected)!}
                state={links[selected]}
                filters={filters}
                onSelect={select}
              />
            )}
            <TreeEditor
              tree={tree}
              version={stored.version}
              selected={selected}
              versions={versions}
              onSaved={onSaved}
            />
          </div>
        </div>
      )}
    </div>
  );
}

function TreeNode(props: {
  tree: MetricsTree;
  id: string;
  depth: number;
  parentLink: LinkState | undefined;
  links: Record<string, LinkState>;
  expanded: Set<string>;
  setExpanded: (f: (e: Set<string>) => Set<string>) => void;
  selected: string | null;
  select: (id: string) => void;
}) {
  const { tree, id, parentLink, links, expanded, selected } = props;
  const node = tree.nodes.find((n) => n.id === id) as MetricsNode;
  const open = expanded.has(id);
  const link: DriverLink | undefined = parentLink?.state === 'ready' ? parentLink.link : undefined;
  const child = link?.children.find((c) => c.id === id);
  const toggle = () =>
    props.setExpanded((e) => {
      const next = new Set(e);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <li>
      <div className={`drv-row${selected === id ? ' selected' : ''}`}>
        {node.children.length > 0 ? (
          <button
            type="button"
            className="drv-toggle"
            onClick={toggle}
            aria-expanded={open}
            aria-label={`Children of ${node.label}`}
          >
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span className="drv-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          className="drv-node"
          aria-pressed={selected === id}
          onClick={() => props.select(id)}
        >
          <span className={`drv-kind k-${node.kind}`}>{node.kind}</span> {node.label}
        </button>
        {link && child && (
          <span
            className={`drv-weight${child.notSignificant ? ' ns' : ''}`}
            title="Weight on the parent, 95 % interval"
          >
            {weightText(link, child)}
          </span>
        )}
        {parentLink?.state === 'loading' && <span className="drv-weight muted">…</span>}
      </div>
      {open && node.children.length > 0 && (
        <ul>
          {links[id]?.state === 'error' && (
            <li className="error-inline">{(links[id] as { message: string }).message}</li>
          )}
          {node.children.map((c) => (
            <TreeNode key={c} {...props} id={c} depth={props.depth + 1} parentLink={links[id]} />
          ))}
        </ul>
      )}
    </li>
  );
}
