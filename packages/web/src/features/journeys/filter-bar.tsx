import type { DataScope, JourneyAttributes, JourneyFilterInput } from '@cx/core';
import { useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';
import { chips, setScope, setTheme } from './filter-state.ts';

const PICKERS: { key: keyof DataScope; attr: keyof JourneyAttributes; label: string; all: string }[] = [
  { key: 'journeys', attr: 'journeys', label: 'Journey', all: 'All journeys' },
  { key: 'channels', attr: 'channels', label: 'Channel', all: 'All channels' },
  { key: 'segments', attr: 'segments', label: 'Segment', all: 'All segments' },
  { key: 'regions', attr: 'regions', label: 'Region', all: 'All regions' },
];

/**
 * Scope pickers (journey, channel, segment, region — the values come from the data), a feedback-theme
 * picker (a filter part: the cases with a response on that theme) and the active journey filter as
 * removable chips.
 */
export function FilterBar({
  scope,
  filter,
  onScope,
  onFilter,
}: {
  scope: DataScope;
  filter: JourneyFilterInput;
  onScope: (s: DataScope) => void;
  onFilter: (f: JourneyFilterInput) => void;
}) {
  const [attrs, setAttrs] = useState<JourneyAttributes | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    getJson<JourneyAttributes>('/api/journeys/attributes', ctl.signal).then(setAttrs, () => {
      // Without the pickers the page still works unscoped; the map shows its own errors.
    });
    return () => ctl.abort();
  }, []);
  const active = chips(filter);
  return (
    <div className="filter-bar">
      <div className="pickers">
        {PICKERS.map((p) => (
          <label key={p.key}>
            <span>{p.label}</span>
            <select
              value={scope[p.key]?.[0] ?? ''}
              onChange={(e) => onScope(setScope(scope, p.key, e.target.value))}
            >
              <option value="">{p.all}</option>
              {(attrs?.[p.attr] ?? []).map((v) => (
                <option key={v.name} value={v.name}>
                  {v.name.replaceAll('_', ' ')} ({formatInt(v.count)})
                </option>
              ))}
            </select>
          </label>
        ))}
        <label>
          <span>Theme</span>
          <select
            aria-label="Feedback theme"
            value={filter.feedbackThemes?.themes?.[0] ?? ''}
            onChange={(e) => onFilter(setTheme(filter, e.target.value))}
          >
            <option value="">All themes</option>
            {(attrs?.themes ?? []).map((v) => (
              <option key={v.name} value={v.name}>
                {v.name.replaceAll('_', ' ')} ({formatInt(v.count)})
              </option>
            ))}
          </select>
        </label>
      </div>
      {active.length > 0 && (
        <ul className="jr-chips" aria-label="Active filters">
          {active.map((c) => (
            <li key={c.key}>
              <span>{c.label}</span>
              <button
                type="button"
                aria-label={`Remove filter: ${c.label}`}
                onClick={() => onFilter(c.without)}
              >
                ×
              </button>
            </li>
          ))}
          <li className="clear">
            <button type="button" onClick={() => onFilter({})}>
              Clear all
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
