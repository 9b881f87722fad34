import type { CustomerFileResponse, CustomerScore } from '@cx/core';
import type { ReactNode } from 'react';
import { Tile } from '../../lib/tile.tsx';
import { day, npsClass } from './labels.ts';

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
      <AnswerTile id="c360-csat" title="Last CSAT" value={csat?.csat} max={5} none="No CSAT answer">
        {csat && day(csat.ts)}
      </AnswerTile>
      <AnswerTile id="c360-ces" title="Last CES" value={ces?.ces} max={7} none="No CES answer">
        {ces && `7 = very easy · ${day(ces.ts)}`}
      </AnswerTile>
      <ScoreTile id="c360-churn" title="Churn risk" score={churn} />
      <ScoreTile id="c360-xsell" title="Cross-sell propensity" score={crossSell} />
    </div>
  );
}

/** The last answer on a 1–max scale, or `none` when the customer never gave one. */
function AnswerTile({
  id,
  title,
  value,
  max,
  none,
  children,
}: {
  id: string;
  title: string;
  value: number | null | undefined;
  max: number;
  none: string;
  children: ReactNode;
}) {
  return (
    <Tile id={id} title={title}>
      {value !== null && value !== undefined ? (
        <>
          <p className="value" data-testid={id}>
            {value}
            <span className="unit">/{max}</span>
          </p>
          <p className="sub">{children}</p>
        </>
      ) : (
        <p className="sub">{none}</p>
      )}
    </Tile>
  );
}

/** A model's probability for the customer with its reasons, or "not scored yet". */
function ScoreTile({ id, title, score }: { id: string; title: string; score: CustomerScore | null }) {
  return (
    <Tile id={id} title={title}>
      {score ? (
        <>
          <p className="value" data-testid={id}>
            {pct(score.probability)}
          </p>
          <Reasons s={score} />
        </>
      ) : (
        <p className="sub">Not scored yet</p>
      )}
    </Tile>
  );
}
