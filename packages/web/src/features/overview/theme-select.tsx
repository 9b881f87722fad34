import type { JourneyAttributes, NameCount } from '@cx/core';
import { useEffect, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import { formatInt } from '../../lib/format.ts';

/**
 * The feedback themes to filter the Overview by, most frequent first. They come from the journey
 * attributes route, which already lists the distinct values of every picker within the caller's scope.
 */
export function useThemes(): NameCount[] {
  const [themes, setThemes] = useState<NameCount[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    getJson<JourneyAttributes>('/api/journeys/attributes', ctl.signal).then(
      (a) => setThemes(a.themes),
      () => {
        // Without the list the page still works unfiltered; the picker stays empty.
      },
    );
    return () => ctl.abort();
  }, []);
  return themes;
}

export function ThemeSelect({
  themes,
  value,
  onChange,
}: {
  themes: NameCount[];
  value: string;
  onChange: (theme: string) => void;
}) {
  return (
    <label className="period-select">
      Theme{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">All feedback</option>
        {themes.map((t) => (
          <option key={t.name} value={t.name}>
            {t.name.replaceAll('_', ' ')} ({formatInt(t.count)})
          </option>
        ))}
      </select>
    </label>
  );
}
