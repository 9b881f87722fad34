import type { RevenueAtRisk, ValueGroup, ValueGroups } from '@cx/core';
import { useEffect, useMemo, useState } from 'react';
import { Chart } from '../../lib/chart.tsx';
import { FilterPicker, useFilterValues } from '../../lib/filter-select.tsx';
import { formatInt, formatPct } from '../../lib/format.ts';
import { LoadStatus } from '../../lib/load-status.tsx';
import { Tile } from '../../lib/tile.tsx';
import { queryString, shownOf, useGet } from '../../lib/use-get.ts';
import { describePeriod, PeriodSelect, periodOptions } from '../overview/period-select.tsx';
import { formatEur, signed } from './money.ts';
import './value.css';

const GROUP_LABEL: Record<ValueGroup['group'], string> = {
  promoter: 'Promoters',
  passive: 'Passives',
  detractor: 'Detractors',
  no_answer: 'No answer',
};
const GROUP_COLOR: Record<ValueGroup['group'], string> = {
  promoter: '#1f8a70',
  passive: '#9aa3af',
  detractor: '#c8443a',
  no_answer: '#d6dbe2',
};

const interval = (c: [number, number] | null, f: (x: number) => string) =>
  c ? `${f(c[0])} to ${f(c[1])}` : '';

/**
 * The money view (issue 6 §2): what an NPS group is worth — churn with intervals, revenue, cost to
 * serve, CLV, share of wallet — revenue at risk, and the value of moving one detractor.
 */
export function ValuePage() {
  const [periodId, setPeriodId] = useState('all');
  const [region, setRegion] = useState('');
  const [segment, setSegment] = useState('');
  const [journey, setJourney] = useState('');
  const [months, setMonths] = useState<string[]>([]);
  const values = useFilterValues();
  const options = useMemo(() => periodOptions(months), [months]);
  const period = options.find((o) => o.id === periodId) ?? options[0]!;
  const scope = {
    from: period.from,
    to: period.to,
    regions: region,
    segments: segment,
    journeys: journey,
  };
  const [groups, retry] = useGet<ValueGroups>(`/api/value/groups${queryString(scope)}`);
  const [risk] = useGet<RevenueAtRisk>(`/api/value/revenue-at-risk${queryString({ top: 10, ...scope })}`);
  const g = shownOf(groups);
  const r = shownOf(risk);
  useEffect(() => {
    if (g?.months.length && months.length === 0) setMonths(g.months);
  }, [g, months.length]);

  return (
    <div className="page value-page">
      <header className="page-head">
        <h1>Money</h1>
        {months.length > 0 && <p className="period">{describePeriod(period, months)}</p>}
        {options.length > 1 && <PeriodSelect options={options} value={period.id} onChange={setPeriodId} />}
        <FilterPicker kind="segment" values={values} value={segment} onChange={setSegment} />
        <FilterPicker kind="region" values={values} value={region} onChange={setRegion} />
        <FilterPicker kind="journey" values={values} value={journey} onChange={setJourney} />
      </header>
      <LoadStatus result={groups} retry={retry} what="money view" announceReload={false} />
      {g && (
        <div className={groups.state === 'ready' ? '' : 'stale'} aria-busy={groups.state === 'loading'}>
          <ValueTiles g={g} r={r ?? null} />
          <GroupTable g={g} />
          <div className="value-grid">
            <ChurnChart g={g} />
            {r && <RiskPanel r={r} />}
          </div>
          <TopAtRisk r={r ?? null} />
        </div>
      )}
    </div>
  );
}

function ValueTiles({ g, r }: { g: ValueGroups; r: RevenueAtRisk | null }) {
  const d = g.promoterMinusDetractor?.churnRate ?? null;
  const { toPassive, toPromoter } = g.moveDetractor;
  return (
    <div className="tiles value-tiles">
      <Tile id="tile-risk" title="Revenue at risk">
        <p className="value" data-testid="revenue-at-risk">
          {r ? formatEur(r.total.revenueAtRisk) : '…'}
        </p>
        {r && (
          <p className="sub">
            of {formatEur(r.total.value)} {r.value === 'clv' ? 'CLV' : 'annual revenue'} of{' '}
            {formatInt(r.total.customers)} active customers · P(churn) from{' '}
            {r.probabilitySource === 'model' ? `churn model ${r.model?.modelId}` : 'NPS group churn rates'}
          </p>
        )}
      </Tile>
      <Tile id="tile-move-promoter" title="One detractor → promoter">
        <p className="value" data-testid="move-promoter">
          {toPromoter ? formatEur(toPromoter.value) : '—'}
        </p>
        {toPromoter && <p className="sub">95 % interval {interval(toPromoter.ci95, formatEur)}</p>}
      </Tile>
      <Tile id="tile-move-passive" title="One detractor → passive">
        <p className="value">{toPassive ? formatEur(toPassive.value) : '—'}</p>
        {toPassive && <p className="sub">95 % interval {interval(toPassive.ci95, formatEur)}</p>}
      </Tile>
      <Tile id="tile-churn-diff" title="Churn: promoters − detractors">
        <p className="value">
          {d ? signed(100 * d.estimate) : '—'}
          {d && <span className="unit"> points</span>}
        </p>
        {d && (
          <p className="sub">
            95 % interval {interval(d.ci95, (x) => signed(100 * x))}
            {d.ci95[1] < 0 || d.ci95[0] > 0 ? ' · significant' : ' · not significant'}
          </p>
        )}
      </Tile>
    </div>
  );
}

