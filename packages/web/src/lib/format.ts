const int = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const one = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatInt = (n: number) => int.format(n);
export const formatOne = (n: number) => one.format(n);

/** NPS is a signed score, not a percentage: "+32", "−4", "0". */
export function formatNps(n: number | null): string {
  if (n === null) return '—';
  const r = Math.round(n);
  return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : '0';
}

export const formatPct = (share: number | null, digits = 1) =>
  share === null ? '—' : `${(100 * share).toFixed(digits)} %`;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2024-03" → "Mar 2024". */
export function formatMonth(ym: string): string {
  const [y, m] = ym.split('-');
  return `${MONTHS[Number(m) - 1] ?? m} ${y}`;
}

/**
 * A duration in seconds at a readable unit: "45 s", "12 min", "3.4 h", "2.1 d" (one decimal below 10
 * of a unit, whole numbers above).
 */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(seconds) >= size) {
      const v = seconds / size;
      return `${Math.abs(v) < 10 ? formatOne(v) : formatInt(v)} ${unit}`;
    }
  }
  return `${formatInt(seconds)} s`;
}
