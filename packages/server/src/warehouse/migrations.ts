/**
 * Versioned warehouse migrations. A migration, once released, never changes: add a new one.
 * Every data table carries `load_id` (which import stored the row) and `source_system`, so a load
 * can be listed and undone (DESIGN.md §3).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const WAREHOUSE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'canonical model, loads and dead letters',
    sql: `
create table loads (
  load_id varchar primary key,
  kind varchar not null,            -- table kind, or 'batch' for the HTTP API, 'demo' for the generator
  source varchar not null,          -- file path, 'api', 'demo'
  file_sha256 varchar,
  format varchar,
  started_at timestamptz not null,
  finished_at timestamptz,
  status varchar not null,          -- running | done | failed | undone
  rows_read bigint default 0,
  rows_stored bigint default 0,
  rows_duplicate bigint default 0,
  rows_rejected bigint default 0,
  message varchar,
  options json
);
create table dead_letters (
  load_id varchar not null,
  source varchar,
  line bigint,
  field varchar,
  reason varchar not null,
  raw varchar,
  created_at timestamptz not null default current_timestamp
);
create table customers (
  customer_id varchar not null,
  created_at timestamptz,
  segment varchar,
  region varchar,
  attributes json,
  source_system varchar,
  load_id varchar
);
create table identities (
  source varchar not null,
  external_id varchar not null,
  customer_id varchar not null,
  source_system varchar,
  load_id varchar
);
create table events (
  event_id varchar not null,
  customer_id varchar,
  case_id varchar not null,
  ts timestamptz not null,
  activity varchar not null,
  touchpoint varchar,
  journey varchar,
  channel varchar,
  source_system varchar,
  resource varchar,
  lifecycle varchar,
  value double,
  properties json,
  load_id varchar
);
create table feedback (
  response_id varchar not null,
  customer_id varchar,
  case_id varchar,
  ts timestamptz,
  survey_id varchar,
  journey varchar,
  touchpoint varchar,
  channel varchar,
  nps integer,
  csat integer,
  ces integer,
  elements json,
  comment varchar,
  language varchar,
  sentiment varchar,
  sentiment_score double,
  themes varchar[],
  source_system varchar,
  properties json,
  load_id varchar
);
create table measurements (
  ts timestamptz not null,
  kpi varchar not null,
  scope varchar not null,
  value double not null,
  customer_id varchar,
  case_id varchar,
  source_system varchar,
  load_id varchar
);
create table outcomes (
  customer_id varchar not null,
  period date not null,
  revenue double,
  cost_to_serve double,
  churned boolean,
  products integer,
  source_system varchar,
  load_id varchar
);
create table campaigns (
  campaign_id varchar not null,
  name varchar not null,
  channel varchar,
  start_date date,
  end_date date,
  spend double,
  attributes json,
  source_system varchar,
  load_id varchar
);
`,
  },
  {
    version: 2,
    name: 'journey index: steps with successors, cases with variants (DESIGN.md §2)',
    // Derived from events by queries/journeys/journey-index.ts and rebuilt, never edited: every
    // row can be recomputed, so none carries a load id.
    sql: `
create table journey_steps (
  case_id varchar not null,
  activity varchar not null,
  ts timestamptz not null,
  rn integer not null,              -- position in the case, from 1 (order: ts, then file order)
  nxt varchar,                      -- the directly-following activity; null at the case's end
  d double                          -- seconds to it
);
create table journey_cases (
  case_id varchar not null,
  customer_id varchar,              -- the case's customer (null when it has none or several)
  fp ubigint not null,              -- variant fingerprint: equal sequences, equal fingerprints
  events integer not null,
  start_ts timestamptz not null,
  dur double not null               -- seconds from first to last event
);
create table journey_variants (
  fp ubigint not null,
  activities varchar[] not null
);
create table journey_index_state (
  fingerprint varchar not null,     -- of the events it was built from (see journey-index.ts)
  mixed_customer_cases bigint not null,
  built_at timestamptz not null,
  seconds double not null
);
`,
  },
  {
    version: 3,
    name: 'journey index: integer case numbers (joins and windows on integers, not case id strings)',
    // Derived tables: recreated empty, and the state cleared, so the next start rebuilds them.
    sql: `
drop table journey_steps;
drop table journey_cases;
create table journey_steps (
  cn integer not null,              -- the case's number in this build (journey_cases.cn)
  case_id varchar not null,
  activity varchar not null,
  ts timestamptz not null,
  rn integer not null,
  nxt varchar,
  d double
);
create table journey_cases (
  cn integer not null,
  case_id varchar not null,
  customer_id varchar,
  fp ubigint not null,
  events integer not null,
  start_ts timestamptz not null,
  dur double not null
);
delete from journey_variants;
delete from journey_index_state;
`,
  },
  {
    version: 4,
    name: 'prediction models and customer scores (issue 6: churn and cross-sell)',
    // Derived from the data by training and scoring (server/src/predict/): both can be recomputed, so
    // no row carries a load id. Scores of a target are replaced as a whole in one transaction.
    sql: `
create table prediction_models (
  model_id varchar primary key,
  target varchar not null,          -- churn | cross_sell
  kind varchar not null,            -- logistic | gbdt (the learner chosen by cross-validation)
  trained_at timestamptz not null,
  cutoff date not null,             -- features strictly before it; label within horizon_months after
  horizon_months integer not null,
  card json not null,               -- the ModelCard (AUC, calibration, lift, features …)
  model json not null,              -- serialised model and encoder
  active boolean not null
);
create table customer_scores (
  model_id varchar not null,
  target varchar not null,
  customer_id varchar not null,
  probability double not null,
  as_of date not null,              -- the scoring cutoff: features strictly before it
  reasons json,                     -- top 3 [{feature, contribution, text}]
  scored_at timestamptz not null
);
create index customer_scores_target_customer on customer_scores(target, customer_id);
`,
  },
  {
    version: 5,
    name: "journey index: each case's journey, so a journey owner's scope reads the index",
    // Derived tables: the new columns stay NULL until the next build, and a NULL count of mixed
    // cases sends journey-scoped queries to the live path until then.
    sql: `
alter table journey_cases add column journey varchar;   -- the case's journey, when all its events share one
alter table journey_index_state add column mixed_journey_cases bigint;
`,
  },
];
