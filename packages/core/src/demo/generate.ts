import type { TableKind } from '../schemas/tables.ts';
import { type Comment, composeComment, type Lang } from './comments.ts';
import {
  BASE_RATE,
  BILLING_LOOP_P,
  BUYING,
  CAMPAIGNS,
  CHANNEL_SOURCE,
  CHURN,
  type Channel,
  COMMENT_RATE,
  CONTACT_COST,
  DAY_MS,
  DEMO_DAYS,
  DEMO_MONTHS,
  DEMO_START,
  type DemoCampaign,
  type Journey,
  LANGUAGE_WEIGHTS,
  LANGUAGES,
  PRODUCT_PRICE,
  PRODUCTS,
  REGION_WEIGHTS,
  REGIONS,
  RESPONSE_RATE,
  SCORE,
  SEGMENT_CHURN,
  SEGMENT_PRICE,
  SEGMENT_WEIGHTS,
  SEGMENTS,
  type Segment,
  STATE,
  UNDERSTAFFED_MONTHS,
  WAIT_LOG_SD,
  WAIT_MEDIAN_S,
} from './model.ts';
import { clamp, hash32, Rng, sigmoid } from './rng.ts';

/**
 * The demo company generator: a telecom operator simulated customer by customer and month by month.
 * Pure and deterministic — the same (customers, seed) gives the same rows on every machine — and it
 * yields rows in chunks of customers so the caller can stream them into the warehouse's bulk appender
 * without holding millions of events in memory. The generating equations are in docs/demo-data.md.
 */
export interface DemoOptions {
  customers: number;
  seed: number;
  /** Customers per yielded batch (default 1,000). */
  chunkSize?: number;
  /** When given, appended to every row as the `load_id` column. */
  loadId?: string;
}

export const DEMO_COLUMNS = {
  customers: ['customer_id', 'created_at', 'segment', 'region', 'attributes', 'source_system'],
  identities: ['source', 'external_id', 'customer_id', 'source_system'],
  events: [
    'event_id',
    'customer_id',
    'case_id',
    'ts',
    'activity',
    'touchpoint',
    'journey',
    'channel',
    'source_system',
    'resource',
    'value',
    'properties',
  ],
  feedback: [
    'response_id',
    'customer_id',
    'case_id',
    'ts',
    'survey_id',
    'journey',
    'touchpoint',
    'channel',
    'nps',
    'csat',
    'ces',
    'elements',
    'comment',
    'language',
    'source_system',
    'properties',
  ],
  measurements: ['ts', 'kpi', 'scope', 'value', 'customer_id', 'case_id', 'source_system'],
  outcomes: ['customer_id', 'period', 'revenue', 'cost_to_serve', 'churned', 'products', 'source_system'],
  campaigns: [
    'campaign_id',
    'name',
    'channel',
    'start_date',
    'end_date',
    'spend',
    'attributes',
    'source_system',
  ],
} as const satisfies Record<TableKind, readonly string[]>;

export type DemoRows = Record<TableKind, unknown[][]>;

export interface DemoBatch {
  /** Customers generated so far (including this batch). */
  customersDone: number;
  rows: DemoRows;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const WINDOW_END = Date.UTC(2025, DEMO_MONTHS, 1);
const monthStart = (m: number) => Date.UTC(2025, m, 1);

/** Shared, seed-dependent facts of the company: daily staffing shocks and agent traits. */
class World {
  readonly callShock: Float64Array;
  readonly otherShock: Float64Array;
  readonly pools: Record<
    'call_centre' | 'chat' | 'technician',
    { ids: string[]; courtesy: number[]; competence: number[] }
  >;
  readonly shopPools: Record<string, { ids: string[]; courtesy: number[]; competence: number[] }> = {};
  readonly campaignCounts = CAMPAIGNS.map(() => ({ treatment: 0, holdout: 0, touches: 0 }));

  constructor(
    readonly seed: number,
    readonly customers: number,
  ) {
    this.callShock = new Float64Array(DEMO_DAYS);
    this.otherShock = new Float64Array(DEMO_DAYS);
    const rng = new Rng(seed, 101);
    for (let d = 0; d < DEMO_DAYS; d++) {
      const date = new Date(DEMO_START + d * DAY_MS);
      const month = (date.getUTCFullYear() - 2025) * 12 + date.getUTCMonth();
      const z = rng.normal();
      // Monday backlog and the bill run in the first three days of a month lengthen the queue.
      const calendar = (date.getUTCDay() === 1 ? 0.2 : 0) + (date.getUTCDate() <= 3 ? 0.3 : 0);
      this.callShock[d] = 0.35 * z + calendar + (UNDERSTAFFED_MONTHS.includes(month) ? 0.55 : 0);
      this.otherShock[d] = 0.2 * z + calendar / 2;
    }
    const pool = (kind: number, prefix: string, n: number) => {
      const r = new Rng(seed, 202, kind);
      const ids: string[] = [];
      const courtesy: number[] = [];
      const competence: number[] = [];
      for (let i = 1; i <= n; i++) {
        ids.push(`${prefix}${String(i).padStart(3, '0')}`);
        courtesy.push(r.normal());
        competence.push(r.normal());
      }
      return { ids, courtesy, competence };
    };
    this.pools = {
      call_centre: pool(1, 'agent-cc-', Math.max(10, Math.round(customers / 200))),
      chat: pool(2, 'agent-chat-', Math.max(4, Math.round(customers / 600))),
      technician: pool(3, 'tech-', Math.max(5, Math.round(customers / 500))),
    };
    REGIONS.forEach((region, i) => {
      this.shopPools[region] = pool(10 + i, `shop-${region}-`, Math.max(2, Math.round(customers / 2000)));
    });
  }

