import type { OverviewJourney } from '@cx/core';
import { formatInt, formatNps } from '../../lib/format.ts';

/** Journeys ranked by cases (journey instances), with a bar for volume and the journey's NPS. */
export function TopJourneys({ journeys, reliable }: { journeys: OverviewJourney[]; reliable: number }) {
  if (!journeys.length) return <p className="empty">No events carry a journey yet.</p>;
  const max = Math.max(...journeys.map((j) => j.cases), 1);
  return (
    <table className="journeys">
      <caption className="visually-hidden">Top journeys by number of cases</caption>
      <thead>
        <tr>
          <th scope="col">Journey</th>
          <th scope="col" className="num">
            Cases
          </th>
          <th scope="col" className="bar-col">
            <span className="visually-hidden">Cases, relative</span>
          </th>
          <th scope="col" className="num">
            Customers
          </th>
          <th scope="col" className="num">
            Events
          </th>
          <th scope="col" className="num">
            NPS
          </th>
          <th scope="col" className="num">
            n
          </th>
        </tr>
      </thead>
      <tbody>
        {journeys.map((j) => (
          <tr key={j.journey}>
            <th scope="row">{j.journey.replaceAll('_', ' ')}</th>
            <td className="num">{formatInt(j.cases)}</td>
            <td className="bar-col">
              <span className="bar" style={{ width: `${(100 * j.cases) / max}%` }} />
            </td>
            <td className="num">{formatInt(j.customers)}</td>
            <td className="num">{formatInt(j.events)}</td>
            <td className={`num nps ${j.nps === null ? '' : j.nps >= 0 ? 'pos' : 'neg'}`}>
              {formatNps(j.nps)}
              {j.nps !== null && j.npsN < reliable && (
                <span title={`Fewer than ${reliable} answers`}> *</span>
              )}
            </td>
            <td className="num muted">{formatInt(j.npsN)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
