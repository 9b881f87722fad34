import { inputError, ThemesQuerySchema, text } from '@cx/core';
import { z } from 'zod';
import { commentClusters } from '../../text/comment-clusters.ts';
import {
  activateModel,
  addLabels,
  deactivateModel,
  getModelInfo,
  labelCounts,
  listModels,
  loadModel,
  MODEL_TARGETS,
  TASK_RE,
} from '../../text/model-store.ts';
import { getTaxonomy, listTaxonomyVersions, saveTaxonomy } from '../../text/taxonomy-store.ts';
import { failInterruptedTrainings, startTraining } from '../../text/train-jobs.ts';
import type { RouteRegistrar } from '../app.ts';
import { readJsonBody } from './batch.ts';
import { scopeAndPeriod } from './scope-query.ts';

/**
 * Text analytics administration (issue 5 §3, §5): the versioned theme taxonomy, labelled comments,
 * training and applying the classifier, and automatic clusters of the comments in the warehouse.
 */
const Task = z.string().regex(TASK_RE, 'letters, digits, "_", ":", "." or "-", at most 64');

const TaxonomyResponse = z.object({
  version: z.number().int(),
  themes: z.array(text.ThemeSchema),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  stored: z.boolean().describe('false while the built-in default has never been edited'),
});
const TaxonomyPut = z
  .object({
    version: z.number().int().optional().describe('Ignored: the server assigns the next version'),
    themes: z.array(z.unknown()),
  })
  .describe('A whole taxonomy; validated and stored as the next version');

const LabelsBody = z
  .object({
    task: Task.describe('What is labelled, e.g. "sentiment" or "theme:billing"'),
    items: z
      .array(
        z.object({
          text: z.string().min(1).max(20_000),
          label: z.string().min(1).max(100),
          responseId: z.string().optional(),
        }),
      )
      .min(1)
      .max(50_000),
    source: z.enum(['cockpit', 'csv', 'api']).default('api'),
  })
  .strict();

const ClassMetrics = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});
const Target = z.enum(MODEL_TARGETS as ['sentiment', 'theme']);
const ModelInfo = z.object({
  modelId: z.string(),
  task: z.string(),
  status: z
    .enum(['training', 'ready', 'failed'])
    .describe('Training runs in the background: poll until ready (or failed, see error)'),
  error: z.string().nullable().describe('Why the training failed'),
  active: Target.nullable().describe('The ingest target this model is applied to, if active'),
  createdAt: z.string(),
  createdBy: z.string(),
  nExamples: z.number(),
  labels: z.array(z.string()).describe('Empty until ready'),
  metrics: z
    .object({
      k: z.number(),
      accuracy: z.number().describe('k-fold cross-validated accuracy, 0..1'),
      macroF1: z.number().describe('k-fold cross-validated macro-F1, 0..1'),
      perClass: z.record(z.string(), ClassMetrics),
      foldAccuracy: z.array(z.number()),
      trainSeconds: z.number(),
    })
    .nullable()
    .describe('Null until ready'),
});
const ActivateBody = z
  .object({
    target: Target.optional().describe(
      'Must be the model\'s own target: task "sentiment" → sentiment, task "theme" → theme',
    ),
  })
  .strict();
const TrainBody = z
  .object({
    task: Task,
    k: z.number().int().min(2).max(10).default(5).describe('Folds of the cross-validation'),
    C: z.number().positive().max(1000).optional().describe('Inverse L2 strength (default 10)'),
    classWeight: z.enum(['none', 'balanced']).optional(),
  })
  .strict();
const ClassifyBody = z
  .object({
    texts: z.array(z.string().max(20_000)).min(1).max(10_000),
    modelId: z.string().optional(),
    task: Task.optional().describe('Use the newest model of this task when no modelId is given'),
  })
  .strict();
const ClassifyResponse = z.object({
  modelId: z.string(),
  task: z.string(),
  results: z.array(z.object({ label: z.string(), confidence: z.number() })),
});