  /** Waiting seconds for a contact on an assisted channel at time t. */
  wait(rng: Rng, channel: 'call_centre' | 'chat' | 'shop', t: number): number {
    const d = clamp(Math.floor((t - DEMO_START) / DAY_MS), 0, DEMO_DAYS - 1);
    const shock = channel === 'call_centre' ? this.callShock[d]! : this.otherShock[d]!;
    return Math.min(
      3600,
      Math.round(WAIT_MEDIAN_S[channel] * Math.exp(shock + WAIT_LOG_SD[channel] * rng.normal())),
    );
  }
}

interface Agent {
  id: string;
  courtesy: number;
  competence: number;
}

/** Running facts of one journey instance, used for its survey, its cost and its SLA measurements. */
interface CaseState {
  caseId: string;
  journey: Journey;
  seq: number;
  t: number;
  contacts: number;
  transfers: number;
  failures: number;
  waitS: number;
  agent: Agent | null;
  lastChannel: Channel;
  lastTouchpoint: string;
  /** The case had a step the customer took part in (not only notifications). */
  interactive: boolean;
  cost: number;
  technicianVisits: number;
  converted: boolean;
  abandoned: boolean;
  resolved: boolean;
}

class CustomerSim {
  readonly rng: Rng;
  readonly id: string;
  readonly segment: Segment;
  readonly region: string;
  readonly attitude: number;
  readonly digital: number;
  readonly language: Lang;
  readonly createdAt: number;
  S: number;
  products: boolean[];
  caseNo = 0;
  monthCost = 0;
  complaintMonth = -99;
  /** End of the latest journey so far. */
  lastEnd = 0;
  saved = false;
  treated: boolean[] = CAMPAIGNS.map(() => false);

  constructor(
    readonly world: World,
    readonly index: number,
    readonly out: DemoRows,
    readonly tag: string | undefined,
  ) {
    const rng = new Rng(world.seed, 1, index);
    this.rng = rng;
    this.id = `C${String(index + 1).padStart(7, '0')}`;
    this.segment = rng.weighted(SEGMENTS, SEGMENT_WEIGHTS);
    this.region = rng.weighted(REGIONS, REGION_WEIGHTS);
    this.attitude = rng.normal();
    this.digital = clamp(0.55 + 0.22 * rng.normal() + (this.segment === 'premium' ? 0.1 : 0), 0.05, 0.95);
    this.language = rng.weighted(LANGUAGES, LANGUAGE_WEIGHTS);
    // A quarter of the customers join during the window (they get an onboarding journey).
    this.createdAt = rng.chance(0.25)
      ? DEMO_START + Math.floor(rng.next() * (WINDOW_END - DEMO_START - 20 * DAY_MS))
      : Date.UTC(2014, 0, 1) + Math.floor(rng.next() * (DEMO_START - Date.UTC(2014, 0, 1)));
    this.S = STATE.initial + STATE.attitude * this.attitude;
    this.products = PRODUCTS.map(() => false);
    this.products[rng.chance(0.6) ? 0 : 1] = true;
    const extra = rng.poisson(this.segment === 'consumer' ? 0.5 : this.segment === 'business' ? 0.8 : 1.4);
    for (let k = 0; k < extra; k++) this.addProduct();
  }

  private row(table: TableKind, values: unknown[]): void {
    if (this.tag !== undefined) values.push(this.tag);
    this.out[table].push(values);
  }

  productCount(): number {
    let n = 0;
    for (const p of this.products) if (p) n++;
    return n;
  }

  addProduct(): string | null {
    const order = [0, 1, 2, 4, 5, 3];
    for (const i of order) {
      if (!this.products[i]) {
        this.products[i] = true;
        return PRODUCTS[i]!;
      }
    }
    return null;
  }

