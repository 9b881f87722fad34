import type { Overview } from '@cx/core';
import { formatInt, formatNps, formatOne, formatPct } from '../../lib/format.ts';
import { Tile } from '../../lib/tile.tsx';

function LowN({ n, reliable }: { n: number; reliable: number }) {
  if (n >= reliable) return null;
  return (
    <p className="warn">
      Fewer than {reliable} answers: read with care{n > 0 && n < 5 ? '; score hidden below 5' : ''}.
    </p>
  );
}

export function KpiTiles({ o }: { o: Overview }) {
  const { nps, csat, ces } = o;
  const pct = (x: number) => (nps.n ? (100 * x) / nps.n : 0);
  return (
    <div className="tiles">
      <Tile id="kpi-customers" title="Customers">
        <p className="value">{formatInt(o.customers)}</p>
        <p className="sub">{formatInt(o.activeCustomers)} active in the period</p>
      </Tile>
      <Tile id="kpi-events" title="Events">
        <p className="value">{formatInt(o.events)}</p>
        <p className="sub">in {formatInt(o.cases)} journey instances (cases)</p>
      </Tile>
      <Tile id="kpi-nps" title="NPS">
        <p className="value" data-testid="nps-value">
          {formatNps(nps.nps)}
        </p>
        {nps.ci95 && nps.marginOfError95 !== null ? (
          <p className="sub">
            ±{formatOne(nps.marginOfError95)} · 95 % interval {formatNps(nps.ci95[0])} to{' '}
            {formatNps(nps.ci95[1])}
          </p>
        ) : (
          <p className="sub">no interval</p>
        )}
        {nps.n > 0 && (
          <>
            <div className="ppd" aria-hidden="true">
              <span className="promoters" style={{ width: `${pct(nps.promoters)}%` }} />
              <span className="passives" style={{ width: `${pct(nps.passives)}%` }} />
              <span className="detractors" style={{ width: `${pct(nps.detractors)}%` }} />
            </div>
            <dl className="split">
              <div>
                <dt>
                  <i className="dot promoters" />
                  Promoters
                </dt>
                <dd>{formatOne(pct(nps.promoters))} %</dd>
              </div>
              <div>
                <dt>
                  <i className="dot passives" />
                  Passives
                </dt>
                <dd>{formatOne(pct(nps.passives))} %</dd>
              </div>
              <div>
                <dt>
                  <i className="dot detractors" />
                  Detractors
                </dt>
                <dd>{formatOne(pct(nps.detractors))} %</dd>
              </div>
            </dl>
          </>
        )}
        <p className="n">n = {formatInt(nps.n)}</p>
        <LowN n={nps.n} reliable={o.minN.reliable} />
      </Tile>
      <Tile id="kpi-csat" title="CSAT">
        <p className="value" data-testid="csat-value">
          {formatPct(csat.share)}
        </p>
        <p className="sub">
          {csat.ci95
            ? `95 % interval ${formatPct(csat.ci95[0])} to ${formatPct(csat.ci95[1])} (Wilson)`
            : 'no interval'}
        </p>
        <p className="sub">share answering 4–5 on 1–5</p>
        <p className="n">n = {formatInt(csat.n)}</p>
        <LowN n={csat.n} reliable={o.minN.reliable} />
      </Tile>
      <Tile id="kpi-ces" title="CES">
        <p className="value" data-testid="ces-value">
          {ces.mean === null ? '—' : ces.mean.toFixed(2)}
          <span className="unit"> / 7</span>
        </p>
        <p className="sub">
          {ces.ci95
            ? `95 % interval ${ces.ci95[0].toFixed(2)} to ${ces.ci95[1].toFixed(2)} (t)`
            : 'no interval'}
        </p>
        <p className="sub">mean effort score, 7 = very easy</p>
        <p className="n">n = {formatInt(ces.n)}</p>
        <LowN n={ces.n} reliable={o.minN.reliable} />
      </Tile>
    </div>
  );
}
