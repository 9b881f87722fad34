import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { newLoadId, recordLoad } from '../ingestion/loads.ts';
import { openStores, type Stores } from '../stores.ts';
import { seedDemoSurveys } from './demo-surveys.ts';
import { getSurvey, listSurveys, saveSurvey, setTriggers } from './survey-store.ts';
import { linkSecret, verifyLink } from './tokens.ts';
import { runTriggers, scheduleTriggers, WATERMARK_KEY } from './triggers.ts';

let stores: Stores;
const DAY = 86_400_000;
const t0 = new Date('2024-05-10T12:00:00Z');

beforeAll(async () => {
  stores = await openStores('memory');
  await seedDemoSurveys(stores.appStore, t0);
});
afterAll(() => stores.close());
beforeEach(async () => {
  await stores.warehouse.run('delete from events');
  await stores.warehouse.run('delete from loads');
  await stores.appStore.db.deleteFrom('survey_invitations').execute();
  await stores.appStore.db.deleteFrom('survey_state').where('key', '=', WATERMARK_KEY).execute();
});

/** One load of events [customer, activity, ts, channel], finished at `at`. */
async function load(at: Date, events: [string | null, string, Date, string?][]) {
  const loadId = newLoadId(at);
  await stores.warehouse.transaction(async (tx) => {
    await tx.append(
      'events',
      ['event_id', 'customer_id', 'case_id', 'ts', 'activity', 'journey', 'touchpoint', 'channel', 'load_id'],
      events.map(([c, a, ts, ch], i) => [
        `${loadId}-${i}`,
        c,
        `case-${c}`,
        ts,
        a,
        'support',
        null,
        ch ?? 'chat',
        loadId,
      ]),
    );
    await recordLoad(tx, {
      loadId,
      kind: 'events',
      source: 'test',
      startedAt: at,
      finishedAt: at,
      counts: { rowsRead: events.length, rowsStored: events.length, rowsDuplicate: 0, rowsRejected: 0 },
    });
  });
}

describe('survey store', () => {
  it('versions definitions and lists the latest of each', async () => {
    const before = await getSurvey(stores.appStore, 'csat-onboarding');
    const saved = await saveSurvey(stores.appStore, { ...before!.definition, title: 'v2' }, t0);
    expect(saved.version).toBe(before!.version + 1);
    const all = await listSurveys(stores.appStore);
    expect(all.find((s) => s.definition.id === 'csat-onboarding')?.definition.title).toBe('v2');
    expect(all.map((s) => s.definition.id)).toEqual(['csat-onboarding', 'nps-after-support']);
  });
});

describe('runTriggers', () => {
  it('invites after the trigger activity with a signed personal link tied to customer, case and journey', async () => {
    await load(t0, [['c1', 'ticket_closed', new Date(t0.getTime() - 60_000)]]);
    const r = await runTriggers(stores, { now: t0, since: new Date(t0.getTime() - DAY), random: () => 0 });
    expect(r.candidates).toBe(1);
    expect(r.invited).toBe(1);
    const inv = r.invitations[0]!;
    expect(inv).toMatchObject({ surveyId: 'nps-after-support', customerId: 'c1', caseId: 'case-c1' });
    const token = new URL(inv.link, 'http://x').searchParams.get('t')!;
    const claims = verifyLink(await linkSecret(stores.appStore, t0), token, t0, 'nps-after-support');
    expect(claims).toMatchObject({
      customer: 'c1',
      case: 'case-c1',
      journey: 'support',
      touchpoint: 'ticket_closed',
      channel: 'chat',
      invitation: inv.invitationId,
      exp: new Date(t0.getTime() + 14 * DAY),
    });
  });

  it('applies the quiet period per customer across all surveys, and within one run', async () => {
    await load(t0, [
      ['c1', 'account_activated', new Date(t0.getTime() - 120_000)], // csat-onboarding, rate 1
      ['c1', 'ticket_closed', new Date(t0.getTime() - 60_000)], // nps-after-support: quiet now
      ['c2', 'ticket_closed', new Date(t0.getTime() - 60_000)],
      ['c2', 'ticket_closed', new Date(t0.getTime() - 30_000)], // same customer again: quiet
    ]);
    const r = await runTriggers(stores, { now: t0, since: new Date(t0.getTime() - DAY), random: () => 0 });
    expect(r.invitations.map((i) => [i.customerId, i.surveyId])).toEqual([
      ['c1', 'csat-onboarding'],
      ['c2', 'nps-after-support'],
    ]);
    expect(r.skipped).toEqual({ quiet: 2 });
    // Six days later a new contact: still quiet (7 days); eight days later: invited again.
    const t6 = new Date(t0.getTime() + 6 * DAY);
    await load(t6, [['c2', 'ticket_closed', t6]]);
    expect((await runTriggers(stores, { now: t6, random: () => 0 })).skipped).toEqual({ quiet: 1 });
    const t8 = new Date(t0.getTime() + 8 * DAY);
    await load(t8, [['c2', 'ticket_closed', t8]]);
    expect((await runTriggers(stores, { now: t8, random: () => 0 })).invited).toBe(1);
  });

  it('samples, skips events without a customer, old events and loads already scanned', async () => {
    await load(t0, [
      ['a', 'ticket_closed', t0],
      ['b', 'ticket_closed', t0],
      ['c', 'ticket_closed', t0],
      [null, 'ticket_closed', t0],
      ['d', 'ticket_closed', new Date(t0.getTime() - 30 * DAY)],
      ['e', 'page_view', t0],
    ]);
    // nps-after-support samples 30 %: draws 0.1, 0.5, 0.29 → a and c.
    const draws = [0.1, 0.5, 0.29];
    const r = await runTriggers(stores, {
      now: t0,
      since: new Date(t0.getTime() - DAY),
      random: () => draws.shift()!,
    });
    expect(r.candidates).toBe(3);
    expect(r.invitations.map((i) => i.customerId)).toEqual(['a', 'c']);
    expect(r.skipped).toEqual({ sampled_out: 1 });
    // The watermark moved: the same load is not scanned again.
    const again = await runTriggers(stores, { now: new Date(t0.getTime() + 1000), random: () => 0 });
    expect(again.candidates).toBe(0);
  });

  it('honours a trigger channel', async () => {
    await setTriggers(
      stores.appStore,
      'nps-after-support',
      [{ activity: 'ticket_closed', sampleRate: 1, quietDays: 0, channel: 'phone' }],
      t0,
    );
    await load(t0, [
      ['a', 'ticket_closed', t0, 'chat'],
      ['b', 'ticket_closed', t0, 'phone'],
    ]);
    const r = await runTriggers(stores, { now: t0, since: new Date(t0.getTime() - DAY), random: () => 0 });
    expect(r.invitations.map((i) => i.customerId)).toEqual(['b']);
    await seedDemoSurveys(stores.appStore, t0);
  });

  it('can be scheduled: each tick invites for newly loaded events, until stopped', async () => {
    await load(t0, [['s1', 'account_activated', t0]]);
    const logged: object[] = [];
    const logger = { info: (o: object) => logged.push(o), error: (o: object) => logged.push(o) };
    vi.useFakeTimers();
    try {
      const stop = scheduleTriggers(stores, { now: () => t0 }, logger, { everyMs: 1000 });
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(logged).toEqual([{ invited: 1, candidates: 1 }]));
      stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(logged).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
