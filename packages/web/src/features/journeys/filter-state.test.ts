import { describe, expect, it } from 'vitest';
import { chips, setScope, setTheme, withActivity, withEdge, withVariant } from './filter-state.ts';

describe('journey page selection', () => {
  it('adds node, edge and variant clicks without duplicates', () => {
    let f = withActivity({}, 'Call hotline');
    f = withActivity(f, 'Call hotline');
    f = withEdge(f, 'a', 'b');
    f = withEdge(f, 'a', 'b');
    f = withVariant(f, ['a', 'b']);
    expect(f).toEqual({
      withActivities: ['Call hotline'],
      directlyFollows: [{ from: 'a', to: 'b' }],
      variants: { include: [['a', 'b']] },
    });
  });

  it('makes one chip per part; removing a chip leaves the rest of the filter', () => {
    const f = withVariant(withEdge(withActivity(withActivity({}, 'x'), 'y'), 'a', 'b'), ['a', 'b', 'c', 'd']);
    const cs = chips(f);
    expect(cs.map((c) => c.label)).toEqual([
      'Contains x',
      'Contains y',
      'a → b',
      'Variant a → … → d (4 steps)',
    ]);
    expect(cs[0]!.without).toEqual({ ...f, withActivities: ['y'] });
    expect(cs[2]!.without).toEqual({
      withActivities: ['x', 'y'],
      variants: { include: [['a', 'b', 'c', 'd']] },
    });
    expect(cs[3]!.without).toEqual({ withActivities: ['x', 'y'], directlyFollows: [{ from: 'a', to: 'b' }] });
    expect(chips({})).toEqual([]);
  });

  it('sets, shows and clears a feedback theme', () => {
    const f = setTheme(withActivity({}, 'x'), 'billing_error');
    expect(f).toEqual({ withActivities: ['x'], feedbackThemes: { themes: ['billing_error'] } });
    const cs = chips(f);
    expect(cs.map((c) => c.label)).toEqual(['Contains x', 'Feedback on billing error']);
    expect(cs[1]!.without).toEqual({ withActivities: ['x'] });
    expect(setTheme(f, 'slow').feedbackThemes).toEqual({ themes: ['slow'] });
    expect(setTheme(f, '')).toEqual({ withActivities: ['x'] });
  });

  it('sets and clears a scope picker', () => {
    expect(setScope({ regions: ['north'] }, 'channels', 'web')).toEqual({
      regions: ['north'],
      channels: ['web'],
    });
    expect(setScope({ regions: ['north'] }, 'regions', '')).toEqual({});
  });
});
