import {
  type CampaignDid,
  CampaignDidQuerySchema,
  type Campaigns,
  CampaignsQuerySchema,
  inputError,
  type RevenueAtRisk,
  RevenueAtRiskQuerySchema,
  type ValueGroups,
  ValueGroupsQuerySchema,
} from '@cx/core';
import type { Command } from 'commander';
import { ZodError, type z } from 'zod';
import { list, scopeAndPeriod } from '../../http/routes/scope-query.ts';
import { campaignDid } from '../../queries/campaigns/campaign-did.ts';
import { campaignResults } from '../../queries/campaigns/campaign-results.ts';
import { npsGroupMoney } from '../../queries/value/nps-groups.ts';
import { revenueAtRisk } from '../../queries/value/revenue-at-risk.ts';
import { output, withStores } from '../context.ts';

/**
 * `cxc value groups|risk` and `cxc campaigns list|did`: the money view and campaign ROI from the
 * command line, with the same validation (zod schemas) and queries as the HTTP API.
 */
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Validates the flags with the API's schema; a refusal names the flag. */
function parseFlags<S extends z.ZodType>(schema: S, flags: Record<string, unknown>): z.infer<S> {
  const given = Object.fromEntries(
    Object.entries(flags)
      .filter(([k, v]) => k !== 'json' && v !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  try {
    return schema.parse(given);
  } catch (e) {
    if (e instanceof ZodError) {
      const i = e.issues[0];
      const field = `--${kebab(String(i?.path[0] ?? ''))}`;
      throw inputError(i?.message ?? 'invalid', { field });
    }
    throw e;
  }
}

const scopeOptions = (c: Command, period = true) => {
  if (period)
    c.option('--from <date>', 'first day of the period (YYYY-MM-DD)').option(
      '--to <date>',
      'last day of the period (YYYY-MM-DD)',
    );
  return c
    .option('--segments <list>', 'comma-separated segments')
    .option('--regions <list>', 'comma-separated regions')
    .option('--journeys <list>', 'comma-separated journeys')
    .option('--channels <list>', 'comma-separated channels')
    .option('--json', 'print the result as JSON');
};

const conversionOptions = (c: Command) =>
  c
    .option('--conversion-activity <name>', 'activity that counts as a conversion (default "Order placed")')
    .option('--conversion-journey <name>', 'journey of the conversion (default "upgrade"; "" = any)')
    .option(
      '--value-per-conversion <eur>',
      'margin of one conversion over 12 months (default: from outcomes)',
    );

const eur = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${Math.round(x).toLocaleString('en')} EUR`;
const pct = (x: number | null | undefined, d = 1) =>
  x === null || x === undefined ? '—' : `${(100 * x).toFixed(d)} %`;
const ci = (c: [number, number] | null | undefined, f: (x: number) => string) =>
  c ? `[${f(c[0])}, ${f(c[1])}]` : '';

export function registerValue(program: Command): void {
  const value = program
    .command('value')
    .description('Money links: NPS group → churn, revenue, cost, CLV; revenue at risk');
  scopeOptions(
    value
      .command('groups')
      .description(
        'Per NPS group: churn with interval, revenue, cost to serve, margin, share of wallet, CLV; value of moving a detractor',
      ),
  )
    .option('--discount <rate>', 'annual discount rate for CLV (default 0.1)')
    .action(async (flags: Record<string, unknown>) => {
      const q = parseFlags(ValueGroupsQuerySchema, flags);
      const { scope, period } = scopeAndPeriod(q);
      const r = await withStores((s) =>
        npsGroupMoney(
          s.warehouse,
          scope,
          period,
          q.discount === undefined ? {} : { annualDiscount: q.discount },
        ),
      );
      output(Boolean(flags.json), r, () => formatGroups(r));
    });
  scopeOptions(
    value
      .command('risk')
      .description('Revenue at risk = Σ P(churn) × value, total, by segment and NPS group'),
  )
    .option('--discount <rate>', 'annual discount rate for CLV (default 0.1)')
    .option('--value <kind>', 'annual_revenue (12 × monthly revenue, default) or clv')
    .option('--top <n>', 'customers to list (default 20)')
    .action(async (flags: Record<string, unknown>) => {
      const q = parseFlags(RevenueAtRiskQuerySchema, flags);
      const { scope, period } = scopeAndPeriod(q);
      const r = await withStores((s) =>
        revenueAtRisk(s.warehouse, scope, period, {
          ...(q.discount === undefined ? {} : { annualDiscount: q.discount }),
          ...(q.value === undefined ? {} : { value: q.value }),
          ...(q.top === undefined ? {} : { top: q.top }),
        }),
      );
      output(Boolean(flags.json), r, () => formatRisk(r));
    });

  const campaigns = program
    .command('campaigns')
    .description('Campaign lift (holdout or difference-in-differences) and ROI');
  conversionOptions(
    scopeOptions(
      campaigns
        .command('list')
        .description('Per campaign: spend, reach, conversions, lift, ROI with intervals'),
      false,
    ),
  ).action(async (flags: Record<string, unknown>) => {
    const q = parseFlags(CampaignsQuerySchema, flags);
    const { scope } = scopeAndPeriod(q);
    const r = await withStores((s) =>
      campaignResults(s.warehouse, scope, {
        ...(q.conversionActivity === undefined ? {} : { conversionActivity: q.conversionActivity }),
        ...(q.conversionJourney === undefined ? {} : { conversionJourney: q.conversionJourney }),
        ...(q.valuePerConversion === undefined ? {} : { valuePerConversion: q.valuePerConversion }),
      }),
    );
    output(Boolean(flags.json), r, () => formatCampaigns(r));
  });
  conversionOptions(
    scopeOptions(
      campaigns
        .command('did')
        .argument('<campaign>', 'campaign id')
        .description(
          'Difference-in-differences: exposed regions vs the others, during the campaign vs before',
        ),
      false,
    ),
  )
    .option('--exposed-regions <list>', 'regions exposed to the campaign')
    .option('--comparison-regions <list>', 'comparison regions (default: all others)')
    .option('--metric <m>', 'conversion (default) or nps')
    .action(async (id: string, flags: Record<string, unknown>) => {
      const q = parseFlags(CampaignDidQuerySchema, flags);
      const { scope } = scopeAndPeriod(q);
      const exposed = list(q.exposedRegions);
      const comparison = list(q.comparisonRegions);
      const r = await withStores((s) =>
        campaignDid(s.warehouse, scope, id, {
          ...(q.conversionActivity === undefined ? {} : { conversionActivity: q.conversionActivity }),
          ...(q.conversionJourney === undefined ? {} : { conversionJourney: q.conversionJourney }),
          ...(q.valuePerConversion === undefined ? {} : { valuePerConversion: q.valuePerConversion }),
          ...(exposed ? { exposedRegions: exposed } : {}),
          ...(comparison ? { comparisonRegions: comparison } : {}),
          ...(q.metric === undefined ? {} : { metric: q.metric }),
        }),
      );
      output(Boolean(flags.json), r, () => formatDid(r));
    });
}

export function formatGroups(r: ValueGroups): string {
  const rows = r.groups.map(
    (g) =>
      `  ${g.group.padEnd(10)} ${g.customers.toLocaleString('en').padStart(7)}  churn ${pct(g.churnRate).padStart(7)} ${ci(g.churnCi95, (x) => pct(x)).padEnd(18)}` +
      `  revenue ${eur(g.revenue).padStart(8)}  cost ${eur(g.costToServe).padStart(7)}  wallet ${pct(g.shareOfWallet, 0).padStart(5)}  CLV ${eur(g.clv)}`,
  );
  const d = r.promoterMinusDetractor?.churnRate;
  const m = r.moveDetractor;
  return [
    `NPS group (by mean answer), period ${r.period.from ?? 'start'} – ${r.period.to ?? 'end'}, discount ${pct(r.annualDiscount, 0)} a year`,
    ...rows,
    d
      ? `promoter − detractor churn: ${(100 * d.estimate).toFixed(1)} points ${ci(d.ci95, (x) => (100 * x).toFixed(1))}`
      : '',
    m.toPassive
      ? `value of moving one detractor to passive:  ${eur(m.toPassive.value)} ${ci(m.toPassive.ci95, eur)}`
      : '',
    m.toPromoter
      ? `value of moving one detractor to promoter: ${eur(m.toPromoter.value)} ${ci(m.toPromoter.ci95, eur)}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function formatRisk(r: RevenueAtRisk): string {
  return [
    `revenue at risk ${eur(r.total.revenueAtRisk)} of ${eur(r.total.value)} (${r.total.customers.toLocaleString('en')} active customers; P(churn) from ${r.probabilitySource === 'model' ? `model ${r.model?.modelId}` : 'the NPS group churn rate'}; value ${r.value})`,
    'by segment:',
    ...r.bySegment.map(
      (s) => `  ${s.key.padEnd(10)} ${eur(s.revenueAtRisk).padStart(14)}  (${s.customers} customers)`,
    ),
    'by NPS group:',
    ...r.byGroup.map(
      (s) => `  ${s.key.padEnd(10)} ${eur(s.revenueAtRisk).padStart(14)}  (${s.customers} customers)`,
    ),
  ].join('\n');
}

export function formatCampaigns(r: Campaigns): string {
  return r.campaigns
    .map((c) => {
      const head = `${c.campaignId} — ${c.name}: spend ${eur(c.spend)}, reach ${c.reach?.toLocaleString('en') ?? '—'}`;
      if (!c.lift) return `${head}\n  lift: not identified (${c.liftReason})`;
      const pts = (x: number) => `${(100 * x).toFixed(2)}`;
      return [
        head,
        `  conversion treatment ${pct(c.treatment?.rate, 2)} of ${c.treatment?.customers}, holdout ${pct(c.holdout?.rate, 2)} of ${c.holdout?.customers}`,
        `  lift ${pts(c.lift.estimate)} points ${ci(c.lift.ci95, pts)}, z ${c.lift.z?.toFixed(2) ?? '—'}, p ${c.lift.p?.toPrecision(2) ?? '—'}`,
        `  incremental conversions ${c.incrementalConversions?.estimate.toFixed(0)}, value per conversion ${eur(c.valuePerConversion?.value)} (${c.valuePerConversion?.source ?? '—'})`,
        c.roi
          ? `  ROI ${pct(c.roi.estimate, 0)} ${ci(c.roi.ci95, (x) => pct(x, 0))}`
          : `  ROI: ${c.roiReason}`,
      ].join('\n');
    })
    .join('\n');
}

export function formatDid(r: CampaignDid): string {
  if (!r.lift) return `${r.campaignId}: not identified (${r.liftReason})`;
  const f = (x: number) => (r.unit === 'share' ? `${(100 * x).toFixed(2)} pts` : `${x.toFixed(1)} NPS`);
  return [
    `${r.campaignId} DiD on ${r.metric}: exposed ${r.exposedRegions.join(', ')} vs ${r.comparisonRegions.join(', ')}`,
    `  before ${r.windows.before.from} – ${r.windows.before.to}, during ${r.windows.during.from} – ${r.windows.during.to}`,
    `  DiD ${f(r.lift.estimate)} ${ci(r.lift.ci95, f)}, z ${r.lift.z?.toFixed(2) ?? '—'}`,
    `  assumption: ${r.assumption}`,
  ].join('\n');
}