  run(): void {
    const rng = this.rng;
    const ageBand = rng.weighted(['18-29', '30-44', '45-59', '60+'], [0.22, 0.3, 0.28, 0.2]);
    this.row('customers', [
      this.id,
      this.createdAt,
      this.segment,
      this.region,
      {
        age_band: ageBand,
        contract: this.segment === 'consumer' && rng.chance(0.2) ? 'prepaid' : 'postpaid',
        language: this.language,
        products_at_start: PRODUCTS.filter((_, i) => this.products[i]),
      },
      'crm',
    ]);
    this.identities();

    const inWindow = this.createdAt >= DEMO_START;
    const firstMonth = inWindow ? monthIndex(this.createdAt) : 0;
    let pending: { journey: Journey; t: number }[] = [];
    if (inWindow) pending.push({ journey: 'onboarding', t: this.createdAt });
    for (let m = firstMonth; m < DEMO_MONTHS; m++) {
      const ms = monthStart(m);
      const me = monthStart(m + 1);
      this.monthCost = 0;
      const starts = pending.filter((p) => p.t < me);
      pending = pending.filter((p) => p.t >= me);
      for (let c = 0; c < CAMPAIGNS.length; c++) {
        const camp = CAMPAIGNS[c]!;
        if (m === camp.firstMonth && camp.segments.includes(this.segment) && ms >= this.createdAt)
          this.campaign(c, camp, ms);
      }
      const arrive = (journey: Journey, rate: number) => {
        const k = rng.poisson(rate);
        for (let i = 0; i < k; i++)
          starts.push({
            journey,
            t: Math.max(ms, this.createdAt) + rng.next() * (me - Math.max(ms, this.createdAt)),
          });
      };
      const segFactor = this.segment === 'business' ? 1.2 : 1;
      // A price increase announced with the January 2026 bill raises billing questions by 80 % that month.
      arrive('billing_question', BASE_RATE.billing_question * segFactor * (m === 12 ? 1.8 : 1));
      arrive('tech_support', BASE_RATE.tech_support * (this.products[1] || this.products[2] ? 1.3 : 0.7));
      if (this.productCount() < PRODUCTS.length) {
        let rate = BASE_RATE.upgrade * Math.exp(BUYING.upgradeState * (this.S - 7));
        for (let c = 0; c < CAMPAIGNS.length; c++) {
          const camp = CAMPAIGNS[c]!;
          if (this.treated[c] && m >= camp.firstMonth && m <= camp.lastMonth) rate += camp.upgradeLift;
        }
        arrive('upgrade', rate);
      }
      starts.sort((a, b) => a.t - b.t);
      for (let i = 0; i < starts.length; i++) {
        const s = starts[i]!;
        const followUp = this.runCase(s.journey, Math.round(s.t), m);
        if (followUp) {
          if (followUp.t < me) {
            starts.push(followUp);
            starts.sort((a, b) => a.t - b.t);
          } else pending.push(followUp);
        }
      }
      // Churn: monthly hazard from the satisfaction state; a share of leavers is saved by a retention offer.
      const complaint = m - this.complaintMonth <= 1 ? 1 : 0;
      const logit =
        CHURN.intercept +
        CHURN.state * (this.S - 7) +
        CHURN.complaint * complaint +
        SEGMENT_CHURN[this.segment];
      let churned = false;
      if (rng.chance(sigmoid(logit))) {
        // The customer leaves after this month's other journeys have ended, so no case follows a termination.
        const from = Math.min(me - HOUR * 2, Math.max(ms, this.createdAt, this.lastEnd + HOUR));
        const t = from + Math.floor(rng.next() * Math.max(0, me - from - HOUR * 2));
        const saved = rng.chance(CHURN.retentionSave);
        this.cancellation(t, saved, m);
        if (saved) {
          this.saved = true;
          this.S += 0.5;
        } else churned = true;
      } else if (
        this.productCount() > 1 &&
        rng.chance(BUYING.downgradeBase * Math.exp(BUYING.downgradeState * (this.S - 7)))
      ) {
        for (let i = PRODUCTS.length - 1; i > 0; i--) {
          if (this.products[i]) {
            this.products[i] = false;
            break;
          }
        }
      }
      this.outcome(m, churned);
      if (churned) break;
    }
  }

  private identities(): void {
    const rng = this.rng;
    const n = this.index + 1;
    this.row('identities', ['crm', `CRM-${String(10_000_000 + n * 7)}`, this.id, 'crm']);
    this.row('identities', ['billing', `BA-${String(n).padStart(8, '0')}`, this.id, 'erp']);
    this.row('identities', ['service_desk', `SD${String(500_000 + n)}`, this.id, 'service_desk']);
    if (this.digital > 0.3) {
      const cookies = rng.chance(0.4) ? 2 : 1;
      for (let k = 0; k < cookies; k++) {
        this.row('identities', [
          'web_anonymous',
          `anon-${hash32(this.world.seed, n, k).toString(16).padStart(8, '0')}${hash32(n, k, 9).toString(16).padStart(8, '0')}`,
          this.id,
          'web_analytics',
        ]);
      }
    }
    if (this.digital > 0.5) {
      this.row('identities', [
        'app',
        `app-${hash32(this.world.seed, n, 77).toString(36)}`,
        this.id,
        'app_analytics',
      ]);
    }
  }

  private newCase(journey: Journey, t: number): CaseState {
    this.caseNo++;
    return {
      caseId: `${this.id}-${String(this.caseNo).padStart(2, '0')}`,
      journey,
      seq: 0,
      t,
      contacts: 0,
      transfers: 0,
      failures: 0,
      waitS: 0,
      agent: null,
      lastChannel: 'web',
      lastTouchpoint: 'website',
      interactive: false,
      cost: 0,
      technicianVisits: 0,
      converted: false,
      abandoned: false,
      resolved: true,
    };
  }

