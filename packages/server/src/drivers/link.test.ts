import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../demo/seed.ts';
import { linkTable } from '../queries/drivers/link-table.ts';
import { openStores, type Stores } from '../stores.ts';
import { defaultMetricsTree } from './default-tree.ts';
import { computeLink } from './link.ts';
import { driverNode, driverWhatIf } from './service.ts';

/**
 * The metrics tree on the demo company must recover the causal model of docs/demo-data.md "Scores":
 * waiting time is the strongest service-level driver of the hotline's speed, and speed the strongest
 * element of the hotline's CSAT (0.40 > ease 0.25 > competence 0.20 > courtesy 0.15).
 */
let demo: Stores;
let small: Stores;

beforeAll(async () => {
  demo = await openStores('memory');
  await seedDemo(demo.warehouse, { customers: 2000, seed: 42 });
  small = await openStores('memory');
}, 120_000);
afterAll(async () => {
  await demo?.close();
  await small?.close();
});

const FEEDBACK = [
  'response_id',
  'customer_id',
  'case_id',
  'ts',
  'journey',
  'touchpoint',
  'nps',
  'csat',
  'elements',
];

describe('computeLink on the demo company (2,000 customers)', () => {
  it('billing hotline CSAT: speed has the largest element weight, with intervals that do not overlap the rest', async () => {
    const l = await driverNode(demo, { nodeId: 'billing_question/hotline', resamples: 1000 });
    expect(l.method).toBe('relative_weights');
    expect(l.n).toBeGreaterThan(400);
    const w = Object.fromEntries(l.children.map((c) => [c.id.split('/').pop(), c]));
    const order = l.children.toSorted((a, b) => b.share - a.share).map((c) => c.id.split('/').pop());
    expect(order[0]).toBe('speed');
    expect(order[1]).toBe('ease');
    // Stable ordering: the top driver's interval lies above every other driver's interval.
    for (const k of ['ease', 'courtesy', 'competence'])
      expect(w.speed!.ci!.low).toBeGreaterThan(w[k]!.ci!.high);
    for (const c of l.children) {
      expect(c.ci!.low).toBeLessThanOrEqual(c.raw);
      expect(c.ci!.high).toBeGreaterThanOrEqual(c.raw);
      expect(c.correlation).toBeGreaterThan(0);
    }
    // The demo's correlations with hotline CSAT at 20k: speed +0.74, ease +0.53.
    expect(w.speed!.correlation!).toBeGreaterThan(0.6);
    expect(l.r2!).toBeGreaterThan(0.5);
    expect(l.children.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 9);
  });

  it('billing hotline speed: waiting time is the top service-level driver, from events and measurements', async () => {
    const l = await driverNode(demo, { nodeId: 'billing_question/hotline/speed', resamples: 1000 });
    const by = Object.fromEntries(l.children.map((c) => [c.id.split('/').pop(), c]));
    const wait = by.wait_minutes!;
    for (const k of ['assisted_contacts', 'transfers', 'first_contact_resolution']) {
      expect(wait.share).toBeGreaterThan(by[k]!.share);
      expect(wait.ci!.low).toBeGreaterThan(by[k]!.ci!.high);
    }
    expect(wait.correlation!).toBeLessThan(-0.5);
    expect(wait.sign).toBe(-1);
    expect(by.first_contact_resolution!.correlation!).toBeGreaterThan(0.3);
    // KPIs: mean and share within target; lower is better for waits.
    expect(wait.performance.direction).toBe('lower_is_better');
    expect(wait.performance.withinTarget!).toBeGreaterThan(0);
    expect(wait.performance.withinTarget!).toBeLessThan(1);
    expect(wait.quadrant).toBe('concentrate_here');
  });

  it('billing hotline CSAT on the service KPIs directly: waiting time has the largest weight', async () => {
    const kpis = ['wait_minutes', 'assisted_contacts', 'transfers', 'first_contact_resolution'];
    const tree = {
      root: 'csat',
      nodes: [
        {
          id: 'csat',
          label: 'Billing hotline CSAT',
          kind: 'touchpoint' as const,
          measure: 'csat',
          filter: { journeys: ['billing_question'], touchpoints: ['hotline'] },
          children: kpis,
        },
        ...kpis.map((k) => ({ id: k, label: k, kind: 'kpi' as const, measure: `kpi:${k}`, children: [] })),
      ],
    };
    const l = await computeLink(demo.warehouse, tree, 0, 'csat', { scope: {}, resamples: 1000, seed: 1 });
    const [top, ...rest] = l.children.toSorted((a, b) => b.share - a.share);
    expect(top!.id).toBe('wait_minutes');
    for (const c of rest) expect(top!.ci!.low).toBeGreaterThan(c.ci!.high);
    // docs/demo-data.md at 20k: wait −0.70, contacts −0.56, FCR +0.51 with hotline CSAT.
    expect(top!.correlation!).toBeLessThan(-0.5);
  });

  it('NPS ← journeys uses the impact definition and the same seed gives the same intervals', async () => {
    const l = await driverNode(demo, { nodeId: 'nps', resamples: 200 });
    expect(l.method).toBe('impact');
    expect(l.children.map((c) => c.id)).toEqual(defaultMetricsTree().nodes[0]!.children);
    const vol = l.children.reduce((s, c) => s + c.volumeShare!, 0);
    expect(vol).toBeGreaterThan(0.9);
    expect(vol).toBeLessThanOrEqual(1 + 1e-9);
    for (const c of l.children) {
      expect(c.npsPoints).toBe(c.raw);
      expect(c.npsPointsCi!.low).toBeLessThan(c.raw);
    }
    const again = await computeLink(demo.warehouse, defaultMetricsTree(), 0, 'billing_question/hotline', {
      scope: {},
      resamples: 300,
      seed: 5,
    });
    const twice = await computeLink(demo.warehouse, defaultMetricsTree(), 0, 'billing_question/hotline', {
      scope: {},
      resamples: 300,
      seed: 5,
    });
    expect(twice.children.map((c) => c.ci)).toEqual(again.children.map((c) => c.ci));
  });

  it('a constant KPI on a slice is left out with a warning instead of failing the link', async () => {
    const l = await driverNode(demo, { nodeId: 'tech_support/hotline/ease', resamples: 100 });
    const transfers = l.children.find((c) => c.id.endsWith('/transfers'))!;
    expect(transfers.included).toBe(false);
    expect(transfers.quadrant).toBeNull();
    expect(l.warnings.join(' ')).toMatch(/"Transfers" left out.*constant/);
  });

  it('what-if: speed +0.5 on the billing hotline raises its CSAT by coefficient × 0.5 and is carried to NPS', async () => {
    const l = await driverNode(demo, { nodeId: 'billing_question/hotline', resamples: 1000 });
    const speed = l.children.find((c) => c.id.endsWith('/speed'))!;
    const w = await driverWhatIf(demo, {
      nodeId: 'billing_question/hotline',
      childId: speed.id,
      delta: 0.5,
    });
    expect(w.steps.map((s) => s.nodeId)).toEqual(['billing_question/hotline', 'billing_question', 'nps']);
    expect(w.steps[0]!.change).toBeCloseTo(speed.coefficient! * 0.5, 12);
    expect(w.steps[0]!.ci!.low).toBeCloseTo(speed.coefficientCi!.low * 0.5, 12);
    // The demo model's csat* carries 0.40·speed* (rounding and noise attenuate the estimate).
    expect(w.steps[0]!.change).toBeGreaterThan(0.1);
    expect(w.steps[0]!.change).toBeLessThan(0.35);
    for (const s of w.steps) expect(s.change).toBeGreaterThan(0);
    expect(w.note).toMatch(/approximation/);
  });
});

