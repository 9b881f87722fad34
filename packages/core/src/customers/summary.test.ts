import { describe, expect, it } from 'vitest';
import { handMadeCustomerFile } from './fixture.ts';
import { redactCustomerFile, renderCustomerFile, summaryMessages } from './prompt.ts';
import { CustomerFileSchema } from './schemas.ts';
import { riskBand, splitSentences, strongestSentence, summarizeCustomer, tenure } from './summary.ts';

describe('summarizeCustomer (extractive)', () => {
  it('writes the known summary of a hand-made file', () => {
    const file = CustomerFileSchema.parse(handMadeCustomerFile());
    const s = summarizeCustomer(file);
    expect(s.source).toBe('extractive');
    expect(s.sentences).toEqual([
      'Customer since 2019 (7 years), business, region north, 3 products (mobile, broadband, tv), 142 EUR/month (up from 120 EUR in 2025-06).',
      // 90 days before 2026-06-30: the February tech-support case and the campaign are not counted;
      // waits 300 + 420 (calls) + 120 (chat) = 840 s = 14 min.
      'In the last 90 days: 2 billing questions, a complaint (open), 2 calls and 1 chat with 14 min waiting in total.',
      'Last NPS 3 (detractor) on 2026-05-12, down from 8: "I waited 20 minutes on the hotline and nobody could help me!"',
      'Churn risk 34 % (high): repeated contacts, low NPS.',
      'Cross-sell propensity 21 %: few products for the segment.',
      'Open follow-up case: "Call back detractor" (high priority).',
    ]);
    expect(s.text).toBe(s.sentences.join(' '));
    // Deterministic: the same file gives the same words.
    expect(summarizeCustomer(file)).toEqual(s);
  });

  it('says "not scored yet", churn and a quiet quarter for a file without scores or recent journeys', () => {
    const file = handMadeCustomerFile();
    file.scores = { status: 'not_scored', churn: null, crossSell: null };
    file.asOf = '2026-12-31T00:00:00.000Z';
    file.outcomes = [
      { period: '2026-05-01', revenue: 50, costToServe: 5, products: 2, churned: false },
      { period: '2026-06-01', revenue: 50, costToServe: 5, products: 2, churned: true },
    ];
    file.responses = file.responses.slice(0, 1);
    file.cases = [];
    const s = summarizeCustomer(file);
    expect(s.sentences).toEqual([
      // 2 products on record but 3 names known: the names are left out rather than guessed.
      'Customer since 2019 (7 years), business, region north, 2 products, 50 EUR/month.',
      'Left the company in 2026-06 (churned).',
      'No journeys in the last 90 days.',
      'Last NPS 8 (passive) on 2026-03-01.',
      'Churn risk and cross-sell propensity: not scored yet.',
    ]);
  });

  it('quotes the most positive sentence for a promoter and a later comment separately', () => {
    const file = handMadeCustomerFile();
    file.responses[1]!.nps = 10;
    file.responses[1]!.comment = 'The hold music was awful. The agent was wonderful and very helpful.';
    file.responses.push({
      ...file.responses[0]!,
      responseId: 'R3',
      ts: '2026-06-20T00:00:00.000Z',
      nps: null,
      comment: 'Still no answer to my complaint.',
      language: 'en',
    });
    const s = summarizeCustomer(file);
    expect(s.sentences).toContain(
      'Last NPS 10 (promoter) on 2026-05-12, up from 8: "The agent was wonderful and very helpful."',
    );
    expect(s.sentences).toContain('Latest comment (2026-06-20): "Still no answer to my complaint."');
  });
});

describe('summary helpers', () => {
  it('tenure counts whole months and years up to the as-of day', () => {
    expect(tenure('2019-03-15T00:00:00Z', '2026-03-14T00:00:00Z')).toBe('6 years');
    expect(tenure('2019-03-15T00:00:00Z', '2026-03-15T00:00:00Z')).toBe('7 years');
    expect(tenure('2026-01-31T00:00:00Z', '2026-03-01T00:00:00Z')).toBe('1 month');
    expect(tenure('2026-06-01T00:00:00Z', '2026-06-20T00:00:00Z')).toBe('less than a month');
  });

  it('splits sentences and bands risk', () => {
    expect(splitSentences('One. Two!  Three?\nFour … :)')).toEqual(['One.', 'Two!', 'Three?', 'Four …']);
    expect([riskBand(0.05), riskBand(0.1), riskBand(0.249), riskBand(0.25)]).toEqual([
      'low',
      'medium',
      'medium',
      'high',
    ]);
    expect(strongestSentence({ comment: null, nps: 3, language: 'en' })).toBeNull();
  });
});

describe('redactCustomerFile (what an LLM is sent)', () => {
  it('keeps no customer id, external id, name, e-mail, phone or agent id', () => {
    const file = handMadeCustomerFile();
    const raw = renderCustomerFile(file);
    // The raw rendering does contain them: the redaction has something to do.
    for (const pii of ['C0004711', 'CRM-88123', 'anna.schmidt@example.com', '+49 30 1234567', 'Anna']) {
      expect(raw).toContain(pii);
    }
    const { text, replaced } = redactCustomerFile(file);
    for (const pii of [
      'C0004711',
      'CRM-88123',
      'BIL-5530021',
      'ck-9f8e7d6c',
      'anna.schmidt@example.com',
      '1234567',
      'Anna',
      'Schmidt',
      'agent-cc-017',
    ]) {
      expect(text).not.toContain(pii);
    }
    expect(text).toContain('[customer]');
    expect(text).toContain('[id-1]');
    expect(replaced.customer_id).toBe(2);
    expect(replaced.phone).toBe(1);
    // The facts a summary needs survive.
    expect(text).toContain('I waited 20 minutes on the hotline');
    expect(text).toContain('Churn risk: 34 %');
    const [system, user] = summaryMessages(file);
    expect(system!.role).toBe('system');
    expect(user!.content).toContain(text);
  });
});
