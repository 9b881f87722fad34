import { randomBytes } from 'node:crypto';
import {
  AppError,
  type FieldError,
  inputError,
  localise,
  PersonalLinkRequestSchema,
  PersonalLinkSchema,
  responseError,
  SURVEY_LANGUAGES,
  type SurveyDefinition,
  SurveyDefinitionSchema,
  SurveyDetailSchema,
  SurveyListSchema,
  SurveySubmissionResultSchema,
  SurveySubmissionSchema,
  TriggerSchema,
  validateResponse,
} from '@cx/core';
import type { Context } from 'hono';
import { z } from 'zod';
import { audit } from '../../app-store/audit.ts';
import { surveyCommentEnricher, surveyTextRedactor } from '../../surveys/enrich.ts';
import { embedScript, renderMessage, renderSurveyPage, renderThankYou } from '../../surveys/page.ts';
import { storeResponse } from '../../surveys/responses.ts';
import {
  getSurvey,
  listSurveys,
  listTriggers,
  requireSurvey,
  type StoredSurvey,
  saveSurvey,
  setTriggers,
} from '../../surveys/survey-store.ts';
import { type LinkClaims, linkSecret, verifyLink } from '../../surveys/tokens.ts';
import { createPersonalLink } from '../../surveys/triggers.ts';
import { currentTextAnalysis } from '../../text/current-analysis.ts';
import type { RouteRegistrar } from '../app.ts';
import { STATUS, toAppError } from '../errors.ts';

/** A survey answer is small; 256 KiB leaves room for a 100 kB comment to be refused with a clear message. */
export const SURVEY_BODY_LIMIT = 256 * 1024;

/**
 * Hosted surveys and the survey designer's API.
 * - `GET /s/:survey[?t=<token>][&lang=de][&preview=1][&embed=1]`: the survey page (HTML).
 * - `POST /s/:survey`: a form post (works without JavaScript) → thank-you page, or the same page
 *   with the problems listed; or JSON `{t, lang, answers}` → `{responseId, replaced}`.
 * - `GET /s/:survey/embed.js`: the snippet that shows the survey in an iframe on another site.
 * - `/api/surveys…`: list, read, save (versioned), triggers, personal links, live preview.
 * The cockpit API has no user authentication yet (like /api/overview); the hosted pages are public
 * by design and accept answers only through a signed personal link unless a survey allows anonymous
 * answers.
 */
