import { AppError, type CaseNotion, type JourneyFilterInput, UNRESTRICTED } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../stores.ts';
import { directlyFollows } from './dfg.ts';
import { appendCustomers, appendLog, type LogRow } from './journey-test-log.ts';
import { EVENT_COLUMNS, eventsCte } from './options.ts';
import { variants } from './variants.ts';

/**
 * c1 has a timestamp tie (C before B in file order — a name tie-break would put B first) and repeats
 * B; c3 is a one-event case; c4 repeats A directly; c2 and c6 share the variant A,B; channels mix.
 * Minutes after 2024-01-01T00:00Z unless an ISO time is given.
 */
const LOG: LogRow[] = [
  ['c1', 'u1', 0, 'A', 'web', 'billing'],
  ['c1', 'u1', 10, 'C', 'web', 'billing'],
  ['c1', 'u1', 10, 'B', 'call_centre', 'billing'],
  ['c1', 'u1', 30, 'B', 'call_centre', 'billing'],
  ['c1', 'u1', 40, 'D', 'web', 'billing'],
  ['c2', 'u1', 120, 'A', 'app', 'billing'],
  ['c2', 'u1', 150, 'B', 'app', 'billing'],
  ['c3', 'u2', 60, 'A', 'web', 'onboarding'],
  ['c4', 'u3', 0, 'A', 'web', 'billing'],
  ['c4', 'u3', 5, 'A', 'web', 'billing'],
  ['c4', 'u3', 20, 'B', 'chat', 'billing'],
  ['c5', 'u2', '2024-02-01T00:00:00Z', 'X', 'email', 'onboarding'],
  ['c5', 'u2', '2024-02-01T01:00:00Z', 'A', 'web', 'onboarding'],
  ['c6', 'u3', '2024-01-02T00:00:00Z', 'A', 'web', 'billing'],
  ['c6', 'u3', '2024-01-02T00:10:00Z', 'B', 'web', 'billing'],
];

/**
 * f1 names case c2; f2 has no case_id and falls inside u3's c6 (Jan 2, 00:00–00:10), not c4; f3 lands
 * exactly on c3's single event (span ends inclusive); f4 (u1, March) is inside no case; f5 has no themes.
 */
const FEEDBACK_COLUMNS = ['response_id', 'customer_id', 'case_id', 'ts', 'themes'];
const FEEDBACK: unknown[][] = [
  ['f1', 'u1', 'c2', Date.parse('2024-01-01T02:10:00Z'), ['billing_error']],
  ['f2', 'u3', null, Date.parse('2024-01-02T00:05:00Z'), ['slow_app', 'billing_error']],
  ['f3', 'u2', null, Date.parse('2024-01-01T01:00:00Z'), ['friendly']],
  ['f4', 'u1', null, Date.parse('2024-03-01T00:00:00Z'), ['billing_error']],
  ['f5', 'u1', 'c1', Date.parse('2024-01-01T00:10:00Z'), null],
];

let s: Stores;
beforeAll(async () => {
  s = await openStores('memory');
  await appendLog(s.warehouse, LOG);
  await appendCustomers(s.warehouse, [
    ['u1', 'business', 'north'],
    ['u2', 'consumer', 'south'],
    ['u3', 'consumer', 'north'],
  ]);
  await s.warehouse.append('feedback', FEEDBACK_COLUMNS, FEEDBACK);
});
afterAll(async () => {
  await s.close();
});

/** The kept cases with their traces, as `case: 'A,B'`. */
async function traces(filter?: JourneyFilterInput, caseNotion?: CaseNotion): Promise<Record<string, string>> {
  const ev = eventsCte(UNRESTRICTED, { filter, caseNotion });
  const rows = await s.warehouse.all<{ case_id: string; seq: string }>(
    `with ev as (${ev.sql})
     select case_id, string_agg(activity, ',' order by ts, ord) as seq from ev group by case_id order by case_id`,
    ev.params,
  );
  return Object.fromEntries(rows.map((r) => [r.case_id, r.seq]));
}
const cases = async (filter: JourneyFilterInput) => Object.keys(await traces(filter));

const ALL = { c1: 'A,C,B,B,D', c2: 'A,B', c3: 'A', c4: 'A,A,B', c5: 'X,A', c6: 'A,B' };