const ClustersQuery = ThemesQuerySchema.extend({
  k: z.coerce.number().int().min(2).max(40).optional().describe('Number of clusters (automatic if absent)'),
  limit: z.coerce.number().int().min(10).max(50_000).default(20_000).describe('Newest comments clustered'),
});
const ClustersResponse = z.object({
  period: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  comments: z.number(),
  truncated: z.boolean(),
  k: z.number(),
  unclustered: z.number(),
  clusters: z.array(
    z.object({
      id: z.number(),
      label: z.string(),
      size: z.number(),
      share: z.number(),
      terms: z.array(z.object({ term: z.string(), weight: z.number() })),
      examples: z.array(z.object({ responseId: z.string(), text: z.string(), similarity: z.number() })),
      trend: z
        .object({ previousShare: z.number(), changePoints: z.number(), p: z.number(), emerging: z.boolean() })
        .nullable()
        .describe('Against the previous period of the same length; BH-adjusted p'),
    }),
  ),
});

export const registerTextRoutes: RouteRegistrar = (app, deps, api) => {
  const tags = ['text'];
  // The operator's body cap (CX_MAX_BODY_BYTES, 5 MiB by default) holds here too: label in batches.
  const limit = deps.config.maxBodyBytes;
  const actor = 'api';

  api.add({
    method: 'get',
    path: '/api/text/taxonomy',
    summary: 'The theme taxonomy: the latest version, or ?version=N',
    tags,
    query: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: TaxonomyResponse,
  });
  app.get('/api/text/taxonomy', async (c) => {
    const q = z
      .object({ version: z.coerce.number().int().min(1).optional() })
      .strict()
      .parse(c.req.query());
    const t = await getTaxonomy(deps.appStore, q.version);
    return c.json({ ...t.taxonomy, createdAt: t.createdAt, createdBy: t.createdBy, stored: t.stored });
  });

  api.add({
    method: 'get',
    path: '/api/text/taxonomy/versions',
    summary: 'Every version of the taxonomy',
    tags,
    response: z.array(
      z.object({
        version: z.number(),
        createdAt: z.string().nullable(),
        createdBy: z.string().nullable(),
        themes: z.number(),
      }),
    ),
  });
  app.get('/api/text/taxonomy/versions', async (c) => c.json(await listTaxonomyVersions(deps.appStore)));

  api.add({
    method: 'put',
    path: '/api/text/taxonomy',
    summary: 'Replace the taxonomy: validated, stored as the next version (earlier versions stay)',
    tags,
    body: TaxonomyPut,
    response: TaxonomyResponse,
  });
  app.put('/api/text/taxonomy', async (c) => {
    const body = await readJsonBody(c, limit);
    const t = await saveTaxonomy(deps.appStore, body, { actor, now: deps.clock.now() });
    return c.json({ ...t.taxonomy, createdAt: t.createdAt, createdBy: t.createdBy, stored: t.stored });
  });

  api.add({
    method: 'post',
    path: '/api/text/labels',
    summary: 'Label comments for a task (labelling a text again replaces its label)',
    tags,
    body: LabelsBody,
    response: z.object({ task: z.string(), added: z.number(), replaced: z.number(), total: z.number() }),
  });
  app.post('/api/text/labels', async (c) => {
    const body = LabelsBody.parse(await readJsonBody(c, limit));
    const r = await addLabels(deps.appStore, body.task, body.items, {
      actor,
      now: deps.clock.now(),
      source: body.source,
    });
    return c.json({ task: body.task, ...r });
  });

  api.add({
    method: 'get',
    path: '/api/text/labels',
    summary: 'Number of labelled comments per task and label',
    tags,
    query: z.object({ task: Task.optional() }),
    response: z.array(z.object({ task: z.string(), label: z.string(), n: z.number() })),
  });
  app.get('/api/text/labels', async (c) => {
    const q = z.object({ task: Task.optional() }).strict().parse(c.req.query());
    return c.json(await labelCounts(deps.appStore, q.task));
  });

  api.add({
    method: 'post',
    path: '/api/text/models',
    summary:
      'Start training a classifier on the stored labels of a task (202 at once; a background job ' +
      'computes k-fold accuracy and macro-F1 — poll GET /api/text/models/{id})',
    tags,
    body: TrainBody,
    response: z.object({ modelId: z.string(), task: z.string(), status: z.literal('training') }),
  });
  app.post('/api/text/models', async (c) => {
    const body = TrainBody.parse(await readJsonBody(c, limit));
    const options: Partial<text.ClassifierOptions> = {};
    if (body.C !== undefined) options.C = body.C;
    if (body.classWeight !== undefined) options.classWeight = body.classWeight;
    const { info, done } = await startTraining(
      deps.appStore,
      body.task,
      { k: body.k, options },
      { actor, now: () => deps.clock.now() },
    );
    // The outcome is stored on the model row (ready or failed with its reason); nobody awaits it here.
    done.catch(() => undefined);
    return c.json({ modelId: info.modelId, task: info.task, status: 'training' as const }, 202);
  });

  api.add({
    method: 'get',
    path: '/api/text/models/:id',
    summary: 'One model: its training status, and its cross-validated metrics once ready',
    tags,
    response: ModelInfo,
  });
  app.get('/api/text/models/:id', async (c) => {
    await failInterruptedTrainings(deps.appStore);
    return c.json(await getModelInfo(deps.appStore, c.req.param('id')));
  });

  api.add({
    method: 'put',
    path: '/api/text/models/:id/active',
    summary:
      'Apply this model to new comments at ingest (replaces the active model of its target: ' +
      'sentiment or theme)',
    tags,
    body: ActivateBody,
    response: ModelInfo,
  });
  app.put('/api/text/models/:id/active', async (c) => {
    // The body is optional (`{}` or nothing activates for the model's own target).
    const raw = await c.req.text();
    if (raw.length > 10_000) throw inputError('the body is too large', { field: 'body' });
    let parsed: unknown = {};
    if (raw.trim()) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw inputError('the body is not JSON', { field: 'body' });
      }
    }
    const body = ActivateBody.parse(parsed);
    return c.json(
      await activateModel(deps.appStore, c.req.param('id'), body.target, { actor, now: deps.clock.now() }),
    );
  });

  api.add({
    method: 'delete',
    path: '/api/text/models/:id/active',
    summary: 'Stop applying this model at ingest (the lexicon / taxonomy alone are used again)',
    tags,
    response: ModelInfo,
  });
  app.delete('/api/text/models/:id/active', async (c) =>
    c.json(await deactivateModel(deps.appStore, c.req.param('id'), { actor, now: deps.clock.now() })),
  );

  api.add({
    method: 'get',
    path: '/api/text/models',
    summary: 'Models (newest first): status training | ready | failed, cross-validated metrics when ready',
    tags,
    query: z.object({ task: Task.optional() }),
    response: z.array(ModelInfo),
  });
  app.get('/api/text/models', async (c) => {
    const q = z.object({ task: Task.optional() }).strict().parse(c.req.query());
    await failInterruptedTrainings(deps.appStore);
    return c.json(await listModels(deps.appStore, q.task));
  });

  api.add({
    method: 'post',
    path: '/api/text/classify',
    summary: 'Apply a trained model (by id, or the newest of a task) to comments',
    tags,
    body: ClassifyBody,
    response: ClassifyResponse,
  });
  app.post('/api/text/classify', async (c) => {
    const body = ClassifyBody.parse(await readJsonBody(c, limit));
    if (body.modelId === undefined && body.task === undefined)
      throw inputError('give a modelId or a task', { field: 'modelId' });
    const { info, model } = await loadModel(deps.appStore, body);
    const results = body.texts.map((t) => {
      const p = text.classify(model, t);
      return { label: p.label, confidence: p.confidence };
    });
    return c.json({ modelId: info.modelId, task: info.task, results });
  });

  api.add({
    method: 'get',
    path: '/api/text/themes/clusters',
    summary: 'Automatic themes: clusters of the comments in period and scope, labelled, with trend',
    tags,
    query: ClustersQuery,
    response: ClustersResponse,
  });
  app.get('/api/text/themes/clusters', async (c) => {
    const q = ClustersQuery.parse(c.req.query());
    const { scope, period } = scopeAndPeriod(q);
    const r = await commentClusters(deps.warehouse, scope, period, {
      limit: q.limit,
      ...(q.k === undefined ? {} : { k: q.k }),
    });
    return c.json(r);
  });
};
