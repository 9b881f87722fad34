import type { Generated } from 'kysely';

/**
 * Operational state (DESIGN.md §2): everything that is not analytic data. Typed for Kysely, so the
 * same callers run on the embedded SQLite default and on PostgreSQL. JSON columns hold text.
 */
export interface AppDatabase {
  users: {
    user_id: string;
    email: string;
    name: string;
    role: string; // executive | cx_lead | journey_owner | analyst | frontline | admin
    scope_json: string; // a DataScope
    created_at: string;
  };
  api_keys: {
    key_id: string;
    /** sha256 of the secret; the secret itself is shown once and never stored. */
    key_hash: string;
    name: string;
    scope_json: string;
    created_at: string;
    revoked_at: string | null;
    last_used_at: string | null;
  };
  journey_maps: { journey_map_id: string; name: string; definition_json: string; updated_at: string };
  kpis: { kpi_id: string; name: string; definition_json: string; target: number | null; updated_at: string };
  rules: {
    rule_id: string;
    name: string;
    kind: string;
    definition_json: string;
    enabled: number;
    updated_at: string;
  };
  alerts: {
    alert_id: string;
    rule_id: string | null;
    kpi_id: string | null;
    raised_at: string;
    state: string;
    payload_json: string;
  };
  cases: {
    case_id: string;
    customer_id: string | null;
    title: string;
    state: string;
    priority: string;
    owner: string | null;
    opened_at: string;
    due_at: string | null;
    closed_at: string | null;
    reason_code: string | null;
    payload_json: string;
  };
  insights: {
    insight_id: string;
    title: string;
    impact: number | null;
    difficulty: number | null;
    state: string;
    payload_json: string;
    created_at: string;
  };
  dashboards: {
    dashboard_id: string;
    name: string;
    role: string | null;
    definition_json: string;
    updated_at: string;
  };
  webhook_outbox: {
    message_id: string;
    url: string;
    payload_json: string;
    attempts: Generated<number>;
    next_attempt_at: string;
    delivered_at: string | null;
    last_error: string | null;
  };
  audit_log: {
    audit_id: Generated<number>;
    at: string;
    actor: string;
    action: string;
    target: string | null;
    details_json: string | null;
  };
  surveys: { survey_id: string; version: number; definition_json: string; created_at: string };
  survey_triggers: { trigger_id: string; survey_id: string; definition_json: string; updated_at: string };
  survey_invitations: {
    invitation_id: string;
    survey_id: string;
    customer_id: string;
    case_id: string | null;
    event_id: string | null;
    journey: string | null;
    touchpoint: string | null;
    channel: string | null;
    invited_at: string;
    expires_at: string;
    responded_at: string | null;
    response_id: string | null;
  };
  survey_state: { key: string; value: string; updated_at: string };
}
