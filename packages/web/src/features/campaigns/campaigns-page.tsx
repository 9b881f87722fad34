import type { CampaignDid, CampaignResult, Campaigns } from '@cx/core';
import { ScatterChart } from 'echarts/charts';
import { MarkLineComponent } from 'echarts/components';
import { useMemo, useState } from 'react';
import { getJson } from '../../lib/api.ts';
import { Chart } from '../../lib/chart.tsx';
import { echarts } from '../../lib/echarts.ts';
import { useFilterValues } from '../../lib/filter-select.tsx';
import { formatInt, formatPct } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { shownOf, useGet } from '../../lib/use-get.ts';
import { formatEur, signed } from '../value/money.ts';
import '../value/value.css';

// The spend-versus-effect view is a scatter; registered here so only this page pays for it.
echarts.use([ScatterChart, MarkLineComponent]);

const pts = (x: number) => `${signed(100 * x)} pts`;
const range = (c: [number, number], f: (x: number) => string) => `${f(c[0])} to ${f(c[1])}`;

/**
 * Campaigns (issue 6 §5): spend next to incremental conversions, lift and ROI with intervals from a
 * holdout, the effect on NPS, and — for campaigns without a holdout — a plain "not identified" with a
 * difference-in-differences estimate on request.
 */
export function CampaignsPage() {
  const [valueInput, setValueInput] = useState('');
  const value = Number(valueInput);
  const query =
    valueInput.trim() && Number.isFinite(value) && value >= 0 ? `?valuePerConversion=${value}` : '';
  const [result, retry] = useGet<Campaigns>(`/api/campaigns${query}`);
  const data = shownOf(result);
  return (
    <div className="page campaigns-page">
      <header className="page-head">
        <h1>Campaigns</h1>
        <p className="period">
          Incremental effect from holdouts or difference-in-differences — never last touch
        </p>
        <label className="period-select">
          Value per conversion (EUR, 12 months){' '}
          <input
            type="number"
            min={0}
            placeholder="from outcomes"
            className="campaign-value-input"
            value={valueInput}
            onChange={(e) => setValueInput(e.target.value)}
          />
        </label>
      </header>
      <LoadStatus
        result={result}
        retry={retry}
        what="campaigns"
        loadingText="Loading campaigns…"
        announceReload={false}
      />
      {data && data.campaigns.length === 0 && (
        <div className="empty-state">
          <p>
            No campaigns in the store. Import a campaigns table and campaign touches (events with
            properties.campaign_id).
          </p>
        </div>
      )}
      {data && data.campaigns.length > 0 && (
        <div className={result.state === 'ready' ? '' : 'stale'} aria-busy={result.state === 'loading'}>
          <CampaignTable c={data} />
          <SpendEffectChart c={data} />
          {data.campaigns
            .filter((x) => x.design === 'none')
            .map((x) => (
              <DidPanel key={x.campaignId} campaign={x} />
            ))}
        </div>
      )}
    </div>
  );
}