  /** Appends one event at the case's current time, then moves the clock on by `after` ms. */
  private ev(
    c: CaseState,
    activity: string,
    channel: Channel,
    touchpoint: string,
    after: number,
    resource: string | null = null,
    value: number | null = null,
    properties: Record<string, unknown> | null = null,
  ): void {
    c.seq++;
    if (c.t < WINDOW_END) {
      this.row('events', [
        `${c.caseId}-${c.seq}`,
        this.id,
        c.caseId,
        c.t,
        activity,
        touchpoint,
        c.journey,
        channel,
        CHANNEL_SOURCE[channel],
        resource,
        value,
        properties,
      ]);
    }
    if (channel !== 'back_office') {
      // The survey asks about the last step the customer took part in (a web or app session, a call,
      // a chat, a shop visit); an e-mail notification counts only when there was no such step.
      const interactive = channel !== 'email';
      if (interactive || !c.interactive) {
        c.lastChannel = channel;
        c.lastTouchpoint = touchpoint;
        c.interactive ||= interactive;
      }
      // Assisted contacts are costed once, in contact(); digital and e-mail steps per event.
      if (channel === 'web' || channel === 'app' || channel === 'email') c.cost += CONTACT_COST[channel];
    }
    c.t += Math.max(1000, Math.round(after));
  }

  private pickAgent(channel: 'call_centre' | 'chat' | 'shop'): Agent {
    const pool = channel === 'shop' ? this.world.shopPools[this.region]! : this.world.pools[channel];
    const i = Math.floor(this.rng.next() * pool.ids.length);
    return { id: pool.ids[i]!, courtesy: pool.courtesy[i]!, competence: pool.competence[i]! };
  }

  /** An assisted contact: the customer waits, an agent answers. Records the wait as an SLA measurement. */
  private contact(
    c: CaseState,
    channel: 'call_centre' | 'chat' | 'shop',
    activity: string,
    touchpoint: string,
  ): Agent {
    const wait = this.world.wait(this.rng, channel, c.t);
    const agent = this.pickAgent(channel);
    c.contacts++;
    c.waitS += wait;
    c.agent = agent;
    c.cost += CONTACT_COST[channel];
    if (c.t < WINDOW_END) {
      this.row('measurements', [
        c.t,
        'wait_seconds',
        `case:${c.caseId}`,
        wait,
        this.id,
        c.caseId,
        CHANNEL_SOURCE[channel],
      ]);
    }
    this.ev(c, activity, channel, touchpoint, wait * 1000, agent.id, wait, { wait_seconds: wait });
    return agent;
  }

  private call(c: CaseState, activity = 'Call hotline'): Agent {
    return this.contact(c, 'call_centre', activity, 'hotline');
  }

  private digitalChannel(): Channel {
    return this.rng.chance(0.55) ? 'app' : 'web';
  }

  /** Runs one journey instance; returns a follow-up case (a complaint) when the experience was bad. */
  private runCase(journey: Journey, t: number, month: number): { journey: Journey; t: number } | null {
    const c = this.newCase(journey, t);
    const rng = this.rng;
    switch (journey) {
      case 'onboarding':
        this.onboarding(c);
        break;
      case 'upgrade':
        this.upgrade(c);
        break;
      case 'billing_question':
        this.billing(c);
        break;
      case 'tech_support':
        this.techSupport(c);
        break;
      case 'complaint':
        this.complaint(c, month);
        break;
      default:
        break;
    }
    this.monthCost += c.cost + c.technicianVisits * 45;
    this.lastEnd = Math.max(this.lastEnd, c.t);
    if (c.contacts > 0 && c.t < WINDOW_END) {
      this.row('measurements', [
        c.t,
        'first_contact_resolution',
        `case:${c.caseId}`,
        c.contacts === 1 && c.resolved ? 1 : 0,
        this.id,
        c.caseId,
        'service_desk',
      ]);
    }
    if (c.abandoned) return null;
    const e = this.experience(c);
    this.S = (1 - STATE.alpha) * this.S + STATE.alpha * e.npsLatent;
    // Bad experiences trigger complaints a few days later.
    if (
      journey !== 'complaint' &&
      e.npsLatent < 5.5 &&
      rng.chance(Math.min(0.45, 0.1 * (5.5 - e.npsLatent)))
    ) {
      return { journey: 'complaint', t: c.t + DAY_MS * (1 + rng.next() * 4) };
    }
    return null;
  }

  /** The experience equations of docs/demo-data.md: service levels → elements → CSAT/CES → NPS. */
  private experience(c: CaseState) {
    const rng = this.rng;
    const a = this.attitude;
    const W = Math.min(SCORE.waitCapMinutes, c.waitS / 60);
    const X = Math.max(0, c.contacts - 1);
    const fcr = c.contacts === 1 && c.resolved ? 1 : 0;
    const g = c.agent?.courtesy ?? 0;
    const k = c.agent?.competence ?? 0;
    const n = SCORE.elementNoise;
    const speed =
      SCORE.speed.intercept +
      SCORE.speed.wait * W +
      SCORE.speed.extraContacts * X +
      SCORE.speed.attitude * a +
      n * rng.normal();
    const ease =
      SCORE.ease.intercept +
      SCORE.ease.extraContacts * X +
      SCORE.ease.transfers * c.transfers +
      SCORE.ease.failures * c.failures +
      SCORE.ease.attitude * a +
      n * rng.normal();
    const courtesy =
      SCORE.courtesy.intercept + SCORE.courtesy.agent * g + SCORE.courtesy.attitude * a + n * rng.normal();
    const competence =
      SCORE.competence.intercept +
      SCORE.competence.agent * k +
      SCORE.competence.fcr * fcr +
      SCORE.competence.failures * c.failures +
      SCORE.competence.attitude * a +
      n * rng.normal();
    const csatLatent =
      SCORE.csat.speed * speed +
      SCORE.csat.ease * ease +
      SCORE.csat.courtesy * courtesy +
      SCORE.csat.competence * competence +
      SCORE.csat.noise * rng.normal();
    const npsLatent =
      SCORE.nps.csat * csatLatent +
      SCORE.nps.intercept +
      SCORE.nps.attitude * a +
      SCORE.nps.noise * rng.normal();
    const cesLatent = SCORE.ces.ease * ease + SCORE.ces.intercept + SCORE.ces.noise * rng.normal();
    const result = { W, X, fcr, speed, ease, courtesy, competence, csatLatent, npsLatent, cesLatent };
    if (c.journey !== 'cancellation' && rng.chance(RESPONSE_RATE)) this.survey(c, result);
    return result;
  }