describe('eventsCte without a filter', () => {
  it('yields every event with the documented columns, ties in file order', async () => {
    expect(await traces()).toEqual(ALL);
    expect(await traces({})).toEqual(ALL);
    const ev = eventsCte(UNRESTRICTED, {
      filter: { timeRange: { from: '2024-01-01' }, caseSize: { min: 1 } },
    });
    const [row] = await s.warehouse.all<Record<string, unknown>>(
      `with ev as (${ev.sql}) select * from ev limit 1`,
      ev.params,
    );
    expect(Object.keys(row!)).toEqual([...EVENT_COLUMNS]);
  });
});

describe('time range', () => {
  const range = { from: '2024-01-01T00:00:00Z', to: '2024-01-01T01:00:00Z' };
  it('contained: the whole case inside (ends inclusive)', async () => {
    expect(await cases({ timeRange: { ...range, mode: 'contained' } })).toEqual(['c1', 'c3', 'c4']);
  });
  it('intersecting (default): some of the case inside', async () => {
    expect(await cases({ timeRange: { from: '2024-01-01T00:35:00Z', to: range.to } })).toEqual(['c1', 'c3']);
  });
  it('started / completed', async () => {
    expect(
      await cases({
        timeRange: { from: '2024-01-01T00:05:00Z', to: '2024-01-01T02:00:00Z', mode: 'started' },
      }),
    ).toEqual(['c2', 'c3']);
    expect(
      await cases({ timeRange: { from: '2024-01-01T00:25:00Z', to: range.to, mode: 'completed' } }),
    ).toEqual(['c1', 'c3']);
  });
  it('events: trims cases to the range and keeps tie order', async () => {
    expect(
      await traces({
        timeRange: { from: '2024-01-01T00:05:00Z', to: '2024-01-01T00:20:00Z', mode: 'events' },
      }),
    ).toEqual({
      c1: 'C,B',
      c4: 'A,B',
    });
  });
  it('an open end, a date, and a date-time without offset read as UTC', async () => {
    expect(await cases({ timeRange: { from: '2024-01-02', mode: 'started' } })).toEqual(['c5', 'c6']);
    expect(await cases({ timeRange: { to: '2024-01-01T00:20:00', mode: 'contained' } })).toEqual(['c4']);
    expect(await cases({ timeRange: { to: '2024-01-01 00:20', mode: 'contained' } })).toEqual(['c4']);
    expect(await cases({ timeRange: { to: '2024-01-01T01:20:00+01:00', mode: 'contained' } })).toEqual([
      'c4',
    ]);
  });
});

describe('variants', () => {
  it('top k ranks by count, ties by sequence', async () => {
    expect(await cases({ variants: { top: 1 } })).toEqual(['c2', 'c6']);
    expect(await cases({ variants: { top: 2 } })).toEqual(['c2', 'c3', 'c6']);
  });
  it('coverage keeps variants until the share is reached', async () => {
    expect(await cases({ variants: { coverage: 1 / 3 } })).toEqual(['c2', 'c6']);
    expect(await cases({ variants: { coverage: 0.5 } })).toEqual(['c2', 'c3', 'c6']);
    expect(await cases({ variants: { coverage: 0.51 } })).toEqual(['c2', 'c3', 'c4', 'c6']);
  });
  it('include keeps exactly these sequences', async () => {
    expect(await cases({ variants: { include: [['X', 'A'], ['A']] } })).toEqual(['c3', 'c5']);
    expect(await cases({ variants: { include: [['A', 'C', 'B', 'B', 'D']] } })).toEqual(['c1']);
    expect(await cases({ variants: { include: [['A', 'B', 'C', 'B', 'D']] } })).toEqual([]);
  });
  it('ranks the variants of the cases the other filters keep', async () => {
    // Overall A,B is the top variant; among consumers every variant occurs once and [A] sorts first.
    expect(
      await cases({ attributes: [{ field: 'segment', values: ['consumer'] }], variants: { top: 1 } }),
    ).toEqual(['c3']);
  });
});