function CampaignTable({ c }: { c: Campaigns }) {
  return (
    <section className="panel" aria-labelledby="campaigns-h">
      <h2 id="campaigns-h">Spend, incremental conversions and ROI</h2>
      <p className="panel-note">
        Conversion: “{c.conversion.activity}”
        {c.conversion.journey ? ` in ${c.conversion.journey.replaceAll('_', ' ')}` : ''} during the campaign.
        Lift = treatment − holdout conversion rate (95 % interval, two-proportion z); ROI = (lift × treated ×
        value per conversion − spend) ÷ spend, its interval from the lift’s.
      </p>
      <table className="journeys campaign-table">
        <thead>
          <tr>
            <th scope="col" className="campaign-name">
              Campaign
            </th>
            <th scope="col" className="num">
              Spend
            </th>
            <th scope="col" className="num">
              Reach
            </th>
            <th scope="col" className="num">
              Converted: treatment / holdout
            </th>
            <th scope="col" className="num">
              Lift (95 % interval)
            </th>
            <th scope="col" className="num">
              Incremental conversions
            </th>
            <th scope="col" className="num">
              ROI (95 % interval)
            </th>
            <th scope="col" className="num">
              NPS effect
            </th>
          </tr>
        </thead>
        <tbody>
          {c.campaigns.map((x) => (
            <tr key={x.campaignId} data-testid={`campaign-${x.campaignId}`}>
              <th scope="row" className="plain">
                {x.name}
                <br />
                <span className="muted">
                  {x.campaignId} · {x.channel} · {x.startDate} – {x.endDate}
                </span>
              </th>
              <td className="num">{formatEur(x.spend)}</td>
              <td className="num">{x.reach === null ? '—' : formatInt(x.reach)}</td>
              {x.lift && x.treatment && x.holdout ? (
                <>
                  <td className="num">
                    {formatPct(x.treatment.rate)} / {formatPct(x.holdout.rate)}
                  </td>
                  <td className="num">
                    <span className={x.lift.significant ? 'sig' : ''} data-testid={`lift-${x.campaignId}`}>
                      {pts(x.lift.estimate)}
                    </span>
                    <br />
                    <span className="muted">
                      {range(x.lift.ci95, pts)}
                      <br />z {x.lift.z === null ? '—' : signed(x.lift.z)}
                      {x.lift.significant ? '' : ' · not significant'}
                    </span>
                  </td>
                  <td className="num">
                    {x.incrementalConversions ? signed(x.incrementalConversions.estimate, 0) : '—'}
                    {x.incrementalConversions && (
                      <>
                        <br />
                        <span className="muted">
                          {range(x.incrementalConversions.ci95, (v) => signed(v, 0))}
                        </span>
                      </>
                    )}
                  </td>
                  <td className="num">
                    {x.roi ? `${signed(100 * x.roi.estimate, 0)} %` : '—'}
                    <br />
                    <span className="muted">
                      {x.roi ? range(x.roi.ci95, (v) => `${signed(100 * v, 0)} %`) : x.roiReason}
                    </span>
                  </td>
                  <td className="num">
                    {x.npsEffect ? signed(x.npsEffect.estimate) : '—'}
                    {x.npsEffect && (
                      <>
                        <br />
                        <span className="muted">{range(x.npsEffect.ci95, (v) => signed(v))}</span>
                      </>
                    )}
                  </td>
                </>
              ) : (
                <td colSpan={5} className="not-identified" data-testid={`not-identified-${x.campaignId}`}>
                  Not identified: {x.liftReason}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SpendEffectChart({ c }: { c: Campaigns }) {
  const shown = c.campaigns.filter((x) => x.npsEffect && x.lift && x.spend !== null);
  const option = useMemo(() => {
    const point = (x: CampaignResult) => [x.spend ?? 0, x.npsEffect!.estimate];
    return {
      grid: { left: 56, right: 24, top: 24, bottom: 44 },
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesName: string; dataIndex: number }) => {
          const x = shown[p.dataIndex]!;
          return `${x.name}<br>spend ${formatEur(x.spend)}<br>NPS effect ${signed(x.npsEffect!.estimate)} (95 % ${range(x.npsEffect!.ci95, (v) => signed(v))})<br>conversion lift ${pts(x.lift!.estimate)}`;
        },
      },
      xAxis: {
        type: 'value',
        name: 'Spend (EUR)',
        nameLocation: 'middle',
        nameGap: 28,
        min: 0,
      },
      yAxis: { type: 'value', name: 'NPS treatment − holdout', nameTextStyle: { align: 'left' } },
      series: [
        {
          name: 'NPS effect',
          type: 'scatter',
          symbolSize: 14,
          itemStyle: { color: '#2f6fb3' },
          data: shown.map(point),
          label: {
            show: true,
            position: 'right',
            formatter: (p: { dataIndex: number }) => shown[p.dataIndex]!.campaignId,
          },
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#9aa3af', type: 'dashed' },
            data: [{ yAxis: 0 }],
          },
        },
        // The 95 % interval of each effect as a vertical segment.
        ...shown.map((x) => ({
          name: `${x.campaignId} interval`,
          type: 'line',
          silent: true,
          symbol: 'none',
          lineStyle: { color: '#2f6fb3', width: 2 },
          data: [
            [x.spend ?? 0, x.npsEffect!.ci95[0]],
            [x.spend ?? 0, x.npsEffect!.ci95[1]],
          ],
        })),
      ],
    };
  }, [shown]);
  return (
    <section className="panel" aria-labelledby="spend-effect-h">
      <h2 id="spend-effect-h">Spend against CX effect</h2>
      <p className="panel-note">
        NPS of treated minus holdout customers (answers from the campaign start to 90 days after it), with its
        95 % interval, against what the campaign cost. Campaigns without an identified effect are left out,
        not placed at zero.
      </p>
      <Chart
        option={option}
        label={`Spend against NPS effect: ${shown.map((x) => `${x.campaignId} spend ${formatEur(x.spend)}, NPS effect ${signed(x.npsEffect!.estimate)}`).join('; ')}`}
        height={280}
      />
    </section>
  );
}

function DidPanel({ campaign }: { campaign: CampaignResult }) {
  const values = useFilterValues();
  const [region, setRegion] = useState('');
  const [metric, setMetric] = useState<'conversion' | 'nps'>('conversion');
  const [did, setDid] = useState<CampaignDid | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setError(null);
    const q = new URLSearchParams({ metric, ...(region ? { exposedRegions: region } : {}) });
    getJson<CampaignDid>(`/api/campaigns/${encodeURIComponent(campaign.campaignId)}/did?${q}`).then(
      setDid,
      (e: Error) => setError(e.message),
    );
  };
  const f = (x: number) => (did?.unit === 'share' ? pts(x) : `${signed(x)} NPS`);
  return (
    <section className="panel" aria-labelledby={`did-${campaign.campaignId}`}>
      <h2 id={`did-${campaign.campaignId}`}>{campaign.name}: difference-in-differences</h2>
      <p className="panel-note">
        No holdout, so the incremental effect is not identified from the campaign alone. If the campaign
        reached some regions only, compare them with the others, during the campaign against the same number
        of days before: DiD = (exposed after − before) − (others after − before). It assumes parallel trends.
      </p>
      <div className="campaign-did">
        <label>
          Exposed region
          <select value={region} onChange={(e) => setRegion(e.target.value)}>
            <option value="">(none: no comparison group)</option>
            {values?.regions.map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select value={metric} onChange={(e) => setMetric(e.target.value as 'conversion' | 'nps')}>
            <option value="conversion">Conversion rate</option>
            <option value="nps">NPS</option>
          </select>
        </label>
        <button type="button" onClick={run}>
          Estimate
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {did && (
        <p className="campaign-did-result" data-testid="did-result">
          {did.lift ? (
            <>
              DiD on {did.metric === 'nps' ? 'NPS' : 'conversion'}, {did.exposedRegions.join(', ')} against{' '}
              {did.comparisonRegions.join(', ')}: <strong>{f(did.lift.estimate)}</strong> (95 % interval{' '}
              {range(did.lift.ci95, f)}
              {did.lift.significant ? ', significant' : ', not significant'}). Before{' '}
              {did.windows.before.from} – {did.windows.before.to}, during {did.windows.during.from} –{' '}
              {did.windows.during.to}.
            </>
          ) : (
            <>Not identified: {did.liftReason}</>
          )}
        </p>
      )}
    </section>
  );
}
