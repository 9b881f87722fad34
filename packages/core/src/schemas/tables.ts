/**
 * The canonical warehouse model (DESIGN.md §3) as data: one place that says which tables exist,
 * which columns they have, which are required and which form the natural key. The DDL, the
 * importers' column mapping and validation, and the docs are all derived from this.
 */
export type ColumnType =
  | 'string'
  | 'timestamp'
  | 'date'
  | 'double'
  | 'integer'
  | 'boolean'
  | 'json'
  | 'string[]';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** A row without it is refused. */
  required?: boolean;
  /** Inclusive range for numeric columns (scores). */
  min?: number;
  max?: number;
  description: string;
}

export interface TableSpec {
  name: TableKind;
  /** Columns that identify a row; re-importing a row with the same key stores nothing. */
  key: readonly string[];
  /**
   * When the key column is not mapped, a deterministic key is derived from these columns (plus an
   * occurrence number for exact repeats), so importing the same file twice still stores nothing twice.
   */
  derivedKeyFrom?: readonly string[];
  columns: readonly ColumnSpec[];
  description: string;
}

export const TABLE_KINDS = [
  'customers',
  'identities',
  'events',
  'feedback',
  'measurements',
  'outcomes',
  'campaigns',
] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

const s = (name: string, description: string, required = false): ColumnSpec => ({
  name,
  type: 'string',
  description,
  required,
});

export const TABLES: Record<TableKind, TableSpec> = {
  customers: {
    name: 'customers',
    key: ['customer_id'],
    description: 'One row per customer: the dimension every analysis can be sliced and restricted by.',
    columns: [
      s('customer_id', 'Canonical customer id', true),
      { name: 'created_at', type: 'timestamp', description: 'When the customer relationship began' },
      s('segment', 'Customer segment (e.g. consumer, business, premium)'),
      s('region', 'Region; used for data restrictions'),
      { name: 'attributes', type: 'json', description: 'Any further attributes' },
      s('source_system', 'System the row came from'),
    ],
  },
  identities: {
    name: 'identities',
    key: ['source', 'external_id'],
    description: 'Links the ids of other systems (CRM, web, service desk, ERP) to one customer.',
    columns: [
      s('source', 'System the external id comes from (crm, web_anonymous, service_desk, …)', true),
      s('external_id', 'Id in that system', true),
      s('customer_id', 'Canonical customer id', true),
      s('source_system', 'System the row came from'),
    ],
  },
  events: {
    name: 'events',
    key: ['event_id'],
    derivedKeyFrom: ['source_system', 'case_id', 'customer_id', 'activity', 'ts'],
    description: 'Everything a customer or the company did: one row per touchpoint event.',
    columns: [
      s('event_id', 'Unique event id (derived from case, activity and time when absent)'),
      s('customer_id', 'Canonical customer id (the case id when the source has no customer)'),
      s('case_id', 'One journey instance; events of a case form a trace', true),
      { name: 'ts', type: 'timestamp', required: true, description: 'UTC instant of the event' },
      s('activity', 'What happened (the process-mining activity)', true),
      s('touchpoint', 'Touchpoint the event belongs to'),
      s('journey', 'Journey the case belongs to (onboarding, billing question, …)'),
      s('channel', 'web, app, call_centre, shop, email, chat, …'),
      s('source_system', 'System the row came from'),
      s('resource', 'Who or what performed the event (agent, system)'),
      s('lifecycle', 'XES lifecycle:transition (start, complete, …)'),
      {
        name: 'value',
        type: 'double',
        description: 'A numeric value carried by the event (amount, wait seconds)',
      },
      { name: 'properties', type: 'json', description: 'All other attributes of the event and its case' },
    ],
  },
  feedback: {
    name: 'feedback',
    key: ['response_id'],
    derivedKeyFrom: ['source_system', 'customer_id', 'survey_id', 'ts', 'comment'],
    description: 'Survey responses and reviews: scores and free text.',
    columns: [
      s('response_id', 'Unique response id (derived when absent)'),
      s('customer_id', 'Canonical customer id'),
      s('case_id', 'Journey instance the response is about'),
      { name: 'ts', type: 'timestamp', description: 'When the response was given' },
      s('survey_id', 'Survey the response belongs to'),
      s('journey', 'Journey asked about'),
      s('touchpoint', 'Touchpoint asked about'),
      s('channel', 'Channel of the touchpoint'),
      { name: 'nps', type: 'integer', min: 0, max: 10, description: 'Likelihood to recommend, 0–10' },
      { name: 'csat', type: 'integer', min: 1, max: 5, description: 'Satisfaction, 1–5' },
      { name: 'ces', type: 'integer', min: 1, max: 7, description: 'Customer effort, 1–7 (7 = very easy)' },
      {
        name: 'elements',
        type: 'json',
        description: 'Experience-element scores, e.g. {"ease":4,"courtesy":5}',
      },
      s('comment', 'Free-text comment'),
      s('language', 'ISO 639-1 language of the comment'),
      s('sentiment', 'negative | neutral | positive'),
      { name: 'sentiment_score', type: 'double', description: 'Sentiment score, −1..1' },
      { name: 'themes', type: 'string[]', description: 'Themes of the comment' },
      s('source_system', 'System the row came from'),
      { name: 'properties', type: 'json', description: 'All other attributes' },
    ],
  },
  measurements: {
    name: 'measurements',
    key: ['ts', 'kpi', 'scope'],
    description: 'Service-level KPIs such as waiting time or first-contact resolution.',
    columns: [
      {
        name: 'ts',
        type: 'timestamp',
        required: true,
        description: 'Time (or start of the period) measured',
      },
      s('kpi', 'KPI name: wait_seconds, first_contact_resolution, …', true),
      s('scope', 'What was measured: "all", "channel:call_centre", "case:123", …', true),
      { name: 'value', type: 'double', required: true, description: 'Measured value' },
      s('customer_id', 'Customer, when the measurement is about one contact'),
      s('case_id', 'Journey instance, when the measurement is about one contact'),
      s('source_system', 'System the row came from'),
    ],
  },
  outcomes: {
    name: 'outcomes',
    key: ['customer_id', 'period'],
    description: 'Money and loyalty per customer and month.',
    columns: [
      s('customer_id', 'Canonical customer id', true),
      { name: 'period', type: 'date', required: true, description: 'First day of the month' },
      { name: 'revenue', type: 'double', description: 'Revenue in the period' },
      { name: 'cost_to_serve', type: 'double', description: 'Cost to serve in the period' },
      { name: 'churned', type: 'boolean', description: 'The customer left in this period' },
      { name: 'products', type: 'integer', description: 'Number of products held' },
      s('source_system', 'System the row came from'),
    ],
  },
  campaigns: {
    name: 'campaigns',
    key: ['campaign_id'],
    description: 'Marketing campaigns, advertising and sponsoring; their touches are events.',
    columns: [
      s('campaign_id', 'Campaign id', true),
      s('name', 'Campaign name', true),
      s('channel', 'Channel'),
      { name: 'start_date', type: 'date', description: 'First day' },
      { name: 'end_date', type: 'date', description: 'Last day' },
      { name: 'spend', type: 'double', description: 'Total spend' },
      { name: 'attributes', type: 'json', description: 'Targeting, holdout design, …' },
      s('source_system', 'System the row came from'),
    ],
  },
};

export function isTableKind(x: string): x is TableKind {
  return (TABLE_KINDS as readonly string[]).includes(x);
}
