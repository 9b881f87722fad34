import { type InviteDecision, shouldInvite, type Trigger } from '@cx/core';
import type { AppStore } from '../app-store/port.ts';
import type { Warehouse } from '../warehouse/port.ts';
import {
  getState,
  type Invitation,
  insertInvitations,
  lastInvitations,
  listTriggers,
  newInvitationId,
  setState,
} from './survey-store.ts';
import { linkSecret, signLink } from './tokens.ts';

/**
 * Survey triggers: after a touchpoint event of a trigger's activity, invite the customer with a
 * personal signed link — subject to sampling and a quiet period per customer across ALL surveys
 * (the fatigue rule; Medallia's default suppression is 1 survey per 7 days).
 *
 * "New events" are the events of loads that finished after the watermark (the previous run), so an
 * event that arrives late is still seen; events older than `maxEventAgeDays` are ignored, so
 * importing history does not survey customers about last year. The candidate events are selected in
 * SQL (join on loads, activity filter); only they reach this process. Run it with
 * `cxc surveys trigger` or on a schedule (e.g. every minute from a job, or after each HTTP batch).
 */
export const WATERMARK_KEY = 'trigger_watermark';

export interface RunTriggersOptions {
  now: Date;
  /** Only events of loads finished after this instant; default: the previous run (or the last day). */
  since?: Date;
  maxEventAgeDays?: number;
  /** Sampling source, [0, 1); injectable for tests. */
  random?: () => number;
  /** Prefix of the personal links, e.g. https://cx.example.com (default: relative links). */
  baseUrl?: string;
}

export interface CreatedInvitation {
  invitationId: string;
  surveyId: string;
  customerId: string;
  caseId: string | null;
  eventId: string | null;
  link: string;
}

export interface TriggerRunResult {
  since: string;
  until: string;
  candidates: number;
  invited: number;
  skipped: Partial<Record<Exclude<InviteDecision, { invite: true }>['reason'], number>>;
  invitations: CreatedInvitation[];
}

interface CandidateEvent {
  event_id: string;
  customer_id: string;
  case_id: string | null;
  ts: string;
  activity: string;
  journey: string | null;
  touchpoint: string | null;
  channel: string | null;
}

const DAY_MS = 86_400_000;

export async function runTriggers(
  stores: { warehouse: Warehouse; appStore: AppStore },
  opts: RunTriggersOptions,
): Promise<TriggerRunResult> {
  const { now } = opts;
  const random = opts.random ?? Math.random;
  const watermark = await getState(stores.appStore, WATERMARK_KEY);
  const since = opts.since ?? (watermark ? new Date(watermark) : new Date(now.getTime() - DAY_MS));
  const result: TriggerRunResult = {
    since: since.toISOString(),
    until: now.toISOString(),
    candidates: 0,
    invited: 0,
    skipped: {},
    invitations: [],
  };
  const triggers = await listTriggers(stores.appStore);
  if (triggers.length > 0) {
    const byActivity = new Map<string, Trigger[]>();
    for (const t of triggers) byActivity.set(t.activity, [...(byActivity.get(t.activity) ?? []), t]);
    const activities = [...byActivity.keys()];
    const oldest = new Date(now.getTime() - (opts.maxEventAgeDays ?? 7) * DAY_MS);
    const events = await stores.warehouse.all<CandidateEvent>(
      `select e.event_id, e.customer_id, e.case_id, e.ts, e.activity, e.journey, e.touchpoint, e.channel
       from events e join loads l on l.load_id = e.load_id
       where l.status = 'done' and l.finished_at > ? and l.finished_at <= ?
         and e.ts >= ? and e.ts <= ? and e.customer_id is not null
         and e.activity in (${activities.map(() => '?').join(', ')})
       order by e.ts, e.event_id`,
      [since, now, oldest, now, ...activities],
    );
    result.candidates = events.length;
    const last = await lastInvitations(stores.appStore, [...new Set(events.map((e) => e.customer_id))]);
    const secret = await linkSecret(stores.appStore, now);
    const created: Invitation[] = [];
    for (const ev of events) {
      for (const trigger of byActivity.get(ev.activity) ?? []) {
        const d = shouldInvite(
          trigger,
          { activity: ev.activity, customerId: ev.customer_id, ts: new Date(ev.ts), channel: ev.channel },
          last.get(ev.customer_id) ?? null,
          random,
          now,
        );
        if (!d.invite) {
          result.skipped[d.reason] = (result.skipped[d.reason] ?? 0) + 1;
          continue;
        }
        const inv: Invitation = {
          invitationId: newInvitationId(),
          surveyId: trigger.surveyId,
          customerId: ev.customer_id,
          caseId: ev.case_id,
          eventId: ev.event_id,
          journey: ev.journey,
          touchpoint: ev.touchpoint ?? ev.activity,
          channel: ev.channel,
          invitedAt: now,
          expiresAt: new Date(now.getTime() + trigger.expiresInDays * DAY_MS),
        };
        created.push(inv);
        // Later events of this run see this invitation: one invitation per customer per quiet period.
        last.set(ev.customer_id, now);
        result.invitations.push({
          invitationId: inv.invitationId,
          surveyId: inv.surveyId,
          customerId: inv.customerId,
          caseId: inv.caseId,
          eventId: ev.event_id,
          link: linkFor(secret, inv, opts.baseUrl),
        });
      }
    }
    result.invited = await insertInvitations(stores.appStore, created);
  }
  await setState(stores.appStore, WATERMARK_KEY, now.toISOString(), now);
  return result;
}

