import { describe, expect, it } from 'vitest';
import { assignToClusters, clusterTerms, clusterTexts, emergingThemes, termShares } from './cluster.ts';

const delivery = [
  'The delivery was late again, parcel arrived after two weeks',
  'Delivery took forever and the parcel was damaged',
  'late delivery, parcel left at the wrong door',
  'My parcel delivery was delayed by a week',
  'parcel never arrived, delivery tracking useless',
  'slow delivery, the parcel came late',
  'delivery driver lost my parcel',
  'Delivery was late and the parcel was opened',
];
const size = [
  'The dress runs small, order one size up',
  'size is too small, the fit is tight',
  'runs small so size up, tight around the chest',
  'Wrong size chart, it runs small',
  'fit is tight, had to return for a bigger size',
  'tight fit and runs small in the waist, size up',
  'size up, this runs small and tight',
  'the size runs small, fit too tight',
];
const price = [
  'Too expensive for the quality, price is too high',
  'the price is ridiculous, way too expensive',
  'expensive, wait for a sale price',
  'great product but the price is expensive',
  'overpriced, the price should be lower, expensive',
  'price too high and expensive shipping',
  'expensive price for what you get',
  'not worth the price, too expensive',
];

describe('clusterTerms', () => {
  it('drops stop words, negators and numbers, joins inflections and adds neighbouring bigrams', () => {
    expect(clusterTerms('The parcels were not delivered in 3 days')).toEqual(['parcel', 'deliver', 'day']);
    expect(clusterTerms('Customer service was rude')).toEqual([
      'customer',
      'servic',
      'customer servic',
      'rud',
    ]);
  });
});

describe('clusterTexts', () => {
  const texts = [...delivery, ...size, ...price];
  const r = clusterTexts(texts);

  it('separates comments about delivery, size and price, and chooses k = 3 itself', () => {
    expect(r.k).toBe(3);
    const groupOf = (i: number) => r.assignments[i];
    for (const block of [0, 8, 16]) {
      const ids = new Set(Array.from({ length: 8 }, (_, j) => groupOf(block + j)));
      expect(ids.size).toBe(1);
    }
    expect(new Set([groupOf(0), groupOf(8), groupOf(16)]).size).toBe(3);
    expect(r.clusters.map((c) => c.size)).toEqual([8, 8, 8]);
  });

  it('labels each cluster with its distinctive terms and gives its 3 most central comments', () => {
    const labels = r.clusters.map((c) => c.label).sort();
    expect(labels.some((l) => /delivery|parcel/.test(l))).toBe(true);
    expect(labels.some((l) => /small|size|tight/.test(l))).toBe(true);
    expect(labels.some((l) => /expensive|price/.test(l))).toBe(true);
    for (const c of r.clusters) {
      expect(c.examples).toHaveLength(3);
      expect(c.examples[0]!.similarity).toBeGreaterThanOrEqual(c.examples[2]!.similarity);
      expect(texts[c.examples[0]!.index]).toBe(c.examples[0]!.text);
    }
  });

  it('is deterministic, honours a given k, and assigns new comments to the nearest cluster', () => {
    const again = clusterTexts(texts);
    expect(Array.from(again.assignments)).toEqual(Array.from(r.assignments));
    expect(clusterTexts(texts, { k: 2 }).clusters).toHaveLength(2);
    const a = assignToClusters(r.model, ['the parcel delivery was late', 'runs small, size up', '!!!']);
    expect(a[0]).toBe(r.assignments[0]);
    expect(a[1]).toBe(r.assignments[8]);
    expect(a[2]).toBe(-1);
  });

  it('leaves comments without terms unclustered and copes with too few comments', () => {
    const x = clusterTexts([...texts, '', '12345', 'the and of']);
    expect(x.unclustered).toBe(3);
    expect(Array.from(x.assignments.slice(-3))).toEqual([-1, -1, -1]);
    expect(clusterTexts(['only one']).clusters).toEqual([]);
  });
});

describe('emergingThemes', () => {
  it('flags a key whose share rose significantly (two-proportion z, BH-adjusted), not one that barely moved', () => {
    const out = emergingThemes(
      { total: 1000, counts: { outage: 120, billing: 100, tiny: 3 } },
      { total: 1000, counts: { outage: 40, billing: 95, tiny: 0 } },
    );
    const outage = out.find((e) => e.key === 'outage')!;
    // z = (0.12 − 0.04) / √(0.08·0.92·(2/1000)) = 6.594.
    expect(outage.z).toBeCloseTo(0.08 / Math.sqrt(0.08 * 0.92 * 0.002), 6);
    expect(outage).toMatchObject({ emerging: true, changePoints: expect.closeTo(8, 9) });
    expect(out[0]!.key).toBe('outage');
    expect(out.find((e) => e.key === 'billing')!.emerging).toBe(false);
    // 0 → 3 is significant-looking at best, but below the minimum count.
    expect(out.find((e) => e.key === 'tiny')!.emerging).toBe(false);
  });

  it('counts term shares per period for the same test', () => {
    const s = termShares(['late delivery', 'Delivery late', 'great price'], 1);
    expect(s).toEqual({
      total: 3,
      counts: {
        late: 2,
        delivery: 2,
        'late delivery': 1,
        'delivery late': 1,
        great: 1,
        price: 1,
        'great price': 1,
      },
    });
  });
});