  private survey(
    c: CaseState,
    e: {
      W: number;
      X: number;
      speed: number;
      ease: number;
      courtesy: number;
      competence: number;
      csatLatent: number;
      npsLatent: number;
      cesLatent: number;
    },
  ): void {
    const rng = this.rng;
    const ts = c.t + Math.round(HOUR * (1 + rng.next() * 47));
    if (ts >= WINDOW_END) return;
    const el = (x: number) => clamp(Math.round(x), 1, 5);
    const assisted = c.contacts > 0;
    const elements: Record<string, number> = { ease: el(e.ease), speed: el(e.speed) };
    if (assisted) {
      elements.courtesy = el(e.courtesy);
      elements.competence = el(e.competence);
    }
    const nps = clamp(Math.round(e.npsLatent), 0, 10);
    const csat = clamp(Math.round(e.csatLatent), 1, 5);
    const ces = clamp(Math.round(e.cesLatent), 1, 7);
    const group = nps >= 9 ? 'promoter' : nps >= 7 ? 'passive' : 'detractor';
    let comment: Comment | null = null;
    if (rng.chance(COMMENT_RATE[group])) {
      comment = composeComment(rng, {
        language: this.language,
        journey: c.journey,
        channel: c.lastChannel,
        waitMinutes: c.waitS / 60,
        extraContacts: e.X,
        transfers: c.transfers,
        failures: c.failures,
        courtesy: el(e.courtesy),
        competence: el(e.competence),
        ease: el(e.ease),
        nps,
        assisted,
      });
    }
    this.row('feedback', [
      `R-${c.caseId}`,
      this.id,
      c.caseId,
      ts,
      `tx_${c.journey}`,
      c.journey,
      c.lastTouchpoint,
      c.lastChannel,
      nps,
      csat,
      ces,
      elements,
      comment?.text ?? null,
      comment ? this.language : null,
      'survey',
      {
        wait_seconds: c.waitS,
        contacts: c.contacts,
        agent: c.agent?.id ?? null,
        ...(comment ? { true_themes: comment.themes } : {}),
      },
    ]);
  }

  private onboarding(c: CaseState): void {
    const rng = this.rng;
    const d = this.digital;
    const ch = rng.weighted<Channel>(['web', 'shop', 'call_centre'], [d, (1 - d) * 0.6, (1 - d) * 0.4]);
    const product = PRODUCTS.find((_, i) => this.products[i]) ?? 'mobile';
    if (ch === 'shop') this.contact(c, 'shop', 'Visit shop', 'shop');
    else if (ch === 'call_centre') this.call(c, 'Call sales line');
    this.ev(
      c,
      'Order placed',
      ch,
      ch === 'web' ? 'website' : ch === 'shop' ? 'shop' : 'hotline',
      (10 + rng.next() * 110) * MIN,
      c.agent?.id ?? null,
      PRODUCT_PRICE[product],
      { product },
    );
    this.ev(c, 'Identity check', 'back_office', 'back_office', (1 + rng.next() * 20) * HOUR, 'system');
    if (rng.chance(0.06)) {
      c.failures++;
      this.ev(c, 'Documents requested', 'email', 'email', (0.5 + rng.next() * 3) * DAY_MS);
      this.ev(c, 'Documents uploaded', this.digitalChannel(), 'website', rng.next() * 4 * HOUR);
      this.ev(c, 'Identity check', 'back_office', 'back_office', (1 + rng.next() * 10) * HOUR, 'system');
    }
    this.ev(c, 'Contract signed', 'email', 'email', (2 + rng.next() * 20) * HOUR);
    this.ev(
      c,
      product === 'mobile' ? 'SIM shipped' : 'Router shipped',
      'back_office',
      'logistics',
      (1 + rng.next() * 3) * DAY_MS,
      'logistics',
    );
    if (rng.chance(0.1)) {
      c.failures++;
      this.ev(c, 'Delivery delayed', 'email', 'delivery', (3 + rng.next() * 4) * DAY_MS, 'courier');
    }
    this.ev(c, 'Delivered', 'back_office', 'delivery', (2 + rng.next() * 30) * HOUR, 'courier');
    if (rng.chance(0.12)) {
      c.failures++;
      this.ev(c, 'Activation failed', 'back_office', 'activation', (1 + rng.next() * 24) * HOUR, 'system');
      this.call(c);
      this.ev(
        c,
        'Agent activates service',
        'call_centre',
        'hotline',
        (5 + rng.next() * 20) * MIN,
        c.agent!.id,
      );
    }
    this.ev(c, 'Service activated', 'back_office', 'activation', (1 + rng.next() * 10) * HOUR, 'system');
    this.ev(c, 'Welcome email sent', 'email', 'email', MIN, 'crm');
  }