export const registerSurveyRoutes: RouteRegistrar = (app, deps, api) => {
  const now = () => deps.clock.now();

  // --- hosted page ---------------------------------------------------------------------------

  api.add({
    method: 'get',
    path: '/s/:survey',
    summary:
      'The hosted survey page (HTML). Query: t = personal signed token, lang = en|de|fr, preview = 1 (no answers taken), embed = 1',
    tags: ['surveys'],
    auth: 'none',
  });
  api.add({
    method: 'get',
    path: '/s/:survey/embed.js',
    summary:
      'Embed snippet (JavaScript): <script src=".../s/<survey>/embed.js" data-token="…" data-lang="de"> shows the survey in an iframe',
    tags: ['surveys'],
    auth: 'none',
  });
  app.get('/s/:survey/embed.js', async (c) => {
    const survey = await getSurvey(deps.appStore, c.req.param('survey'));
    if (!survey) throw new AppError('not_found', `No survey with id ${c.req.param('survey')}`);
    return c.body(embedScript(survey.definition.id), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
    });
  });

  app.get('/s/:survey', async (c) => {
    const nonce = randomBytes(12).toString('base64');
    const survey = await getSurvey(deps.appStore, c.req.param('survey'));
    if (!survey)
      return htmlError(c, 'not_found', 'Survey not found', 'This survey does not exist (any more).');
    const lang = pickLanguage(survey.definition, c.req.query('lang'), c.req.header('accept-language'));
    const def = localise(survey.definition, lang);
    const preview = c.req.query('preview') === '1';
    const token = c.req.query('t');
    if (!preview) {
      const denied = await checkAccess(survey, token);
      if (denied) return denied;
    }
    return html(
      c,
      200,
      renderSurveyPage(def, {
        lang,
        action: `/s/${encodeURIComponent(def.id)}`,
        ...(token && !preview ? { token } : {}),
        nonce,
        mode: preview ? 'preview' : 'live',
      }),
      nonce,
    );

    async function checkAccess(s: StoredSurvey, t: string | undefined): Promise<Response | null> {
      if (!t) {
        if (s.definition.allowAnonymous) return null;
        return htmlError(
          c,
          'forbidden',
          def.title,
          'This survey is answered through the personal link you received; please open that link.',
          lang,
        );
      }
      try {
        verifyLink(await linkSecret(deps.appStore, now()), t, now(), s.definition.id);
        return null;
      } catch (e) {
        const err = toAppError(e);
        return htmlError(c, err.code, def.title, err.message, lang);
      }
    }
  });

  app.post('/s/:survey', async (c) => {
    const json = (c.req.header('content-type') ?? '').toLowerCase().includes('application/json');
    const survey = await getSurvey(deps.appStore, c.req.param('survey'));
    if (!survey) {
      const e = new AppError('not_found', `No survey with id ${c.req.param('survey')}`, { field: 'survey' });
      if (json) throw e;
      return htmlError(c, 'not_found', 'Survey not found', 'This survey does not exist (any more).');
    }
    let answers: Record<string, unknown>;
    let token: string | undefined;
    let langField: string | undefined;
    try {
      const bytes = await readLimitedBody(c, SURVEY_BODY_LIMIT);
      if (json) {
        let body: unknown;
        try {
          body = JSON.parse(new TextDecoder().decode(bytes));
        } catch (e) {
          throw inputError(`The body is not valid JSON: ${(e as Error).message}`, { field: 'body' });
        }
        const sub = SurveySubmissionSchema.parse(body);
        answers = sub.answers;
        token = sub.t;
        langField = sub.lang;
      } else {
        const form = await parseForm(c.req.header('content-type') ?? '', bytes);
        answers = form;
        token = form.t || undefined;
        langField = form.lang;
      }
    } catch (e) {
      if (json) throw e;
      const err = toAppError(e);
      return htmlError(c, err.code, survey.definition.title, err.message);
    }
    const lang = pickLanguage(survey.definition, langField, c.req.header('accept-language'));
    const def = localise(survey.definition, lang);
    const at = now();
    let claims: LinkClaims | null = null;
    try {
      if (token) claims = verifyLink(await linkSecret(deps.appStore, at), token, at, survey.definition.id);
      else if (!survey.definition.allowAnonymous)
        throw new AppError(
          'forbidden',
          'This survey is answered through a personal link (parameter t is missing)',
          { field: 't' },
        );
    } catch (e) {
      if (json) throw e;
      const err = toAppError(e);
      return htmlError(c, err.code, def.title, err.message, lang);
    }
    // Checked here too, so a refused form comes back with every problem marked (not just the first).
    const checked = validateResponse(survey.definition, answers);
    if (!checked.ok) {
      if (json) throw responseError(checked.errors);
      return refusedForm(c, def, lang, token, answers, checked.errors);
    }
    const stored = await storeResponse(deps, {
      survey,
      answers,
      claims,
      language: lang,
      enrich: surveyCommentEnricher(await currentTextAnalysis(deps.appStore)),
      redact: surveyTextRedactor,
      now: at,
    });
    if (json) return c.json({ responseId: stored.responseId, replaced: stored.replaced });
    const nonce = randomBytes(12).toString('base64');
    return html(c, 200, renderThankYou(def, lang, nonce), nonce);
  });
  api.add({
    method: 'post',
    path: '/s/:survey',
    summary:
      'Answer a survey: JSON {t, lang, answers} (or a form post from the hosted page). Scores out of range → 400 naming the question',
    tags: ['surveys'],
    body: SurveySubmissionSchema,
    response: SurveySubmissionResultSchema,
    auth: 'none',
  });

  function refusedForm(
    c: Context,
    def: SurveyDefinition,
    lang: string,
    token: string | undefined,
    answers: Record<string, unknown>,
    errors: FieldError[],
  ) {
    const nonce = randomBytes(12).toString('base64');
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(answers)) if (typeof v === 'string') values[k] = v;
    return html(
      c,
      400,
      renderSurveyPage(def, {
        lang,
        action: `/s/${encodeURIComponent(def.id)}`,
        ...(token ? { token } : {}),
        nonce,
        mode: 'live',
        values,
        errors,
      }),
      nonce,
    );
  }

  // --- designer API --------------------------------------------------------------------------

  api.add({
    method: 'get',
    path: '/api/surveys',
    summary: 'List surveys (latest version of each) with trigger and response counts',
    tags: ['surveys'],
    response: SurveyListSchema,
  });
  app.get('/api/surveys', async (c) => {
    const surveys = await listSurveys(deps.appStore);
    const triggers = await listTriggers(deps.appStore);
    const responses = await responseCounts(surveys.map((s) => s.definition.id));
    return c.json(
      SurveyListSchema.parse({
        surveys: surveys.map((s) => ({
          id: s.definition.id,
          title: s.definition.title,
          version: s.version,
          updatedAt: s.updatedAt,
          questions: s.definition.questions.length,
          allowAnonymous: s.definition.allowAnonymous,
          triggers: triggers.filter((t) => t.surveyId === s.definition.id).length,
          responses: responses.get(s.definition.id) ?? 0,
        })),
      }),
    );
  });

  api.add({
    method: 'post',
    path: '/api/surveys/preview',
    summary: 'Render a survey definition (saved or not) as the hosted page would, for a live preview (HTML)',
    tags: ['surveys'],
    body: SurveyDefinitionSchema,
  });
  app.post('/api/surveys/preview', async (c) => {
    const def = SurveyDefinitionSchema.parse(await c.req.json().catch(() => badJson()));
    const lang = pickLanguage(def, c.req.query('lang'), undefined);
    // No script: the preview is shown in a sandboxed frame; every follow-up is visible there.
    return c.html(
      renderSurveyPage(localise(def, lang), { lang, action: '#', nonce: '', mode: 'preview' }).replace(
        /<script nonce="">[\s\S]*<\/script>/,
        '',
      ),
    );
  });

  api.add({
    method: 'get',
    path: '/api/surveys/:id',
    summary: 'One survey: latest definition, version, triggers, response count',
    tags: ['surveys'],
    response: SurveyDetailSchema,
  });
  app.get('/api/surveys/:id', async (c) =>
    c.json(await detail(await requireSurvey(deps.appStore, c.req.param('id')))),
  );

  api.add({
    method: 'put',
    path: '/api/surveys/:id',
    summary: 'Create or change a survey (a changed definition becomes a new version)',
    tags: ['surveys'],
    body: SurveyDefinitionSchema,
    response: SurveyDetailSchema,
  });
  app.put('/api/surveys/:id', async (c) => {
    const body = (await c.req.json().catch(() => badJson())) as Record<string, unknown>;
    const id = c.req.param('id');
    if (body && typeof body === 'object' && body.id !== undefined && body.id !== id)
      throw inputError(`the id in the body (${String(body.id)}) differs from the URL (${id})`, {
        field: 'id',
      });
    const saved = await saveSurvey(deps.appStore, { ...body, id }, now());
    if (saved.changed)
      await audit(deps.appStore, {
        at: now(),
        actor: 'api',
        action: 'survey.save',
        target: id,
        details: { version: saved.version },
      });
    return c.json({ ...(await detail(saved)), changed: saved.changed });
  });

  const TriggersSchema = z.array(TriggerSchema.omit({ surveyId: true }));
  api.add({
    method: 'get',
    path: '/api/surveys/:id/triggers',
    summary: 'The triggers of a survey (activity, sampling, quiet period)',
    tags: ['surveys'],
    response: z.array(TriggerSchema),
  });
  app.get('/api/surveys/:id/triggers', async (c) => {
    await requireSurvey(deps.appStore, c.req.param('id'));
    return c.json(await listTriggers(deps.appStore, c.req.param('id')));
  });
  api.add({
    method: 'put',
    path: '/api/surveys/:id/triggers',
    summary: 'Replace the triggers of a survey',
    tags: ['surveys'],
    body: TriggersSchema,
    response: z.array(TriggerSchema),
  });
  app.put('/api/surveys/:id/triggers', async (c) => {
    const id = c.req.param('id');
    const triggers = await setTriggers(deps.appStore, id, await c.req.json().catch(() => badJson()), now());
    await audit(deps.appStore, {
      at: now(),
      actor: 'api',
      action: 'survey.triggers',
      target: id,
      details: { triggers: triggers.length },
    });
    return c.json(triggers);
  });

  api.add({
    method: 'post',
    path: '/api/surveys/:id/links',
    summary: 'Create a personal signed link for one customer (and case, journey, touchpoint)',
    tags: ['surveys'],
    body: PersonalLinkRequestSchema,
    response: PersonalLinkSchema,
  });
  app.post('/api/surveys/:id/links', async (c) => {
    const survey = await requireSurvey(deps.appStore, c.req.param('id'));
    const req = PersonalLinkRequestSchema.parse(await c.req.json().catch(() => badJson()));
    const link = await createPersonalLink(
      deps.appStore,
      { surveyId: survey.definition.id, ...req, baseUrl: new URL(c.req.url).origin },
      now(),
    );
    return c.json(PersonalLinkSchema.parse(link));
  });

  async function detail(s: StoredSurvey) {
    return SurveyDetailSchema.parse({
      definition: s.definition,
      version: s.version,
      updatedAt: s.updatedAt,
      triggers: await listTriggers(deps.appStore, s.definition.id),
      responses: (await responseCounts([s.definition.id])).get(s.definition.id) ?? 0,
      url: `/s/${s.definition.id}`,
    });
  }

  async function responseCounts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await deps.warehouse.all<{ survey_id: string; n: number }>(
      `select survey_id, count(*) as n from feedback where survey_id in (${ids.map(() => '?').join(', ')}) group by survey_id`,
      ids,
    );
    return new Map(rows.map((r) => [r.survey_id, r.n]));
  }
};

