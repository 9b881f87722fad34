import { describe, expect, it } from 'vitest';
import { baseFeature, topReasons } from './reasons.ts';

describe('reasons in words', () => {
  it('sums the encoded columns of a feature, keeps the strongest three and phrases the value', () => {
    const features = [
      'nps_last',
      'nps_last:missing',
      'segment=business',
      'segment=premium',
      'repeated_contact_cases_90d',
      'tenure_days',
    ];
    const contributions = [0.6, 0.1, -0.05, -0.02, 0.4, -0.5];
    const raw: Record<string, number | string | null> = {
      nps_last: 3,
      segment: 'business',
      repeated_contact_cases_90d: 3,
      tenure_days: 2922,
    };
    const r = topReasons('churn', features, contributions, (f) => raw[f] ?? null);
    expect(r.map((x) => [x.feature, x.contribution])).toEqual([
      ['nps_last', 0.7],
      ['tenure_days', -0.5],
      ['repeated_contact_cases_90d', 0.4],
    ]);
    expect(r.map((x) => x.text)).toEqual([
      'Last NPS 3 (detractor) raises the risk',
      'Customer for 8 years lowers the risk',
      '3 cases with repeated contacts in the last 90 days raise the risk',
    ]);
  });

  it('nets related features: offsetting weights of correlated ones read as one reason', () => {
    const r = topReasons(
      'churn',
      ['wait_total_90d', 'wait_max_365d', 'csat_last', 'nps_last', 'segment=business'],
      [2.3, -1.0, -1.3, 1.3, 0.1],
      (f) => ({ wait_total_90d: 4380, wait_max_365d: 1680, csat_last: 1, nps_last: 1 })[f] ?? 'business',
    );
    expect(r.map((x) => [x.feature, x.contribution])).toEqual([
      ['wait_total_90d', 1.3],
      ['segment', 0.1],
    ]);
    expect(r[0]!.text).toBe('73 minutes waiting in the last 90 days raise the risk');
  });

  it('speaks of propensity for cross-sell and of missing answers', () => {
    const r = topReasons(
      'cross_sell',
      ['nps_last:missing', 'cases_90d_billing_question'],
      [-0.3, 0.2],
      (f) => (f === 'nps_last' ? null : 1),
    );
    expect(r.map((x) => x.text)).toEqual([
      'No survey answer so far lowers the propensity',
      '1 billing question case in the last 90 days raises the propensity',
    ]);
  });

  it('maps encoded names back to the feature', () => {
    expect(baseFeature('segment=business')).toBe('segment');
    expect(baseFeature('wait_mean:missing')).toBe('wait_mean');
    expect(baseFeature('wait_mean')).toBe('wait_mean');
  });
});
