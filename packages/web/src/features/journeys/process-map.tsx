import {
  type JourneyMap,
  type Layout,
  type LayoutEdge,
  layoutGraph,
  MAP_END,
  MAP_START,
  type MapEdge,
  type Point,
  simplifyMap,
} from '@cx/core';
import { type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { formatDuration, formatInt } from '../../lib/format.ts';

export type MapMode = 'frequency' | 'performance';

const NODE_H = 44;
const TERMINAL_W = 84;
/** Roughly the advance of a 12.5 px UI font; node widths only need to be close. */
const CHAR_W = 7.1;
const nodeWidth = (name: string) => Math.min(250, Math.max(112, Math.ceil(name.length * CHAR_W) + 26));

/**
 * The process map: a layered layout (core/journeys/layout.ts) drawn as SVG, so nodes and edges are
 * real buttons — clickable, focusable and named for screen readers and browser tests.
 */
export function ProcessMap({
  map,
  maxActivities,
  onMaxActivities,
  onActivity,
  onEdge,
}: {
  map: JourneyMap;
  /** How many of the most frequent activities the server drew the map on (`maxActivities`). */
  maxActivities: number;
  onMaxActivities: (k: number) => void;
  onActivity: (name: string) => void;
  onEdge: (from: string, to: string) => void;
}) {
  const [mode, setMode] = useState<MapMode>('frequency');
  const total = map.activities.length;
  const [k, setK] = useState(maxActivities);
  useEffect(() => setK(maxActivities), [maxActivities]);
  // Each slider step is a query: ask once the slider rests.
  useEffect(() => {
    if (k === maxActivities) return;
    const t = setTimeout(() => onMaxActivities(k), 180);
    return () => clearTimeout(t);
  }, [k, maxActivities, onMaxActivities]);
  const shownK = Math.min(maxActivities, total);
  // A low default keeps a busy map readable; the slider goes to every transition.
  const [edgePct, setEdgePct] = useState(30);
  const simple = useMemo(
    () => simplifyMap(map, total ? shownK / total : 1, edgePct / 100),
    [map, shownK, total, edgePct],
  );
  const layout = useMemo(
    () =>
      layoutGraph(
        {
          nodes: [
            { id: MAP_START, width: TERMINAL_W },
            ...simple.activities.map((a) => ({ id: a.name, width: nodeWidth(a.name) })),
            { id: MAP_END, width: TERMINAL_W },
          ],
          edges: simple.edges.map((e) => ({ from: e.from, to: e.to, weight: e.count })),
          sources: [MAP_START],
          last: [MAP_END],
        },
        { nodeHeight: NODE_H, layerGap: 62, nodeGap: 30 },
      ),
    [simple],
  );
  const counts = useMemo(() => new Map(simple.activities.map((a) => [a.name, a.count])), [simple]);
  const edgeData = useMemo(() => new Map(simple.edges.map((e) => [`${e.from}\u0000${e.to}`, e])), [simple]);
  const cases = map.cases;
  const ids = useId();

  if (!map.activities.length) return <p className="empty">No events match the scope and filter.</p>;

  const maxCount = Math.max(...simple.activities.map((a) => a.count), 1);
  const inner = simple.edges.filter((e) => e.from !== MAP_START && e.to !== MAP_END);
  const maxEdge = Math.max(...simple.edges.map((e) => e.count), 1);
  const maxMedian = Math.max(...inner.map((e) => e.medianSeconds ?? 0), 1);
  const pad = 24;
  const selfRoom = 60;
  const vbW = layout.width + 2 * pad + selfRoom;
  const vbH = layout.height + 2 * pad;

  return (
    <div className="process-map">
      <div className="map-controls">
        <fieldset className="toggle">
          <legend className="visually-hidden">Map shows</legend>
          {(['frequency', 'performance'] as const).map((m) => (
            <label key={m} className={mode === m ? 'on' : ''}>
              <input
                type="radio"
                name={`${ids}-mode`}
                value={m}
                checked={mode === m}
                onChange={() => setMode(m)}
              />
              {m === 'frequency' ? 'Frequency' : 'Performance'}
            </label>
          ))}
        </fieldset>
        <label className="slider">
          <span>Activities</span>
          <input
            type="range"
            min={1}
            max={Math.max(total, 1)}
            step={1}
            value={Math.min(k, Math.max(total, 1))}
            onChange={(e) => setK(Number(e.target.value))}
          />
          <output>
            {Math.min(k, total)} of {total}
          </output>
        </label>
        <label className="slider">
          <span>Paths</span>
          <input
            type="range"
            min={0}
            max={100}
            step={1}
            value={edgePct}
            onChange={(e) => setEdgePct(Number(e.target.value))}
          />
          <output>
            {edgePct} % · {inner.length} of {map.dfg.length} transitions
          </output>
        </label>
      </div>
      <p className="panel-note">
        {mode === 'frequency'
          ? 'Boxes: events per activity; arrows: how often one activity directly follows another.'
          : 'Arrows: median time between the two activities (darker and thicker = slower).'}{' '}
        Click an activity or an arrow to keep only the cases that contain it.
      </p>
      <div className="map-canvas">
        {/* biome-ignore lint/a11y/useSemanticElements: the map is a group of buttons; a fieldset cannot be an SVG. */}
        <svg
          viewBox={`${-pad} ${-pad} ${vbW} ${vbH}`}
          style={{ maxWidth: vbW }}
          role="group"
          aria-label={`Process map: ${simple.activities.length} activities and ${inner.length} transitions`}
        >
          <g className="edges">
            {layout.edges.map((e, i) => {
              const d = edgeData.get(`${e.from}\u0000${e.to}`)!;
              return (
                <MapEdgeView
                  key={`${e.from}\u0000${e.to}`}
                  layout={layout}
                  e={e}
                  d={d}
                  mode={mode}
                  width={
                    e.from === MAP_START || e.to === MAP_END
                      ? Math.min(2.5, edgeWidth(mode, d, maxEdge, maxMedian))
                      : edgeWidth(mode, d, maxEdge, maxMedian)
                  }
                  heat={mode === 'performance' && d.medianSeconds !== null ? d.medianSeconds / maxMedian : 0}
                  markerId={`${ids}-arrow-${i}`}
                  cases={cases}
                  onEdge={onEdge}
                />
              );
            })}
          </g>
          <g className="nodes">
            {layout.nodes.map((n) => {
              const x = n.x - n.width / 2;
              const y = n.y - n.height / 2;
              if (n.id === MAP_START || n.id === MAP_END) {
                return (
                  <g key={n.id} className="terminal">
                    <rect x={x} y={y + 6} width={n.width} height={n.height - 12} rx={(n.height - 12) / 2} />
                    <text x={n.x} y={n.y + 4} textAnchor="middle">
                      {n.id === MAP_START ? 'Start' : 'End'}
                    </text>
                  </g>
                );
              }
              const count = counts.get(n.id) ?? 0;
              const t = Math.sqrt(count / maxCount);
              const act = () => onActivity(n.id);
              return (
                // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; role and keys make it one.
                <g
                  key={n.id}
                  className={`node ${t > 0.55 ? 'dark' : ''}`}
                  role="button"
                  tabIndex={0}
                  aria-label={`${n.id}: ${formatInt(count)} events. Keep cases with this activity`}
                  onClick={act}
                  onKeyDown={(ev) => onKey(ev, act)}
                >
                  <title>{`${n.id}\n${formatInt(count)} events`}</title>
                  <rect x={x} y={y} width={n.width} height={n.height} rx={7} style={{ fill: nodeFill(t) }} />
                  <text x={n.x} y={n.y - 3} textAnchor="middle" className="label">
                    {n.id}
                  </text>
                  <text x={n.x} y={n.y + 13} textAnchor="middle" className="count">
                    {formatInt(count)}
                  </text>
                </g>
              );
            })}
          </g>
        </svg>
      </div>
    </div>
  );
}

function MapEdgeView({
  layout,
  e,
  d,
  mode,
  width,
  heat,
  markerId,
  cases,
  onEdge,
}: {
  layout: Layout;
  e: LayoutEdge;
  d: MapEdge;
  mode: MapMode;
  width: number;
  heat: number;
  markerId: string;
  cases: number;
  onEdge: (from: string, to: string) => void;
}) {
  const terminal = e.from === MAP_START || e.to === MAP_END;
  const { path, label } = e.self ? selfLoop(layout, e.from) : edgePath(e.points, e.reversed);
  const text =
    mode === 'performance'
      ? d.medianSeconds === null
        ? ''
        : formatDuration(d.medianSeconds)
      : formatInt(d.count);
  const cls = `edge ${terminal ? 'terminal' : ''} ${e.reversed ? 'back' : ''} ${mode === 'performance' && !terminal ? 'perf' : ''}`;
  const style = mode === 'performance' && !terminal ? { stroke: heatColour(heat) } : undefined;
  const title = terminal
    ? `${e.from === MAP_START ? `${formatInt(d.count)} cases start with ${e.to}` : `${formatInt(d.count)} cases end with ${e.from}`}`
    : `${e.from} → ${e.to}: ${formatInt(d.count)} times, median ${formatDuration(d.medianSeconds)}`;
  const arrow = 7 + 1.6 * width;
  const visible = (
    <>
      <defs>
        {/* One marker per edge, sized in user units: stroke-width units would make thick edges' heads huge. */}
        <marker
          id={markerId}
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerUnits="userSpaceOnUse"
          markerWidth={arrow}
          markerHeight={arrow}
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" className="arrow" style={style ? { fill: style.stroke } : undefined} />
        </marker>
      </defs>
      <path
        d={path}
        className="line"
        style={{ ...style, strokeWidth: width }}
        markerEnd={`url(#${markerId})`}
      />
      {text && (
        <text x={label.x} y={label.y} className="edge-label" textAnchor="middle">
          {text}
        </text>
      )}
    </>
  );
  if (terminal) {
    return (
      <g className={cls}>
        <title>{title}</title>
        {visible}
      </g>
    );
  }
  const act = () => onEdge(e.from, e.to);
  return (
    // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; role and keys make it one.
    <g
      className={cls}
      role="button"
      tabIndex={0}
      aria-label={`${e.from} then ${e.to}: ${formatInt(d.count)} times (${((100 * d.count) / Math.max(cases, 1)).toFixed(0)} per 100 cases). Keep cases with this step`}
      onClick={act}
      onKeyDown={(ev) => onKey(ev, act)}
    >
      <title>{title}</title>
      <path d={path} className="hit" />
      {visible}
    </g>
  );
}

function onKey(ev: KeyboardEvent, act: () => void) {
  if (ev.key === 'Enter' || ev.key === ' ') {
    ev.preventDefault();
    act();
  }
}

/** Smooth vertical curve through the layout's points; reversed (rework) edges bow out to the side. */
function edgePath(points: Point[], reversed: boolean): { path: string; label: Point } {
  const pts = reversed
    ? points.map((p, i) => (i === 0 || i === points.length - 1 ? { ...p, x: p.x + 14 } : p))
    : points;
  let d = `M${pts[0]!.x},${pts[0]!.y}`;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    const dy = (b.y - a.y) / 2;
    const bow = reversed ? 26 : 0;
    d += ` C${a.x + bow},${a.y + dy} ${b.x + bow},${b.y - dy} ${b.x},${b.y}`;
  }
  // The label sits on the middle of the path: a middle bend point or the middle of the middle segment.
  const mid = (pts.length - 1) / 2;
  const a = pts[Math.floor(mid)]!;
  const b = pts[Math.ceil(mid)]!;
  return { path: d, label: { x: (a.x + b.x) / 2 + (reversed ? 20 : 0) + 4, y: (a.y + b.y) / 2 + 4 } };
}

function selfLoop(layout: Layout, id: string): { path: string; label: Point } {
  const n = layout.nodes.find((x) => x.id === id)!;
  const x = n.x + n.width / 2;
  return {
    path: `M${x},${n.y - 8} C${x + 34},${n.y - 26} ${x + 34},${n.y + 26} ${x},${n.y + 8}`,
    label: { x: x + 40, y: n.y + 4 },
  };
}

function edgeWidth(mode: MapMode, d: MapEdge, maxEdge: number, maxMedian: number): number {
  if (mode === 'performance' && d.medianSeconds !== null)
    return 1.2 + 6 * Math.sqrt(d.medianSeconds / maxMedian);
  return 1.2 + 7 * Math.sqrt(d.count / maxEdge);
}

/** Light to dark blue by (square-rooted) frequency. */
function nodeFill(t: number): string {
  const from = [232, 240, 250];
  const to = [31, 79, 138];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Grey to red by median time relative to the slowest edge. */
function heatColour(t: number): string {
  const from = [176, 184, 196];
  const to = [190, 40, 30];
  const s = Math.sqrt(Math.min(1, Math.max(0, t)));
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * s));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