describe('start, end, with and without activities', () => {
  it('start / end activities', async () => {
    expect(await cases({ startActivities: ['X'] })).toEqual(['c5']);
    expect(await cases({ endActivities: ['B'] })).toEqual(['c2', 'c4', 'c6']);
    expect(await cases({ endActivities: ['D', 'A'] })).toEqual(['c1', 'c3', 'c5']);
  });
  it('with all of / without any of', async () => {
    expect(await cases({ withActivities: ['A', 'B'] })).toEqual(['c1', 'c2', 'c4', 'c6']);
    expect(await cases({ withoutActivities: ['C', 'X'] })).toEqual(['c2', 'c3', 'c4', 'c6']);
  });
});

describe('attributes', () => {
  it('case level keeps or drops whole cases', async () => {
    expect(await cases({ attributes: [{ field: 'channel', values: ['call_centre'] }] })).toEqual(['c1']);
    expect(
      await cases({ attributes: [{ field: 'channel', values: ['call_centre', 'chat'], exclude: true }] }),
    ).toEqual(['c2', 'c3', 'c5', 'c6']);
    expect(await cases({ attributes: [{ field: 'journey', values: ['onboarding'] }] })).toEqual(['c3', 'c5']);
  });
  it('event level keeps or drops single events', async () => {
    expect(await traces({ attributes: [{ field: 'channel', values: ['web'], level: 'event' }] })).toEqual({
      c1: 'A,C,D',
      c3: 'A',
      c4: 'A,A',
      c5: 'A',
      c6: 'A,B',
    });
    expect(
      await traces({ attributes: [{ field: 'channel', values: ['web'], level: 'event', exclude: true }] }),
    ).toEqual({
      c1: 'B,B',
      c2: 'A,B',
      c4: 'B',
      c5: 'X',
    });
  });
  it('segment and region come from the customers table', async () => {
    expect(await cases({ attributes: [{ field: 'segment', values: ['business'] }] })).toEqual(['c1', 'c2']);
    expect(await cases({ attributes: [{ field: 'region', values: ['north'], level: 'event' }] })).toEqual([
      'c1',
      'c2',
      'c4',
      'c6',
    ]);
    expect(await cases({ attributes: [{ field: 'region', values: ['north'], exclude: true }] })).toEqual([
      'c3',
      'c5',
    ]);
  });
});

describe('feedback themes', () => {
  it('keeps the cases named by a response or spanning a case-less response of their customer', async () => {
    expect(await cases({ feedbackThemes: { themes: ['billing_error'] } })).toEqual(['c2', 'c6']);
    expect(await cases({ feedbackThemes: { themes: ['friendly'] } })).toEqual(['c3']);
    expect(await cases({ feedbackThemes: { themes: ['billing_error', 'friendly'] } })).toEqual([
      'c2',
      'c3',
      'c6',
    ]);
    expect(await cases({ feedbackThemes: { themes: ['slow_app'] } })).toEqual(['c6']);
  });
  it('exclude drops them; an unknown theme keeps nothing; values are parameters', async () => {
    expect(await cases({ feedbackThemes: { themes: ['billing_error'], exclude: true } })).toEqual([
      'c1',
      'c3',
      'c4',
      'c5',
    ]);
    expect(await cases({ feedbackThemes: { themes: ['no_such_theme'] } })).toEqual([]);
    expect(await cases({ feedbackThemes: { themes: ["x'] or true or ['"] } })).toEqual([]);
  });
  it('combines with the other case-level filters', async () => {
    expect(
      await cases({
        feedbackThemes: { themes: ['billing_error', 'friendly'] },
        attributes: [{ field: 'segment', values: ['consumer'] }],
      }),
    ).toEqual(['c3', 'c6']);
  });
  it('under a session notion every response is placed by customer and time span', async () => {
    // f1 (u1, 02:10) falls in u1's second session (02:00–02:30); f2 in u3's second.
    expect(
      Object.keys(
        await traces({ feedbackThemes: { themes: ['billing_error'] } }, { kind: 'session', gapMinutes: 60 }),
      ),
    ).toEqual(['u1#2', 'u3#2']);
  });
});