/** The personal link of an invitation: `/s/<survey>?t=<signed token>`. */
export function linkFor(secret: Buffer, inv: Invitation, baseUrl = ''): string {
  const token = signLink(secret, {
    survey: inv.surveyId,
    customer: inv.customerId,
    invitation: inv.invitationId,
    case: inv.caseId,
    journey: inv.journey,
    touchpoint: inv.touchpoint,
    channel: inv.channel,
    exp: inv.expiresAt,
  });
  return `${baseUrl.replace(/\/$/, '')}/s/${encodeURIComponent(inv.surveyId)}?t=${token}`;
}

/** A personal link for one customer, made by hand (CLI, API) rather than by a trigger. */
export async function createPersonalLink(
  appStore: AppStore,
  input: {
    surveyId: string;
    customerId: string;
    caseId?: string | null;
    journey?: string | null;
    touchpoint?: string | null;
    channel?: string | null;
    expiresInDays?: number;
    baseUrl?: string;
  },
  now: Date,
): Promise<CreatedInvitation & { expiresAt: string }> {
  const inv: Invitation = {
    invitationId: newInvitationId(),
    surveyId: input.surveyId,
    customerId: input.customerId,
    caseId: input.caseId ?? null,
    eventId: null,
    journey: input.journey ?? null,
    touchpoint: input.touchpoint ?? null,
    channel: input.channel ?? null,
    invitedAt: now,
    expiresAt: new Date(now.getTime() + (input.expiresInDays ?? 14) * DAY_MS),
  };
  await insertInvitations(appStore, [inv]);
  const secret = await linkSecret(appStore, now);
  return {
    invitationId: inv.invitationId,
    surveyId: inv.surveyId,
    customerId: inv.customerId,
    caseId: inv.caseId,
    eventId: null,
    link: linkFor(secret, inv, input.baseUrl),
    expiresAt: inv.expiresAt.toISOString(),
  };
}

/**
 * Runs the triggers every `everyMs` (one run at a time; a failed run is logged and retried at the
 * next tick). For the server's composition root: `const stop = scheduleTriggers(stores, clock, logger)`.
 */
export function scheduleTriggers(
  stores: { warehouse: Warehouse; appStore: AppStore },
  clock: { now(): Date },
  logger: { info(o: object, msg: string): void; error(o: object, msg: string): void },
  opts: { everyMs?: number; baseUrl?: string } = {},
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runTriggers(stores, {
        now: clock.now(),
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
      });
      if (r.invited > 0)
        logger.info({ invited: r.invited, candidates: r.candidates }, 'survey invitations created');
    } catch (err) {
      logger.error({ err }, 'survey trigger run failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, opts.everyMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