  private upgrade(c: CaseState): void {
    const rng = this.rng;
    const d = this.digital;
    const ch = rng.weighted<Channel>(
      ['app', 'web', 'shop', 'call_centre'],
      [d * 0.55, d * 0.45, (1 - d) * 0.6, (1 - d) * 0.4],
    );
    if (ch === 'app' || ch === 'web') {
      const tp = ch === 'app' ? 'app' : 'website';
      this.ev(c, 'Browse offers', ch, tp, (1 + rng.next() * 15) * MIN);
      this.ev(c, 'Configure plan', ch, tp, (1 + rng.next() * 10) * MIN);
      if (rng.chance(0.08)) {
        c.failures++;
        this.ev(c, 'App error', ch, tp, (0.5 + rng.next() * 5) * MIN);
      }
      if (rng.chance(0.15)) {
        c.abandoned = true;
        return;
      }
    } else if (ch === 'shop') {
      this.contact(c, 'shop', 'Visit shop', 'shop');
      this.ev(c, 'Advice by staff', 'shop', 'shop', (10 + rng.next() * 25) * MIN, c.agent!.id);
    } else {
      this.call(c, 'Call sales line');
      this.ev(c, 'Agent presents offer', 'call_centre', 'hotline', (5 + rng.next() * 15) * MIN, c.agent!.id);
    }
    const product = this.addProduct() ?? 'mobile';
    c.converted = true;
    const tp = ch === 'app' ? 'app' : ch === 'web' ? 'website' : ch === 'shop' ? 'shop' : 'hotline';
    const fee =
      Math.round(PRODUCT_PRICE[product as keyof typeof PRODUCT_PRICE] * SEGMENT_PRICE[this.segment] * 100) /
      100;
    this.ev(c, 'Order placed', ch, tp, (1 + rng.next() * 30) * MIN, c.agent?.id ?? null, fee, { product });
    this.ev(c, 'Order confirmed', 'email', 'email', (2 + rng.next() * 60) * MIN, 'crm');
    if (product === 'mobile' || product === 'broadband' || product === 'tv') {
      this.ev(c, 'Device shipped', 'back_office', 'logistics', (1 + rng.next() * 2) * DAY_MS, 'logistics');
      this.ev(c, 'Device delivered', 'back_office', 'delivery', (2 + rng.next() * 10) * HOUR, 'courier');
    }
    this.ev(c, 'Plan changed', 'back_office', 'back_office', MIN, 'system');
  }

  /** The billing question journey holds the redundant loop: hotline → transfer → hotline again. */
  private billing(c: CaseState): void {
    const rng = this.rng;
    const d = this.digital;
    let assisted = true;
    if (rng.chance(d)) {
      const ch = this.digitalChannel();
      const tp = ch === 'app' ? 'app' : 'website';
      this.ev(c, 'View bill online', ch, tp, (1 + rng.next() * 5) * MIN);
      this.ev(c, 'Read billing FAQ', ch, tp, (1 + rng.next() * 8) * MIN);
      if (rng.chance(0.35 + 0.3 * d)) assisted = false;
    }
    if (assisted) {
      if (rng.chance(0.3 * d)) {
        this.contact(c, 'chat', 'Start chat', 'chat');
        this.ev(c, 'Chat answered', 'chat', 'chat', (5 + rng.next() * 15) * MIN, c.agent!.id);
        if (rng.chance(0.25)) {
          this.ev(c, 'Chat escalated to hotline', 'chat', 'chat', (10 + rng.next() * 60) * MIN, c.agent!.id);
          this.callLoop(c);
        }
      } else {
        this.callLoop(c);
      }
      if (rng.chance(0.25)) {
        this.ev(c, 'Bill corrected', 'back_office', 'billing', (1 + rng.next() * 48) * HOUR, 'billing-team');
        this.ev(c, 'Correction letter sent', 'email', 'email', (1 + rng.next() * 5) * HOUR, 'crm');
      }
    }
    this.ev(c, 'Question resolved', 'back_office', 'billing', MIN, 'system');
  }

  private callLoop(c: CaseState): void {
    const rng = this.rng;
    this.call(c);
    this.ev(c, 'Agent explains bill', 'call_centre', 'hotline', (4 + rng.next() * 12) * MIN, c.agent!.id);
    for (let pass = 0; pass < 3 && rng.chance(BILLING_LOOP_P); pass++) {
      c.transfers++;
      this.ev(
        c,
        'Transfer to billing team',
        'call_centre',
        'hotline',
        (0.5 + rng.next() * 3) * HOUR * (rng.chance(0.5) ? 1 : 24),
        c.agent!.id,
      );
      this.call(c);
      this.ev(c, 'Agent explains bill', 'call_centre', 'hotline', (4 + rng.next() * 12) * MIN, c.agent!.id);
    }
  }

