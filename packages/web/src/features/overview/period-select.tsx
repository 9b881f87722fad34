import { formatMonth } from '../../lib/format.ts';

export interface PeriodOption {
  id: string;
  label: string;
  from?: string;
  to?: string;
}

/** "2024-03" shifted by `delta` months. */
function addMonths(ym: string, delta: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + delta;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * Periods relative to the data, not to today: a store imported last year still gets a useful
 * "last 3 months". Offered: all data, the last 3 and 12 months with data, and each calendar year.
 */
export function periodOptions(months: readonly string[]): PeriodOption[] {
  const options: PeriodOption[] = [{ id: 'all', label: 'All data' }];
  const last = months[months.length - 1];
  if (!last) return options;
  for (const k of [3, 12]) {
    if (months.length > k)
      options.push({ id: `last-${k}`, label: `Last ${k} months`, from: `${addMonths(last, 1 - k)}-01` });
  }
  const years = [...new Set(months.map((m) => m.slice(0, 4)))];
  if (years.length > 1) {
    for (const y of years.reverse()) options.push({ id: y, label: y, from: `${y}-01-01`, to: `${y}-12-31` });
  }
  return options;
}

export function describePeriod(o: PeriodOption, months: readonly string[]): string {
  if (o.from)
    return `${formatMonth(o.from.slice(0, 7))} – ${formatMonth((o.to ?? `${months[months.length - 1]}`).slice(0, 7))}`;
  if (!months.length) return 'No data yet';
  return `${formatMonth(months[0]!)} – ${formatMonth(months[months.length - 1]!)}`;
}

export function PeriodSelect({
  options,
  value,
  onChange,
}: {
  options: PeriodOption[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label className="period-select">
      Period{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
