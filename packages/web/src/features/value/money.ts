/** Euros without cents, "1,234 EUR"; a dash for no value. */
export function formatEur(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const r = Math.round(x);
  return `${r < 0 ? '−' : ''}${Math.abs(r).toLocaleString('en')} EUR`;
}

/** A signed number with a real minus sign. */
export function signed(x: number, digits = 1): string {
  const s = Math.abs(x).toLocaleString('en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  const zero = Number(s.replaceAll(',', '')) === 0;
  return zero ? s : x > 0 ? `+${s}` : `−${s}`;
}
