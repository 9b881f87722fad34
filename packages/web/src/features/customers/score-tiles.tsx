import type { CustomerFileResponse, CustomerScore } from '@cx/core';
import type { ReactNode } from 'react';
import { day, npsClass } from './labels.ts';

function Tile({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="tile" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

const pct = (p: number) => `${Math.round(p * 100)} %`;

/** The reasons that raise the probability most, in words (the model's explanation). */
function Reasons({ s }: { s: CustomerScore }) {
  const up = [...s.reasons].filter((r) => r.contribution > 0).sort((a, b) => b.contribution - a.contribution);
  const down = [...s.reasons]
    .filter((r) => r.contribution < 0)
    .sort((a, b) => a.contribution - b.contribution);
  return (
    <ul className="c360-reasons">
      {up.slice(0, 3).map((r) => (
        <li key={r.feature} className="up">
          ▲ {r.text || r.feature}
        </li>
      ))}
      {down.slice(0, 1).map((r) => (
        <li key={r.feature} className="down">
          ▼ {r.text || r.feature}
        </li>
      ))}
    </ul>
  );
}

export function ScoreTiles({ f }: { f: CustomerFileResponse }) {
  const last = <K extends 'nps' | 'csat' | 'ces'>(k: K) => f.responses.filter((r) => r[k] !== null).at(-1);
  const nps = last('nps');
  const csat = last('csat');
  const ces = last('ces');
  const { churn, crossSell } = f.scores;
  return (
    <div className="tiles c360-tiles">
      <Tile id="c360-nps" title="Last NPS">
        {nps ? (
          <>
            <p className={`value ${npsClass(nps.nps!)}`} data-testid="c360-nps">
              {nps.nps}
            </p>
            <p className="sub">
              {npsClass(nps.nps!)} · {day(nps.ts)}
            </p>
          </>
        ) : (
          <p className="sub">No NPS answer</p>
        )}
      </Tile>
      <Tile id="c360-csat" title="Last CSAT">
        {csat ? (
          <>
            <p className="value" data-testid="c360-csat">
              {csat.csat}
              <span className="unit">/5</span>
            </p>
            <p className="sub">{day(csat.ts)}</p>
          </>
        ) : (
          <p className="sub">No CSAT answer</p>
        )}
      </Tile>
      <Tile id="c360-ces" title="Last CES">
        {ces ? (
          <>
            <p className="value" data-testid="c360-ces">
              {ces.ces}
              <span className="unit">/7</span>
            </p>
            <p className="sub">7 = very easy · {day(ces.ts)}</p>
          </>
        ) : (
          <p className="sub">No CES answer</p>
        )}
      </Tile>
      <Tile id="c360-churn" title="Churn risk">
        {churn ? (
          <>
            <p className="value" data-testid="c360-churn">
              {pct(churn.probability)}
            </p>
            <Reasons s={churn} />
          </>
        ) : (
          <p className="sub">Not scored yet</p>
        )}
      </Tile>
      <Tile id="c360-xsell" title="Cross-sell propensity">
        {crossSell ? (
          <>
            <p className="value" data-testid="c360-xsell">
              {pct(crossSell.probability)}
            </p>
            <Reasons s={crossSell} />
          </>
        ) : (
          <p className="sub">Not scored yet</p>
        )}
      </Tile>
    </div>
  );
}
