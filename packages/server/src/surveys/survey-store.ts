import { randomBytes } from 'node:crypto';
import {
  AppError,
  inputError,
  type SurveyDefinition,
  SurveyDefinitionSchema,
  type Trigger,
  TriggerSchema,
} from '@cx/core';
import type { AppStore } from '../app-store/port.ts';

/**
 * Survey definitions, triggers and invitations in the app store. Definitions are versioned: saving
 * a changed definition adds a version (responses keep the version they answered); saving an
 * unchanged one does nothing.
 */
export interface StoredSurvey {
  definition: SurveyDefinition;
  version: number;
  updatedAt: string;
}

export async function saveSurvey(
  store: AppStore,
  input: unknown,
  now: Date,
): Promise<StoredSurvey & { changed: boolean }> {
  const definition = SurveyDefinitionSchema.parse(input);
  const json = JSON.stringify(definition);
  return store.db.transaction().execute(async (tx) => {
    const latest = await tx
      .selectFrom('surveys')
      .selectAll()
      .where('survey_id', '=', definition.id)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.definition_json === json)
      return { definition, version: latest.version, updatedAt: latest.created_at, changed: false };
    const version = (latest?.version ?? 0) + 1;
    await tx
      .insertInto('surveys')
      .values({ survey_id: definition.id, version, definition_json: json, created_at: now.toISOString() })
      .execute();
    return { definition, version, updatedAt: now.toISOString(), changed: true };
  });
}

const toStored = (r: { definition_json: string; version: number; created_at: string }): StoredSurvey => ({
  definition: SurveyDefinitionSchema.parse(JSON.parse(r.definition_json)),
  version: r.version,
  updatedAt: r.created_at,
});

/** The latest version of a survey, or undefined. */
export async function getSurvey(store: AppStore, surveyId: string): Promise<StoredSurvey | undefined> {
  const r = await store.db
    .selectFrom('surveys')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toStored(r) : undefined;
}

export async function requireSurvey(store: AppStore, surveyId: string): Promise<StoredSurvey> {
  const s = await getSurvey(store, surveyId);
  if (!s) throw new AppError('not_found', `No survey with id ${surveyId}`, { field: 'survey' });
  return s;
}

/** The latest version of every survey, by id. */
export async function listSurveys(store: AppStore): Promise<StoredSurvey[]> {
  const rows = await store.db
    .selectFrom('surveys as s')
    .selectAll('s')
    .where(({ eb, selectFrom }) =>
      eb(
        's.version',
        '=',
        selectFrom('surveys as l')
          .select(({ fn }) => fn.max('l.version').as('v'))
          .whereRef('l.survey_id', '=', 's.survey_id'),
      ),
    )
    .orderBy('s.survey_id')
    .execute();
  return rows.map(toStored);
}

/** Checks a list of triggers for one survey; errors name the field as `<prefix><index>.<field>`. */
export function parseTriggers(
  surveyId: string,
  input: unknown,
  loc: { file?: string; prefix?: string } = {},
): Trigger[] {
  const prefix = loc.prefix ?? '';
  if (!Array.isArray(input))
    throw inputError('expected a JSON array of triggers', {
      ...(loc.file ? { file: loc.file } : {}),
      field: prefix.replace(/\.$/, '') || 'body',
    });
  return input.map((t, i) => {
    const r = TriggerSchema.safeParse({ ...(t as object), surveyId });
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw inputError(issue.message, {
        ...(loc.file ? { file: loc.file } : {}),
        field: `${prefix}${i}.${issue.path.join('.')}`,
      });
    }
    return r.data;
  });
}

/** Replaces the triggers of one survey (the designer edits them as a list). */
export async function setTriggers(
  store: AppStore,
  surveyId: string,
  input: unknown,
  now: Date,
): Promise<Trigger[]> {
  const triggers = parseTriggers(surveyId, input);
  await requireSurvey(store, surveyId);
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('survey_triggers').where('survey_id', '=', surveyId).execute();
    for (const t of triggers)
      await tx
        .insertInto('survey_triggers')
        .values({
          trigger_id: `trg_${randomBytes(6).toString('hex')}`,
          survey_id: surveyId,
          definition_json: JSON.stringify(t),
          updated_at: now.toISOString(),
        })
        .execute();
  });
  return triggers;
}

export async function listTriggers(store: AppStore, surveyId?: string): Promise<Trigger[]> {
  let q = store.db.selectFrom('survey_triggers').select('definition_json').orderBy('trigger_id');
  if (surveyId) q = q.where('survey_id', '=', surveyId);
  return (await q.execute()).map((r) => TriggerSchema.parse(JSON.parse(r.definition_json)));
}

export interface Invitation {
  invitationId: string;
  surveyId: string;
  customerId: string;
  caseId: string | null;
  eventId: string | null;
  journey: string | null;
  touchpoint: string | null;
  channel: string | null;
  invitedAt: Date;
  expiresAt: Date;
}

export const newInvitationId = () => `inv_${randomBytes(9).toString('base64url')}`;

/** Stores invitations; one per (survey, event) — a repeated run does not invite twice for one event. */
export async function insertInvitations(
  store: AppStore,
  invitations: readonly Invitation[],
): Promise<number> {
  let n = 0;
  await store.db.transaction().execute(async (tx) => {
    for (const i of invitations) {
      const r = await tx
        .insertInto('survey_invitations')
        .values({
          invitation_id: i.invitationId,
          survey_id: i.surveyId,
          customer_id: i.customerId,
          case_id: i.caseId,
          event_id: i.eventId,
          journey: i.journey,
          touchpoint: i.touchpoint,
          channel: i.channel,
          invited_at: i.invitedAt.toISOString(),
          expires_at: i.expiresAt.toISOString(),
          responded_at: null,
          response_id: null,
        })
        .onConflict((oc) => oc.columns(['survey_id', 'event_id']).doNothing())
        .executeTakeFirst();
      n += Number(r.numInsertedOrUpdatedRows ?? 0n);
    }
  });
  return n;
}

/** Each customer's latest invitation to any survey (the fatigue rule spans all surveys). */
export async function lastInvitations(
  store: AppStore,
  customerIds: readonly string[],
): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  // Chunked: SQLite limits the number of bound parameters.
  for (let i = 0; i < customerIds.length; i += 500) {
    const chunk = customerIds.slice(i, i + 500);
    const rows = await store.db
      .selectFrom('survey_invitations')
      .select(({ fn }) => ['customer_id', fn.max('invited_at').as('last')])
      .where('customer_id', 'in', chunk)
      .groupBy('customer_id')
      .execute();
    for (const r of rows) out.set(r.customer_id, new Date(r.last as string));
  }
  return out;
}

export async function markResponded(
  store: AppStore,
  invitationId: string,
  responseId: string,
  now: Date,
): Promise<void> {
  await store.db
    .updateTable('survey_invitations')
    .set({ responded_at: now.toISOString(), response_id: responseId })
    .where('invitation_id', '=', invitationId)
    .execute();
}

export async function listInvitations(store: AppStore, surveyId: string, limit = 100) {
  return store.db
    .selectFrom('survey_invitations')
    .selectAll()
    .where('survey_id', '=', surveyId)
    .orderBy('invited_at', 'desc')
    .limit(limit)
    .execute();
}

export async function getState(store: AppStore, key: string): Promise<string | undefined> {
  const r = await store.db
    .selectFrom('survey_state')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return r?.value;
}

export async function setState(store: AppStore, key: string, value: string, now: Date): Promise<void> {
  await store.db
    .insertInto('survey_state')
    .values({ key, value, updated_at: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now.toISOString() }))
    .execute();
}