describe('computeLink known answers', () => {
  beforeAll(async () => {
    // Two journeys; NPS: A = 10, 10, 0 and B = 10, 5. Elements a, b balanced and orthogonal, with an
    // orthogonal remainder e: csat = 1 + 2(a − 1) + (b − 1) + e.
    const rows: unknown[][] = [];
    let i = 0;
    for (const e of [0, 1])
      for (const a of [1, 2])
        for (const b of [1, 2]) {
          i++;
          rows.push([
            `k${i}`,
            `c${i}`,
            null,
            new Date(Date.UTC(2025, 0, i)),
            'kat',
            'tp',
            5,
            1 + 2 * (a - 1) + (b - 1) + e,
            JSON.stringify({ a, b }),
          ]);
        }
    const nps: [string, number][] = [
      ['A', 10],
      ['A', 10],
      ['A', 0],
      ['B', 10],
      ['B', 5],
    ];
    nps.forEach(([j, v], k) => {
      rows.push([`n${k}`, `n${k}`, `case${k}`, new Date(Date.UTC(2025, 1, k + 1)), j, 'x', v, 3, null]);
    });
    await small.warehouse.append('feedback', FEEDBACK, rows);
    // Case 0: two contacts waiting 120 s and 240 s, one transfer, FCR 0; case 1: no contact.
    await small.warehouse.append(
      'events',
      ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'value', 'properties'],
      [
        ['e1', 'n0', 'case0', new Date(Date.UTC(2025, 0, 30)), 'Call hotline', 120, { wait_seconds: 120 }],
        ['e2', 'n0', 'case0', new Date(Date.UTC(2025, 0, 30, 1)), 'Transfer to billing team', null, {}],
        ['e3', 'n0', 'case0', new Date(Date.UTC(2025, 0, 30, 2)), 'Call hotline', 240, { wait_seconds: 240 }],
        ['e4', 'n0', 'case0', new Date(Date.UTC(2025, 0, 30, 3)), 'Order placed', 39, { product: 'tv' }],
        ['e5', 'n1', 'case1', new Date(Date.UTC(2025, 0, 30)), 'View bill online', null, {}],
      ],
    );
    await small.warehouse.append(
      'measurements',
      ['ts', 'kpi', 'scope', 'value', 'case_id'],
      [[new Date(Date.UTC(2025, 0, 30, 4)), 'first_contact_resolution', 'case:case0', 0, 'case0']],
    );
  });

  it('relative weights of orthogonal drivers are their squared correlations; the coefficients are exact', async () => {
    const tree = {
      root: 'csat',
      nodes: [
        {
          id: 'csat',
          label: 'CSAT',
          kind: 'touchpoint' as const,
          measure: 'csat',
          filter: { journeys: ['kat'] },
          children: ['a', 'b'],
        },
        { id: 'a', label: 'A', kind: 'element' as const, measure: 'element:a', children: [] },
        { id: 'b', label: 'B', kind: 'element' as const, measure: 'element:b', children: [] },
      ],
    };
    const l = await computeLink(small.warehouse, tree, 3, 'csat', { scope: {}, resamples: 0, seed: 0 });
    expect(l.n).toBe(8);
    // Var: 2a → 1, b → 0.25, e → 0.25 of 1.5 in all.
    expect(l.r2).toBeCloseTo(2.5 / 3, 12);
    expect(l.children[0]!.raw).toBeCloseTo(2 / 3, 12);
    expect(l.children[1]!.raw).toBeCloseTo(1 / 6, 12);
    expect(l.children[0]!.share).toBeCloseTo(0.8, 12);
    expect(l.children[0]!.coefficient).toBeCloseTo(2, 12);
    expect(l.children[1]!.coefficient).toBeCloseTo(1, 12);
    // Performance: means 1.5 on 1–5 → normalised 0.125; top box (4–5) none.
    expect(l.children[0]!.performance).toMatchObject({ n: 8, mean: 1.5, topBox: 0, normalised: 0.125 });
    expect(l.parent.headline).toBeCloseTo(3, 12);
  });

  it('impact of a journey = NPS(all) − NPS(rest), interval w·1.96·√(Var_j/n_j + Var_rest/n_rest)', async () => {
    const tree = {
      root: 'nps',
      nodes: [
        { id: 'nps', label: 'NPS', kind: 'score' as const, measure: 'nps', children: ['A', 'B'] },
        {
          id: 'A',
          label: 'A',
          kind: 'journey' as const,
          measure: 'csat',
          filter: { journeys: ['A'] },
          children: [],
        },
        {
          id: 'B',
          label: 'B',
          kind: 'journey' as const,
          measure: 'csat',
          filter: { journeys: ['B'] },
          children: [],
        },
      ],
    };
    const l = await computeLink(small.warehouse, tree, 1, 'nps', {
      scope: {},
      filters: { from: '2025-02-01' },
      resamples: 0,
      seed: 0,
    });
    expect(l.method).toBe('impact');
    expect(l.n).toBe(5);
    expect(l.parent.headline).toBeCloseTo(20, 12); // 3 promoters, 2 detractors of 5
    const [a, b] = l.children;
    expect(a!.npsPoints).toBeCloseTo(20 - 0, 12); // rest = B: 1 promoter, 1 detractor
    expect(b!.npsPoints).toBeCloseTo(20 - 100 / 3, 12); // rest = A: 2 promoters, 1 detractor
    // Var_A = p + d − (p − d)² = 1 − 1/9; Var_B = 1 (DESIGN.md §4), ×100² for NPS points.
    const se = 0.6 * 100 * Math.sqrt(8 / 9 / 3 + 1 / 2);
    expect(a!.ci!.high - a!.npsPoints!).toBeCloseTo(1.959963984540054 * se, 9);
    expect(a!.volumeShare).toBeCloseTo(0.6, 12);
    expect(a!.share + b!.share).toBeCloseTo(1, 12);
  });

  it('service KPIs come from the events and measurements of the response case', async () => {
    const t = await linkTable(
      small.warehouse,
      { scope: {}, period: { from: '2025-02-01', to: '2025-02-02' }, filters: [] },
      { type: 'score', score: 'nps' },
      [
        { type: 'kpi', kpi: 'wait_minutes' },
        { type: 'kpi', kpi: 'assisted_contacts' },
        { type: 'kpi', kpi: 'transfers' },
        { type: 'kpi', kpi: 'first_contact_resolution' },
        { type: 'kpi', kpi: 'extra_contacts' },
        { type: 'score', score: 'nps' },
      ],
    );
    expect(t.n).toBe(2);
    // Response n0 (case0, NPS 10 → +100 as a target, 10 as a driver), n1 (case1: no contact, no FCR).
    expect(Array.from(t.target)).toEqual([100, 100]);
    expect(t.drivers.map((d) => d[0])).toEqual([6, 2, 1, 0, 1, 10]);
    expect(t.drivers.map((d) => d[1])).toEqual([0, 0, 0, Number.NaN, 0, 10]);
  });
});
