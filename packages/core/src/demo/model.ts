/**
 * The demo company's fixed facts and the coefficients of its generating model. docs/demo-data.md
 * states the same equations; tests and later analyses refer to these names, so change both together.
 */

/** Bumped whenever the generated data changes for a given seed. */
export const DEMO_GENERATOR_VERSION = 1;

/** The simulated window: 18 calendar months ending on a fixed date, never the wall clock. */
export const DEMO_START = Date.UTC(2025, 0, 1);
export const DEMO_MONTHS = 18;
/** Last day of the window (inclusive): 2026-06-30. */
export const DEMO_END_DATE = '2026-06-30';

export const DAY_MS = 86_400_000;
export const DEMO_DAYS = Math.round((Date.UTC(2025, 0 + DEMO_MONTHS, 1) - DEMO_START) / DAY_MS);

export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
export const REGION_WEIGHTS = [0.22, 0.24, 0.16, 0.18, 0.2];

export const SEGMENTS = ['consumer', 'business', 'premium'] as const;
export type Segment = (typeof SEGMENTS)[number];
export const SEGMENT_WEIGHTS = [0.7, 0.2, 0.1];
/** Price multiplier per segment. */
export const SEGMENT_PRICE: Record<Segment, number> = { consumer: 1, business: 1.6, premium: 1.4 };
/** Added to the churn logit. */
export const SEGMENT_CHURN: Record<Segment, number> = { consumer: 0, business: -0.4, premium: -0.6 };

export const PRODUCTS = [
  'mobile',
  'broadband',
  'tv',
  'landline',
  'device_protection',
  'cloud_backup',
] as const;
export type Product = (typeof PRODUCTS)[number];
/** Monthly list price in EUR (consumer). */
export const PRODUCT_PRICE: Record<Product, number> = {
  mobile: 29,
  broadband: 39,
  tv: 19,
  landline: 9,
  device_protection: 7,
  cloud_backup: 5,
};

export const JOURNEYS = [
  'onboarding',
  'upgrade',
  'billing_question',
  'tech_support',
  'complaint',
  'cancellation',
  'campaign',
] as const;
export type Journey = (typeof JOURNEYS)[number];

export const CHANNELS = ['web', 'app', 'call_centre', 'shop', 'email', 'chat', 'back_office'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Channels where a person (an agent) serves the customer. */
export const ASSISTED_CHANNELS: readonly Channel[] = ['call_centre', 'shop', 'chat'];
export const CHANNEL_SOURCE: Record<Channel, string> = {
  web: 'web_analytics',
  app: 'app_analytics',
  call_centre: 'telephony',
  shop: 'pos',
  email: 'crm',
  chat: 'chat',
  back_office: 'erp',
};
/** Cost to serve in EUR of one assisted contact (call, shop visit, chat) or one digital / e-mail step. */
export const CONTACT_COST: Record<Channel, number> = {
  web: 0.1,
  app: 0.1,
  call_centre: 6,
  shop: 9,
  email: 0.5,
  chat: 3,
  back_office: 1,
};

/** Journey arrival rates per customer and month (Poisson), before the modifiers in the docs. */
export const BASE_RATE = {
  billing_question: 0.1,
  tech_support: 0.07,
  upgrade: 0.022,
} as const;

/** Share of billing questions that reach the hotline and fall into the transfer loop (per pass). */
export const BILLING_LOOP_P = 0.35;

/** Waiting time model: median seconds and log-sd per assisted channel. */
export const WAIT_MEDIAN_S: Record<'call_centre' | 'chat' | 'shop', number> = {
  call_centre: 140,
  chat: 45,
  shop: 240,
};
export const WAIT_LOG_SD: Record<'call_centre' | 'chat' | 'shop', number> = {
  call_centre: 0.75,
  chat: 0.6,
  shop: 0.5,
};
/** The call centre was understaffed in these months (0-based month index in the window): Jan–Feb 2026. */
export const UNDERSTAFFED_MONTHS = [12, 13];

/** Experience equations (docs/demo-data.md §Scores). */
export const SCORE = {
  speed: { intercept: 4.6, wait: -0.28, extraContacts: -0.3, attitude: 0.25 },
  ease: { intercept: 4.5, extraContacts: -0.45, transfers: -0.35, failures: -0.5, attitude: 0.25 },
  courtesy: { intercept: 4.3, agent: 0.6, attitude: 0.25 },
  competence: { intercept: 3.9, agent: 0.6, fcr: 0.5, failures: -0.3, attitude: 0.25 },
  elementNoise: 0.5,
  csat: { speed: 0.4, ease: 0.25, courtesy: 0.15, competence: 0.2, noise: 0.35 },
  ces: { ease: 1.5, intercept: -0.3, noise: 0.5 },
  nps: { csat: 2.3, intercept: -1.5, attitude: 0.7, noise: 0.9 },
  /** Waiting minutes are capped here before they enter the equations. */
  waitCapMinutes: 30,
} as const;

/** Satisfaction state S: S ← (1−α)·S + α·e after every case; churn and buying depend on S. */
export const STATE = { initial: 7, attitude: 1, alpha: 0.35 } as const;
export const CHURN = { intercept: -4.4, state: -0.75, complaint: 0.7, retentionSave: 0.25 } as const;
export const BUYING = {
  upgradeState: 0.35,
  downgradeBase: 0.008,
  downgradeState: -0.35,
  spendState: 0.015,
} as const;

export const RESPONSE_RATE = 0.3;
export const COMMENT_RATE = { detractor: 0.65, passive: 0.35, promoter: 0.45 } as const;
export const LANGUAGES = ['en', 'de', 'fr'] as const;
export const LANGUAGE_WEIGHTS = [0.82, 0.12, 0.06];

export interface DemoCampaign {
  campaign_id: string;
  name: string;
  channel: string;
  /** Month index in the window of the first and last month. */
  firstMonth: number;
  lastMonth: number;
  /** Segments targeted; empty = no individual targeting (sponsoring). */
  segments: readonly Segment[];
  holdoutShare: number;
  /** Added to the monthly upgrade rate of treated customers during the campaign. */
  upgradeLift: number;
  fixedSpendPer20k: number;
  spendPerTouch: number;
}

export const CAMPAIGNS: readonly DemoCampaign[] = [
  {
    campaign_id: 'CMP-5G-UPGRADE',
    name: '5G upgrade offer (autumn 2025)',
    channel: 'email',
    firstMonth: 9,
    lastMonth: 10,
    segments: ['consumer', 'premium'],
    holdoutShare: 0.2,
    upgradeLift: 0.07,
    fixedSpendPer20k: 12_000,
    spendPerTouch: 1.8,
  },
  {
    campaign_id: 'CMP-TV-BUNDLE',
    name: 'TV bundle promotion (spring 2026)',
    channel: 'app',
    firstMonth: 14,
    lastMonth: 15,
    segments: ['consumer', 'business', 'premium'],
    holdoutShare: 0.2,
    upgradeLift: 0,
    fixedSpendPer20k: 15_000,
    spendPerTouch: 2.2,
  },
  {
    campaign_id: 'CMP-FOOTBALL-SPONSOR',
    name: 'Regional football league sponsoring',
    channel: 'sponsoring',
    firstMonth: 5,
    lastMonth: 7,
    segments: [],
    holdoutShare: 0,
    upgradeLift: 0,
    fixedSpendPer20k: 60_000,
    spendPerTouch: 0,
  },
];
