/** Words for codes the cockpit shows: channels, journeys, NPS groups. */
const CHANNELS: Record<string, string> = {
  web: 'Web',
  app: 'App',
  call_centre: 'Call',
  shop: 'Shop',
  email: 'E-mail',
  chat: 'Chat',
  back_office: 'Back office',
};

export const channelLabel = (c: string | null) => (c ? (CHANNELS[c] ?? c.replaceAll('_', ' ')) : '—');

export function journeyLabel(j: string | null): string {
  if (!j) return 'Other';
  const s = j.replaceAll('_', ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function npsClass(nps: number): 'promoter' | 'passive' | 'detractor' {
  return nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
}

/** "2026-05-12" from an ISO instant (UTC day). */
export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');
/** "2026-05-12 14:03" (UTC). */
export const dayTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

export const money = (x: number | null) =>
  x === null ? '—' : `${x.toLocaleString('en', { maximumFractionDigits: 0 })} EUR`;