function GroupTable({ g }: { g: ValueGroups }) {
  return (
    <section className="panel" aria-labelledby="value-groups-h">
      <h2 id="value-groups-h">What an NPS group is worth</h2>
      <p className="panel-note">
        Group by the customer’s mean NPS answer in the period; customers without an answer are shown apart.
        Money per customer and month; CLV = margin × r / (1 + i − r) (Gupta &amp; Lehmann 2003) with the
        group’s monthly retention r and {formatPct(g.annualDiscount, 0)} a year discount. Share of wallet =
        products held ÷ {g.productsAvailable}.
      </p>
      <table className="journeys value-table">
        <thead>
          <tr>
            <th scope="col">NPS group</th>
            <th scope="col" className="num">
              Customers
            </th>
            <th scope="col" className="num">
              Churn in period
            </th>
            <th scope="col" className="num">
              95 % interval
            </th>
            <th scope="col" className="num">
              Revenue / month
            </th>
            <th scope="col" className="num">
              Cost to serve
            </th>
            <th scope="col" className="num">
              Margin
            </th>
            <th scope="col" className="num">
              Products (change)
            </th>
            <th scope="col" className="num">
              Share of wallet
            </th>
            <th scope="col" className="num">
              CLV
            </th>
          </tr>
        </thead>
        <tbody>
          {g.groups.map((x) => (
            <tr
              key={x.group}
              data-testid={`group-${x.group}`}
              className={x.group === 'no_answer' ? 'muted-row' : ''}
            >
              <th scope="row">
                <i className="dot" style={{ background: GROUP_COLOR[x.group] }} /> {GROUP_LABEL[x.group]}
              </th>
              <td className="num">{formatInt(x.customers)}</td>
              <td className="num" data-testid={`churn-${x.group}`}>
                {formatPct(x.churnRate)}
              </td>
              <td className="num muted">{interval(x.churnCi95, (v) => formatPct(v))}</td>
              <td className="num">{formatEur(x.revenue)}</td>
              <td className="num">{formatEur(x.costToServe)}</td>
              <td className="num">{formatEur(x.margin)}</td>
              <td className="num">
                {x.products?.toFixed(2) ?? '—'} (
                {x.productsChange === null ? '—' : signed(x.productsChange, 2)})
              </td>
              <td className="num">{formatPct(x.shareOfWallet, 0)}</td>
              <td className="num" title={x.clvCi95 ? `95 % interval ${interval(x.clvCi95, formatEur)}` : ''}>
                {formatEur(x.clv)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Differences g={g} />
    </section>
  );
}

function Differences({ g }: { g: ValueGroups }) {
  const d = g.promoterMinusDetractor;
  if (!d) return null;
  const rows: [string, typeof d.churnRate, (x: number) => string][] = [
    ['Churn rate', d.churnRate, (x) => `${signed(100 * x)} pts`],
    ['Revenue / month', d.revenue, (x) => `${signed(x)} EUR`],
    ['Cost to serve / month', d.costToServe, (x) => `${signed(x)} EUR`],
    ['Margin / month', d.margin, (x) => `${signed(x)} EUR`],
    ['Change in products', d.productsChange, (x) => signed(x, 2)],
    ['CLV', d.clv, (x) => `${signed(x, 0)} EUR`],
  ];
  return (
    <dl className="value-diffs" aria-label="Promoters minus detractors">
      <dt className="value-diffs-title">Promoters − detractors</dt>
      <dd />
      {rows.map(([label, x, f]) =>
        x ? (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              {f(x.estimate)} <span className="muted">({interval(x.ci95, f)})</span>
            </dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

function ChurnChart({ g }: { g: ValueGroups }) {
  const option = useMemo(() => {
    const cats = g.groups.map((x) => GROUP_LABEL[x.group]);
    return {
      grid: { left: 48, right: 16, top: 28, bottom: 28 },
      tooltip: {
        trigger: 'axis',
        formatter: (p: { dataIndex: number }[]) => {
          const x = g.groups[p[0]?.dataIndex ?? 0]!;
          return `${GROUP_LABEL[x.group]}: ${formatPct(x.churnRate)} churned (95 % ${interval(x.churnCi95, (v) => formatPct(v))}), n = ${formatInt(x.customers)}`;
        },
      },
      xAxis: {
        type: 'category',
        data: cats,
      },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `${Math.round(100 * v)} %` } },
      series: [
        {
          type: 'bar',
          barWidth: '45%',
          data: g.groups.map((x) => ({ value: x.churnRate, itemStyle: { color: GROUP_COLOR[x.group] } })),
        },
        // The 95 % interval of each group as a vertical segment at its category.
        ...g.groups.map((x, i) => ({
          type: 'line',
          silent: true,
          symbol: 'rect',
          symbolSize: [10, 2],
          itemStyle: { color: '#1c2533' },
          lineStyle: { color: '#1c2533', width: 2 },
          // The share itself is written above the interval, where no line crosses it.
          data: [
            [i, x.churnCi95[0]],
            {
              value: [i, x.churnCi95[1]],
              label: {
                show: true,
                position: 'top',
                color: '#1c2533',
                formatter: () => formatPct(x.churnRate),
              },
            },
          ],
        })),
      ],
    };
  }, [g]);
  return (
    <section className="panel" aria-labelledby="churn-chart-h">
      <h2 id="churn-chart-h">Churn by NPS group</h2>
      <p className="panel-note">
        Share of customers who churned in the period; black line: Wilson 95 % interval.
      </p>
      <Chart
        option={option}
        label={`Churn by NPS group: ${g.groups.map((x) => `${GROUP_LABEL[x.group]} ${formatPct(x.churnRate)}`).join(', ')}`}
        height={260}
      />
    </section>
  );
}

function RiskPanel({ r }: { r: RevenueAtRisk }) {
  const max = Math.max(...r.bySegment.map((s) => s.revenueAtRisk), 1);
  return (
    <section className="panel" aria-labelledby="risk-h">
      <h2 id="risk-h">Revenue at risk by segment</h2>
      <p className="panel-note">
        Σ P(churn) × {r.value === 'clv' ? 'CLV' : '12 × monthly revenue'} over customers active at the end of
        the period; P(churn){' '}
        {r.probabilitySource === 'model'
          ? 'over 12 months from the churn model’s score over its horizon H, as 1 − (1 − p)^(12/H)'
          : 'over 12 months from the NPS group’s monthly churn rate (no churn model scores yet)'}
        .
      </p>
      <table className="journeys">
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col" className="num">
              Customers
            </th>
            <th scope="col" className="num">
              Revenue at risk
            </th>
            <th scope="col" className="bar-col">
              <span className="visually-hidden">Share</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {r.bySegment.map((s) => (
            <tr key={s.key}>
              <th scope="row">{s.key}</th>
              <td className="num">{formatInt(s.customers)}</td>
              <td className="num">{formatEur(s.revenueAtRisk)}</td>
              <td className="bar-col">
                <span className="bar" style={{ width: `${(100 * s.revenueAtRisk) / max}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="panel-note value-by-group">
        By NPS group:{' '}
        {r.byGroup
          .map((s) => `${GROUP_LABEL[s.key as ValueGroup['group']] ?? s.key} ${formatEur(s.revenueAtRisk)}`)
          .join(' · ')}
      </p>
    </section>
  );
}

function TopAtRisk({ r }: { r: RevenueAtRisk | null }) {
  if (!r || r.customers.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="top-risk-h">
      <h2 id="top-risk-h">Customers carrying most revenue at risk</h2>
      <table className="journeys">
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Segment</th>
            <th scope="col">NPS group</th>
            <th scope="col" className="num">
              P(churn)
            </th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="num">
              At risk
            </th>
          </tr>
        </thead>
        <tbody>
          {r.customers.map((c) => (
            <tr key={c.customerId}>
              <th scope="row" className="plain">
                {c.customerId}
              </th>
              <td>{c.segment ?? '—'}</td>
              <td>{GROUP_LABEL[c.group as ValueGroup['group']] ?? c.group}</td>
              <td className="num">{formatPct(c.probability)}</td>
              <td className="num">{formatEur(c.value)}</td>
              <td className="num">{formatEur(c.revenueAtRisk)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