  private techSupport(c: CaseState): void {
    const rng = this.rng;
    if (rng.chance(this.digital * 0.8)) {
      const ch = this.digitalChannel();
      this.ev(c, 'Report fault', ch, ch === 'app' ? 'app' : 'website', (1 + rng.next() * 10) * MIN);
    } else {
      this.call(c);
      this.ev(c, 'Report fault', 'call_centre', 'hotline', (5 + rng.next() * 10) * MIN, c.agent!.id);
    }
    this.ev(c, 'Line test run', 'back_office', 'network', (5 + rng.next() * 60) * MIN, 'system');
    if (c.contacts === 0 && rng.chance(0.3)) this.call(c, 'Call hotline for status');
    if (rng.chance(0.55)) {
      this.ev(
        c,
        'Fault fixed remotely',
        'back_office',
        'network',
        (1 + rng.next() * 6) * HOUR,
        'network-ops',
      );
    } else {
      this.ev(
        c,
        'Technician appointment booked',
        'email',
        'email',
        (1 + rng.next() * 4) * DAY_MS,
        'scheduler',
      );
      const tech = this.world.pools.technician;
      const ti = Math.floor(rng.next() * tech.ids.length);
      if (rng.chance(0.1)) {
        c.failures++;
        this.ev(
          c,
          'Technician no-show',
          'back_office',
          'technician',
          (2 + rng.next() * 3) * DAY_MS,
          tech.ids[ti]!,
        );
      }
      c.technicianVisits++;
      this.ev(c, 'Technician visit', 'back_office', 'technician', (1 + rng.next() * 2) * HOUR, tech.ids[ti]!);
    }
    if (rng.chance(0.15)) {
      c.failures++;
      this.ev(c, 'Fault reoccurred', 'back_office', 'network', (0.5 + rng.next() * 3) * DAY_MS, 'system');
      this.call(c);
      this.ev(
        c,
        'Fault fixed remotely',
        'back_office',
        'network',
        (1 + rng.next() * 6) * HOUR,
        'network-ops',
      );
    }
    this.ev(c, 'Fault resolved', 'back_office', 'network', MIN, 'system');
  }

  private complaint(c: CaseState, month: number): void {
    const rng = this.rng;
    this.complaintMonth = month;
    const ch = rng.weighted<Channel>(['email', 'call_centre', 'web', 'shop'], [0.35, 0.35, 0.2, 0.1]);
    if (ch === 'call_centre') this.call(c);
    else if (ch === 'shop') this.contact(c, 'shop', 'Visit shop', 'shop');
    this.ev(
      c,
      'Complaint submitted',
      ch,
      ch === 'web' ? 'website' : ch === 'call_centre' ? 'hotline' : ch,
      (5 + rng.next() * 20) * MIN,
      c.agent?.id ?? null,
    );
    this.ev(c, 'Complaint acknowledged', 'email', 'email', (2 + rng.next() * 40) * HOUR, 'complaints-team');
    this.ev(
      c,
      'Complaint investigated',
      'back_office',
      'complaints',
      (1 + rng.next() * 5) * DAY_MS,
      'complaints-team',
    );
    if (rng.chance(0.2)) {
      c.resolved = false;
      this.call(c, 'Customer chases complaint');
    }
    if (rng.chance(0.25))
      this.ev(
        c,
        'Escalated to manager',
        'back_office',
        'complaints',
        (1 + rng.next() * 3) * DAY_MS,
        'complaints-lead',
      );
    this.ev(c, 'Resolution offered', 'email', 'email', (1 + rng.next() * 24) * HOUR, 'complaints-team');
    if (rng.chance(0.5)) {
      c.cost += 15;
      this.ev(c, 'Goodwill credit issued', 'back_office', 'billing', HOUR, 'billing-team', 15);
    }
    this.ev(c, 'Complaint closed', 'back_office', 'complaints', MIN, 'complaints-team');
  }

  private cancellation(t: number, saved: boolean, month: number): void {
    const rng = this.rng;
    const c = this.newCase('cancellation', t);
    const ch = rng.weighted<Channel>(['call_centre', 'shop', 'web'], [0.5, 0.2, 0.3]);
    if (ch === 'call_centre') this.call(c, 'Call cancellation line');
    else if (ch === 'shop') this.contact(c, 'shop', 'Visit shop', 'shop');
    this.ev(
      c,
      'Cancellation requested',
      ch,
      ch === 'web' ? 'website' : ch === 'shop' ? 'shop' : 'hotline',
      (5 + rng.next() * 15) * MIN,
      c.agent?.id ?? null,
    );
    this.ev(
      c,
      'Retention offer made',
      ch === 'web' ? 'email' : ch,
      ch === 'web' ? 'email' : ch === 'shop' ? 'shop' : 'hotline',
      (1 + rng.next() * 30) * MIN,
      c.agent?.id ?? null,
    );
    if (saved) {
      this.ev(c, 'Retention offer accepted', 'back_office', 'back_office', MIN, 'system');
    } else {
      this.ev(c, 'Contract terminated', 'back_office', 'back_office', (1 + rng.next() * 5) * HOUR, 'system');
      this.ev(c, 'Final bill sent', 'email', 'email', (1 + rng.next() * 3) * DAY_MS, 'billing');
      if (rng.chance(0.7))
        this.ev(
          c,
          'Equipment returned',
          rng.chance(0.5) ? 'shop' : 'back_office',
          'logistics',
          MIN,
          'logistics',
        );
    }
    this.monthCost += c.cost;
    void month;
  }

