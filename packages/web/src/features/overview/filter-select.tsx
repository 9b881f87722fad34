import type { JourneyAttributes, NameCount } from '@cx/core';
import { useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';

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
