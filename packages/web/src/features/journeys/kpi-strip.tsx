import type { JourneyMap } from '@cx/core';
import { formatDuration, formatInt } from '../../lib/format.ts';

/** The four numbers that move with every filter: cases, events, variants, median case duration. */
export function KpiStrip({ map }: { map: JourneyMap }) {
  const items = [
    { id: 'cases', label: 'Cases', value: formatInt(map.cases), sub: 'journey instances' },
    {
      id: 'events',
      label: 'Events',
      value: formatInt(map.events),
      sub: `${formatInt(map.activities.length)} activities`,
    },
    { id: 'variants', label: 'Variants', value: formatInt(map.variants), sub: 'distinct paths' },
    {
      id: 'duration',
      label: 'Median case duration',
      value: formatDuration(map.caseDurations.median),
      sub: `mean ${formatDuration(map.caseDurations.mean)}`,
    },
  ];
  return (
    <dl className="kpi-strip" aria-label="Journey figures">
      {items.map((k) => (
        <div key={k.id} className="kpi">
          <dt>{k.label}</dt>
          <dd className="value" data-testid={`kpi-${k.id}`}>
            {k.value}
          </dd>
          <dd className="sub">{k.sub}</dd>
        </div>
      ))}
    </dl>
  );
}