  /**
   * Campaign assignment and touches draw from their own stream, so a customer's life is the same
   * whether a campaign without effect touched them or not: the null campaign's treatment and holdout
   * differ by the random assignment only.
   */
  private campaign(ci: number, camp: DemoCampaign, ms: number): void {
    const rng = new Rng(this.world.seed, 3, this.index, ci);
    const treated = !rng.chance(camp.holdoutShare);
    this.treated[ci] = treated;
    const counts = this.world.campaignCounts[ci]!;
    counts[treated ? 'treatment' : 'holdout']++;
    const c = this.newCase('campaign', ms + Math.floor(rng.next() * 3 * DAY_MS) + 8 * HOUR);
    c.caseId = `${this.id}-${camp.campaign_id}`;
    this.caseNo--;
    const props = { campaign_id: camp.campaign_id, group: treated ? 'treatment' : 'holdout' };
    this.ev(
      c,
      'Campaign assigned',
      'back_office',
      'marketing',
      (1 + rng.next() * 6) * HOUR,
      'marketing-automation',
      null,
      props,
    );
    this.lastEnd = Math.max(this.lastEnd, c.t);
    if (!treated) return;
    counts.touches++;
    const ch = camp.channel as Channel;
    this.ev(
      c,
      'Campaign message sent',
      ch,
      ch === 'app' ? 'app' : 'email',
      (1 + rng.next() * 30) * HOUR,
      'marketing-automation',
      null,
      props,
    );
    if (rng.chance(0.35)) {
      this.ev(
        c,
        'Campaign message opened',
        ch,
        ch === 'app' ? 'app' : 'email',
        (1 + rng.next() * 60) * MIN,
        null,
        null,
        props,
      );
      if (rng.chance(0.3))
        this.ev(c, 'Campaign link clicked', ch, ch === 'app' ? 'app' : 'email', MIN, null, null, props);
    }
  }

  private outcome(m: number, churned: boolean): void {
    const rng = this.rng;
    const mult = SEGMENT_PRICE[this.segment];
    let base = 0;
    PRODUCTS.forEach((p, i) => {
      if (this.products[i]) base += PRODUCT_PRICE[p];
    });
    const revenue = Math.max(
      0,
      base * mult * (1 + BUYING.spendState * (this.S - 7)) * (this.saved ? 0.9 : 1) + 2 * mult * rng.normal(),
    );
    const cost = 1.5 + this.productCount() * 0.8 + this.monthCost;
    this.row('outcomes', [
      this.id,
      Math.round(monthStart(m) / DAY_MS),
      Math.round(revenue * 100) / 100,
      Math.round(cost * 100) / 100,
      churned,
      this.productCount(),
      'erp',
    ]);
  }
}

function monthIndex(t: number): number {
  const d = new Date(t);
  return (d.getUTCFullYear() - 2025) * 12 + d.getUTCMonth();
}

function emptyRows(): DemoRows {
  return {
    customers: [],
    identities: [],
    events: [],
    feedback: [],
    measurements: [],
    outcomes: [],
    campaigns: [],
  };
}

const isoDay = (m: number, last = false) =>
  new Date(last ? monthStart(m + 1) - DAY_MS : monthStart(m)).toISOString().slice(0, 10);

/** Streams the company in batches of customers; the last batch also holds the campaigns. */
export function* generateDemo(opts: DemoOptions): Generator<DemoBatch> {
  const { customers, seed } = opts;
  if (!Number.isInteger(customers) || customers < 1)
    throw new RangeError('customers must be a positive integer');
  if (!Number.isInteger(seed)) throw new RangeError('seed must be an integer');
  const chunk = Math.max(1, opts.chunkSize ?? 1000);
  const world = new World(seed, customers);
  for (let start = 0; start < customers; start += chunk) {
    const rows = emptyRows();
    const end = Math.min(customers, start + chunk);
    for (let i = start; i < end; i++) new CustomerSim(world, i, rows, opts.loadId).run();
    if (end === customers) {
      const scale = customers / 20_000;
      CAMPAIGNS.forEach((camp, ci) => {
        const n = world.campaignCounts[ci]!;
        const spend =
          Math.round((camp.fixedSpendPer20k * scale + camp.spendPerTouch * n.touches) * 100) / 100;
        const row: unknown[] = [
          camp.campaign_id,
          camp.name,
          camp.channel,
          isoDay(camp.firstMonth),
          isoDay(camp.lastMonth, true),
          spend,
          {
            design: camp.segments.length ? 'randomised holdout' : 'none (sponsoring, no individual touches)',
            segments: camp.segments,
            holdout_share: camp.holdoutShare,
            treatment_customers: n.treatment,
            holdout_customers: n.holdout,
            conversion: camp.segments.length ? 'upgrade order placed during the campaign months' : null,
          },
          'marketing',
        ];
        if (opts.loadId !== undefined) row.push(opts.loadId);
        rows.campaigns.push(row);
      });
    }
    yield { customersDone: end, rows };
  }
}
