import type { JourneyAttributes, NameCount } from '@cx/core';
import { useEffect, useState } from 'react';
import { getJson } from './api.ts';
import { formatInt } from './format.ts';

/**
 * The values the Overview can be filtered by (regions, segments, feedback themes), most frequent first.
 * They come from the journey attributes route, which already lists the distinct values of every picker
 * within the caller's scope.
 */
export function useFilterValues(): JourneyAttributes | null {
  const [values, setValues] = useState<JourneyAttributes | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    getJson<JourneyAttributes>('/api/journeys/attributes', ctl.signal).then(setValues, () => {
      // Without the lists the page still works unfiltered; the pickers stay hidden.
    });
    return () => ctl.abort();
  }, []);
  return values;
}

/** One picker: "all" (empty value) or one of the values, each with its count. */
export function FilterSelect({
  label,
  allLabel,
  values,
  value,
  onChange,
}: {
  label: string;
  allLabel: string;
  values: NameCount[];
  value: string;
  onChange: (value: string) => void;
}) {
  if (values.length === 0) return null;
  return (
    <label className="period-select">
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {values.map((t) => (
          <option key={t.name} value={t.name}>
            {t.name.replaceAll('_', ' ')} ({formatInt(t.count)})
          </option>
        ))}
      </select>
    </label>
  );
}

/** The scope pickers the analytic pages share, each with its label and "all" choice. */
const PICKERS = {
  region: { label: 'Region', allLabel: 'All regions', list: 'regions' },
  segment: { label: 'Segment', allLabel: 'All segments', list: 'segments' },
  journey: { label: 'Journey', allLabel: 'All journeys', list: 'journeys' },
  theme: { label: 'Theme', allLabel: 'All feedback', list: 'themes' },
} as const;

/** One of the shared pickers, hidden until the lists of values have loaded. */
export function FilterPicker({
  kind,
  values,
  value,
  onChange,
}: {
  kind: keyof typeof PICKERS;
  values: JourneyAttributes | null;
  value: string;
  onChange: (value: string) => void;
}) {
  if (!values) return null;
  const p = PICKERS[kind];
  return (
    <FilterSelect
      label={p.label}
      allLabel={p.allLabel}
      values={values[p.list]}
      value={value}
      onChange={onChange}
    />
  );
}