describe('case size and duration', () => {
  it('size between min and max events', async () => {
    expect(await cases({ caseSize: { min: 2, max: 3 } })).toEqual(['c2', 'c4', 'c5', 'c6']);
    expect(await cases({ caseSize: { min: 5 } })).toEqual(['c1']);
    expect(await cases({ caseSize: { max: 1 } })).toEqual(['c3']);
  });
  it('duration = last − first, one-event cases last 0 s', async () => {
    expect(await cases({ caseDuration: { minSeconds: 1800 } })).toEqual(['c1', 'c2', 'c5']);
    expect(await cases({ caseDuration: { maxSeconds: 0 } })).toEqual(['c3']);
    expect(await cases({ caseDuration: { minSeconds: 600, maxSeconds: 1200 } })).toEqual(['c4', 'c6']);
  });
});

describe('relations', () => {
  it('directly-follows respects file order on ties and self-loops', async () => {
    expect(await cases({ directlyFollows: [{ from: 'A', to: 'B' }] })).toEqual(['c2', 'c4', 'c6']);
    expect(await cases({ directlyFollows: [{ from: 'C', to: 'B' }] })).toEqual(['c1']);
    expect(await cases({ directlyFollows: [{ from: 'B', to: 'C' }] })).toEqual([]);
    expect(await cases({ directlyFollows: [{ from: 'A', to: 'A' }] })).toEqual(['c4']);
    expect(await cases({ directlyFollows: [{ from: 'A', to: 'B', exclude: true }] })).toEqual([
      'c1',
      'c3',
      'c5',
    ]);
  });
  it('eventually-follows', async () => {
    expect(await cases({ eventuallyFollows: [{ from: 'A', to: 'B' }] })).toEqual(['c1', 'c2', 'c4', 'c6']);
    expect(await cases({ eventuallyFollows: [{ from: 'B', to: 'A' }] })).toEqual([]);
    expect(await cases({ eventuallyFollows: [{ from: 'A', to: 'A' }] })).toEqual(['c4']);
    expect(
      await cases({
        eventuallyFollows: [
          { from: 'C', to: 'D' },
          { from: 'A', to: 'B' },
        ],
      }),
    ).toEqual(['c1']);
    expect(await cases({ eventuallyFollows: [{ from: 'A', to: 'D', exclude: true }] })).toEqual([
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
    ]);
  });
});

describe('activity projection and combinations', () => {
  it('keep / remove activities drops events; emptied cases disappear', async () => {
    expect(await traces({ activities: { keep: ['A', 'B'] } })).toEqual({
      c1: 'A,B,B',
      c2: 'A,B',
      c3: 'A',
      c4: 'A,A,B',
      c5: 'A',
      c6: 'A,B',
    });
    expect(await traces({ activities: { remove: ['A'] } })).toEqual({
      c1: 'C,B,B,D',
      c2: 'B',
      c4: 'B',
      c5: 'X',
      c6: 'B',
    });
  });
  it('event-level projections come before case-level filters', async () => {
    // Without C, c1 reads A,B,B,D and so has A→B directly.
    expect(await cases({ activities: { remove: ['C'] }, directlyFollows: [{ from: 'A', to: 'B' }] })).toEqual(
      ['c1', 'c2', 'c4', 'c6'],
    );
    expect(await cases({ activities: { remove: ['A'] }, startActivities: ['B'] })).toEqual([
      'c2',
      'c4',
      'c6',
    ]);
  });
  it('case-level filters combine with AND', async () => {
    expect(
      await cases({
        timeRange: { from: '2024-01-01', to: '2024-01-31', mode: 'started' },
        attributes: [{ field: 'segment', values: ['consumer'] }],
        caseSize: { min: 2 },
      }),
    ).toEqual(['c4', 'c6']);
  });
  it('values are parameters, never SQL', async () => {
    expect(await cases({ withActivities: ["A' or true or '"] })).toEqual([]);
    expect(await cases({ attributes: [{ field: 'channel', values: ["web') or (true"] }] })).toEqual([]);
  });
  it('existing queries take the filter', async () => {
    const dfg = await directlyFollows(s.warehouse, UNRESTRICTED, {
      filter: { attributes: [{ field: 'journey', values: ['onboarding'] }] },
    });
    expect(dfg.map((e) => [e.from, e.to, e.count])).toEqual([['X', 'A', 1]]);
    const vs = await variants(s.warehouse, { regions: ['north'] }, { filter: { caseSize: { min: 3 } } });
    expect(vs.map((v) => [v.activities.join(','), v.count])).toEqual([
      ['A,A,B', 1],
      ['A,C,B,B,D', 1],
    ]);
  });
});