const badJson = (): never => {
  throw inputError('The body is not valid JSON', { field: 'body' });
};

/** `?lang=`, then the browser's Accept-Language, among the survey's languages; English otherwise. */
function pickLanguage(def: SurveyDefinition, asked: string | undefined, accept: string | undefined): string {
  const available = new Set<string>(['en', ...Object.keys(def.languages ?? {})]);
  const wanted = [asked, ...(accept ?? '').split(',').map((p) => p.split(';')[0])]
    .map((l) => l?.trim().slice(0, 2).toLowerCase())
    .filter((l): l is string => !!l && (SURVEY_LANGUAGES as readonly string[]).includes(l));
  return wanted.find((l) => available.has(l)) ?? 'en';
}

function html(c: Context, status: 200 | 400 | 403 | 404 | 413 | 500, body: string, nonce: string | null) {
  return c.body(body, status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The token is in the URL: never send it on as a referrer. No frame-ancestors: the page is made
    // to be embedded (embed.js) on any site, including pages without a network origin.
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; script-src ${nonce ? `'nonce-${nonce}'` : "'none'"}; form-action 'self'; base-uri 'none'`,
  });
}

function htmlError(c: Context, code: AppError['code'], title: string, message: string, lang = 'en') {
  const status = STATUS[code] as 400 | 403 | 404 | 413 | 500;
  return html(c, status, renderMessage(title, message, lang), null);
}

/** Reads at most `limit` bytes of the body (declared or streamed); more is refused with 413. */
async function readLimitedBody(c: Context, limit: number): Promise<Uint8Array> {
  const tooLarge = () =>
    new AppError('payload_too_large', `The answer is larger than ${limit} bytes`, { field: 'body', limit });
  const declared = Number(c.req.header('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const stream = c.req.raw.body;
  if (stream) {
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

/** URL-encoded or multipart form fields; repeated fields keep the last value. Bytes that are not UTF-8 become U+FFFD. */
async function parseForm(contentType: string, bytes: Uint8Array): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), {
        headers: { 'content-type': contentType },
      }).formData();
    } catch {
      throw inputError('The form data could not be read', { field: 'body' });
    }
    for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
    return out;
  }
  for (const [k, v] of new URLSearchParams(new TextDecoder().decode(bytes))) out[k] = v;
  return out;
}
