import type { CustomerFile, TimelineCase, TimelineEvent } from './schemas.ts';

/**
 * A hand-made customer file whose summary is known by hand (summary.test.ts), and which carries
 * personal data in attributes and comments for the redaction tests (here and in the server's LLM
 * route test).
 */
let seq = 0;
function ev(
  ts: string,
  activity: string,
  channel: string | null,
  waitSeconds: number | null = null,
): TimelineEvent {
  seq++;
  return {
    eventId: `e${seq}`,
    ts,
    activity,
    touchpoint: null,
    channel,
    resource: channel === 'call_centre' ? 'agent-cc-017' : null,
    value: waitSeconds,
    waitSeconds,
  };
}

function kase(caseId: string, journey: string, events: TimelineEvent[]): TimelineCase {
  const waits = events.filter((e) => e.waitSeconds !== null);
  return {
    caseId,
    journey,
    start: events[0]!.ts,
    end: events.at(-1)!.ts,
    channels: [...new Set(events.map((e) => e.channel).filter((c): c is string => c !== null))],
    contacts: waits.length,
    waitSeconds: waits.reduce((s, e) => s + (e.waitSeconds ?? 0), 0),
    lastActivity: events.at(-1)!.activity,
    events,
  };
}

export function handMadeCustomerFile(): CustomerFile {
  seq = 0;
  return {
    customer: {
      customerId: 'C0004711',
      segment: 'business',
      region: 'north',
      createdAt: '2019-03-15T10:00:00.000Z',
      attributes: { contract: 'postpaid', full_name: 'Anna Schmidt', email: 'anna.schmidt@example.com' },
    },
    asOf: '2026-06-30T00:00:00.000Z',
    productNames: ['mobile', 'broadband', 'tv'],
    identities: [
      { source: 'crm', externalId: 'CRM-88123' },
      { source: 'billing', externalId: 'BIL-5530021' },
      { source: 'web_anonymous', externalId: 'ck-9f8e7d6c' },
    ],
    timeline: [
      kase('K-old', 'tech_support', [
        ev('2026-02-01T09:00:00.000Z', 'Call hotline', 'call_centre', 100),
        ev('2026-02-01T09:10:00.000Z', 'Fault resolved', 'back_office'),
      ]),
      kase('K-bill-1', 'billing_question', [
        ev('2026-05-02T08:00:00.000Z', 'Call hotline', 'call_centre', 300),
        ev('2026-05-02T08:10:00.000Z', 'Agent explains bill', 'call_centre'),
        ev('2026-05-02T08:12:00.000Z', 'Transfer to billing team', 'call_centre'),
        ev('2026-05-02T08:20:00.000Z', 'Call hotline', 'call_centre', 420),
        ev('2026-05-02T08:30:00.000Z', 'Agent explains bill', 'call_centre'),
        ev('2026-05-02T08:31:00.000Z', 'Question resolved', 'back_office'),
      ]),
      kase('K-cmp', 'campaign', [
        ev('2026-05-05T08:00:00.000Z', 'Campaign assigned', 'back_office'),
        ev('2026-05-05T08:00:01.000Z', 'Campaign message sent', 'email'),
      ]),
      kase('K-bill-2', 'billing_question', [
        ev('2026-06-10T18:00:00.000Z', 'View bill online', 'web'),
        ev('2026-06-10T18:02:00.000Z', 'Read billing FAQ', 'web'),
        ev('2026-06-10T18:05:00.000Z', 'Question resolved', 'web'),
      ]),
      kase('K-compl', 'complaint', [
        ev('2026-06-12T12:00:00.000Z', 'Start chat', 'chat', 120),
        ev('2026-06-12T12:05:00.000Z', 'Complaint submitted', 'chat'),
        ev('2026-06-12T12:06:00.000Z', 'Complaint acknowledged', 'back_office'),
      ]),
    ],
    timelineTruncated: false,
    responses: [
      {
        responseId: 'R1',
        caseId: 'K-old',
        ts: '2026-03-01T10:00:00.000Z',
        surveyId: 'tx_tech_support',
        journey: 'tech_support',
        touchpoint: 'hotline',
        channel: 'call_centre',
        nps: 8,
        csat: 4,
        ces: 6,
        elements: { speed: 4 },
        comment: null,
        language: null,
        sentiment: null,
        sentimentScore: null,
        themes: [],
      },
      {
        responseId: 'R2',
        caseId: 'K-bill-1',
        ts: '2026-05-12T10:00:00.000Z',
        surveyId: 'tx_billing_question',
        journey: 'billing_question',
        touchpoint: 'hotline',
        channel: 'call_centre',
        nps: 3,
        csat: 2,
        ces: 3,
        elements: { speed: 1, ease: 2 },
        comment:
          'The app is fine. I waited 20 minutes on the hotline and nobody could help me! My name is Anna Schmidt, write to anna.schmidt@example.com or call +49 30 1234567, customer C0004711, CRM-88123. Thanks anyway.',
        language: 'en',
        sentiment: 'negative',
        sentimentScore: -0.6,
        themes: ['waiting_time', 'repeat_contact'],
      },
    ],
    outcomes: [
      { period: '2025-06-01', revenue: 120, costToServe: 9, products: 2, churned: false },
      { period: '2026-05-01', revenue: 141, costToServe: 30, products: 3, churned: false },
      { period: '2026-06-01', revenue: 142.4, costToServe: 12, products: 3, churned: false },
    ],
    cases: [
      {
        caseId: 'FU-1',
        title: 'Call back detractor',
        state: 'open',
        priority: 'high',
        owner: null,
        openedAt: '2026-05-13T09:00:00.000Z',
        closedAt: null,
      },
    ],
    scores: {
      status: 'scored',
      churn: {
        target: 'churn',
        modelId: 'm-churn',
        probability: 0.34,
        asOf: '2026-06-30',
        scoredAt: '2026-06-30T01:00:00.000Z',
        reasons: [
          { feature: 'tenure_months', contribution: -0.3, text: 'long tenure' },
          { feature: 'last_nps', contribution: 0.5, text: 'low NPS' },
          { feature: 'contacts_90d', contribution: 0.8, text: 'repeated contacts' },
        ],
      },
      crossSell: {
        target: 'cross_sell',
        modelId: 'm-xsell',
        probability: 0.21,
        asOf: '2026-06-30',
        scoredAt: '2026-06-30T01:00:00.000Z',
        reasons: [{ feature: 'products', contribution: 0.2, text: 'few products for the segment' }],
      },
    },
  };
}