describe('case notion', () => {
  it('customer + journey', async () => {
    expect(await traces(undefined, { kind: 'customer_journey' })).toEqual({
      'u1#billing': 'A,C,B,B,D,A,B',
      'u2#onboarding': 'A,X,A',
      'u3#billing': 'A,A,B,A,B',
    });
  });
  it('sessions split where the gap exceeds gapMinutes', async () => {
    // u1: 40 → 120 is 80 min; u2: 2024-02-01 00:00 → 01:00 is exactly 60 min, not more.
    expect(await traces(undefined, { kind: 'session', gapMinutes: 60 })).toEqual({
      'u1#1': 'A,C,B,B,D',
      'u1#2': 'A,B',
      'u2#1': 'A',
      'u2#2': 'X,A',
      'u3#1': 'A,A,B',
      'u3#2': 'A,B',
    });
    expect(Object.keys(await traces(undefined, { kind: 'session', gapMinutes: 30 }))).toEqual([
      'u1#1',
      'u1#2',
      'u2#1',
      'u2#2',
      'u2#3',
      'u3#1',
      'u3#2',
    ]);
  });
  it('filters apply to the cases of the notion', async () => {
    expect(await traces({ caseSize: { min: 3 } }, { kind: 'session', gapMinutes: 60 })).toEqual({
      'u1#1': 'A,C,B,B,D',
      'u3#1': 'A,A,B',
    });
    // Three variants of one case each: A,A,B,A,B sorts first.
    expect(Object.keys(await traces({ variants: { top: 1 } }, { kind: 'customer_journey' }))).toEqual([
      'u3#billing',
    ]);
  });
});

describe('bad input', () => {
  async function fails(filter: unknown, field: string, caseNotion?: unknown): Promise<AppError> {
    let err: unknown;
    try {
      eventsCte(UNRESTRICTED, { filter: filter as JourneyFilterInput, caseNotion: caseNotion as CaseNotion });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe('bad_input');
    expect(e.details?.field).toBe(field);
    expect(e.message).toContain(`field ${field}`);
    return e;
  }
  it('names the field', async () => {
    const e = await fails(
      { attributes: [{ field: 'colour', values: ['red'] }] },
      'filter.attributes[0].field',
    );
    expect(e.message).toContain('channel');
    await fails({ timeRange: { from: '2024-02-01', to: '2024-01-01' } }, 'filter.timeRange.from');
    await fails({ timeRange: { from: 'yesterday' } }, 'filter.timeRange.from');
    await fails({ timeRange: { to: '2024-13-45' } }, 'filter.timeRange.to');
    await fails({ timeRange: { to: '2024-02-30' } }, 'filter.timeRange.to');
    await fails({ timeRange: { to: '2024-02-01T25:00:00Z' } }, 'filter.timeRange.to');
    await fails({ colour: 'red' }, 'filter.colour');
    await fails({ variants: { coverage: 1.5 } }, 'filter.variants.coverage');
    await fails({ caseSize: { min: 4, max: 2 } }, 'filter.caseSize.min');
    await fails({ caseDuration: { minSeconds: 9, maxSeconds: 1 } }, 'filter.caseDuration.minSeconds');
    await fails({ directlyFollows: [{ from: 'A' }] }, 'filter.directlyFollows[0].to');
    await fails({ feedbackThemes: { themes: [] } }, 'filter.feedbackThemes.themes');
    await fails(undefined, 'caseNotion.gapMinutes', { kind: 'session', gapMinutes: -5 });
    await fails(undefined, 'caseNotion.kind', { kind: 'visit' });
  });
  it('a rejected query leaves the store as it was', async () => {
    await expect(
      variants(s.warehouse, UNRESTRICTED, { filter: { timeRange: { from: 'x' } } }),
    ).rejects.toThrow(/filter\.timeRange\.from/);
    expect(await traces()).toEqual(ALL);
  });
});
