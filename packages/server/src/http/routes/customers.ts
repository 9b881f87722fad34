import {
  CustomerFileQuerySchema,
  CustomerFileResponseSchema,
  CustomerSearchQuerySchema,
  CustomerSearchSchema,
  CustomerSummaryRequestSchema,
  CustomerSummarySchema,
  inputError,
} from '@cx/core';
import { summarizeFile } from '../../llm/summarize.ts';
import { customerFile } from '../../queries/customers/customer-file.ts';
import { searchCustomers } from '../../queries/customers/search.ts';
import type { RouteRegistrar } from '../app.ts';
import { scopeOf } from './scope-query.ts';

/**
 * Customer 360 (issue 6 §4): search by any id, the customer file (identities, timeline, responses,
 * outcomes, follow-up cases, scores) with its extractive summary, and an on-demand summary that an
 * OpenAI-compatible LLM may write from the PII-redacted file.
 */
const idOf = (raw: string) => {
  const id = raw.trim();
  if (!id || id.length > 200) throw inputError('customer id must be 1–200 characters', { field: 'id' });
  return id;
};

async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw inputError('the request body is not valid JSON', { field: 'body' });
  }
}

export const registerCustomerRoutes: RouteRegistrar = (app, deps, api) => {
  api.add({
    method: 'get',
    path: '/api/customers',
    summary:
      'Search customers by customer id or any external id (CRM, billing, web cookie …; exact or prefix), segment and region; paginated, exact matches first',
    tags: ['customers'],
    query: CustomerSearchQuerySchema,
    response: CustomerSearchSchema,
  });
  app.get('/api/customers', async (c) => {
    const q = CustomerSearchQuerySchema.parse(c.req.query());
    const result = await searchCustomers(
      deps.warehouse,
      { q: q.q, segment: q.segment, region: q.region, limit: q.limit, offset: q.offset },
      scopeOf(q),
    );
    return c.json(CustomerSearchSchema.parse(result));
  });

  api.add({
    method: 'get',
    path: '/api/customers/:id',
    summary:
      'The customer file: customer row, identities across systems, timeline of every event grouped into journey instances with waits, survey responses, monthly outcomes, follow-up cases, churn and cross-sell scores with reasons, and the extractive summary. 404 outside the data scope.',
    tags: ['customers'],
    query: CustomerFileQuerySchema,
    response: CustomerFileResponseSchema,
  });
  app.get('/api/customers/:id', async (c) => {
    const q = CustomerFileQuerySchema.parse(c.req.query());
    const file = await customerFile(
      deps.warehouse,
      deps.appStore,
      idOf(c.req.param('id')),
      scopeOf(q),
      deps.clock.now(),
    );
    const summary = await summarizeFile(file, { useLlm: false });
    return c.json(
      CustomerFileResponseSchema.parse({
        ...file,
        summary,
        llm: { configured: !!deps.llm, model: deps.llm?.model ?? null },
      }),
    );
  });

  api.add({
    method: 'post',
    path: '/api/customers/:id/summary',
    summary:
      'Summary of the customer file: extractive and offline by default; with {"llm": true} and CX_LLM_URL configured, written by the LLM from the PII-redacted file, falling back to extractive with a note on any error or timeout',
    tags: ['customers'],
    query: CustomerFileQuerySchema,
    body: CustomerSummaryRequestSchema,
    response: CustomerSummarySchema,
  });
  app.post('/api/customers/:id/summary', async (c) => {
    const q = CustomerFileQuerySchema.parse(c.req.query());
    const body = CustomerSummaryRequestSchema.parse(await readJson(c.req.raw));
    const file = await customerFile(
      deps.warehouse,
      deps.appStore,
      idOf(c.req.param('id')),
      scopeOf(q),
      deps.clock.now(),
    );
    const summary = await summarizeFile(file, { llm: deps.llm, useLlm: body.llm === true });
    if (summary.note) deps.logger.warn(summary.note);
    return c.json(CustomerSummarySchema.parse(summary));
  });
};
