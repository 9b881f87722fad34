import { mkdirSync, readFileSync } from 'node:fs';
import { inputError, SurveyDefinitionSchema } from '@cx/core';
import type { Command } from 'commander';
import { ZodError } from 'zod';
import { audit } from '../../app-store/audit.ts';
import type { AppStore } from '../../app-store/port.ts';
import { openSqliteAppStore } from '../../app-store/sqlite.ts';
import { loadConfig } from '../../config.ts';
import { seedDemoSurveys } from '../../surveys/demo-surveys.ts';
import {
  listSurveys,
  listTriggers,
  parseTriggers,
  requireSurvey,
  saveSurvey,
  setTriggers,
} from '../../surveys/survey-store.ts';
import { createPersonalLink, runTriggers } from '../../surveys/triggers.ts';
import { output, withStores } from '../context.ts';

/**
 * `cxc surveys …`: survey definitions as JSON files (import/export), personal links, and the
 * trigger run. Everything but `trigger` opens only the app store, so it works while `cxc serve`
 * holds the warehouse; `trigger` reads new events from the warehouse (schedule it, e.g. every
 * minute, when the server is not running it itself).
 */
async function withAppStore<T>(fn: (store: AppStore) => Promise<T>): Promise<T> {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openSqliteAppStore(config.appStorePath);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A zod failure in a JSON file, as an error naming the file and the field. */
function fileError(file: string, e: unknown): never {
  if (e instanceof ZodError) {
    const i = e.issues[0]!;
    throw inputError(i.message, { file, field: i.path.join('.') || 'body' });
  }
  throw e;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw inputError(`cannot read the file: ${(e as Error).message}`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw inputError(`not valid JSON: ${(e as Error).message}`, { file });
  }
}

export function registerSurveys(program: Command): void {
  const surveys = program
    .command('surveys')
    .description('Surveys: definitions (JSON), triggers, personal links');

  surveys
    .command('list')
    .description('List surveys with their version and triggers')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withAppStore(async (store) => {
        const all = await listSurveys(store);
        const triggers = await listTriggers(store);
        const rows = all.map((s) => ({
          id: s.definition.id,
          title: s.definition.title,
          version: s.version,
          questions: s.definition.questions.length,
          triggers: triggers.filter((t) => t.surveyId === s.definition.id),
        }));
        output(Boolean(opts.json), rows, () =>
          rows.length === 0
            ? 'no surveys (import one with `cxc surveys import <file.json>` or `cxc surveys demo`)'
            : rows
                .map(
                  (r) =>
                    `${r.id.padEnd(28)} v${r.version}  ${String(r.questions).padStart(2)} questions  ${r.triggers
                      .map((t) => `after ${t.activity} (${t.sampleRate * 100} %, quiet ${t.quietDays} d)`)
                      .join('; ')}  ${r.title}`,
                )
                .join('\n'),
        );
      });
    });

  surveys
    .command('export <id>')
    .description('Print a survey definition and its triggers as JSON')
    .action(async (id: string) => {
      await withAppStore(async (store) => {
        const s = await requireSurvey(store, id);
        const triggers = (await listTriggers(store, id)).map(({ surveyId: _, ...t }) => t);
        output(true, { ...s.definition, triggers }, () => '');
      });
    });

  surveys
    .command('import <file>')
    .description(
      'Create or update a survey from a JSON file (optional "triggers": [...] replaces its triggers)',
    )
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const body = readJson(file);
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw inputError('expected one JSON object (a survey definition)', { file });
      const { triggers, ...definition } = body as Record<string, unknown>;
      await withAppStore(async (store) => {
        const now = new Date();
        // Everything is checked before anything is saved: a bad file changes nothing.
        const checked = SurveyDefinitionSchema.safeParse(definition);
        if (!checked.success) fileError(file, checked.error);
        if (triggers !== undefined) parseTriggers(checked.data.id, triggers, { file, prefix: 'triggers.' });
        const saved = await saveSurvey(store, checked.data, now);
        if (triggers !== undefined) await setTriggers(store, saved.definition.id, triggers, now);
        await audit(store, {
          at: now,
          actor: 'cli',
          action: 'survey.save',
          target: saved.definition.id,
          details: { version: saved.version, file },
        });
        output(
          Boolean(opts.json),
          { id: saved.definition.id, version: saved.version, changed: saved.changed },
          () =>
            saved.changed
              ? `saved ${saved.definition.id} as version ${saved.version}`
              : `${saved.definition.id} is unchanged (version ${saved.version})`,
        );
      });
    });

  surveys
    .command('demo')
    .description('Add the demo surveys (NPS after support, CSAT after onboarding) and their triggers')
    .action(async () => {
      await withAppStore(async (store) => {
        const ids = await seedDemoSurveys(store);
        output(false, ids, () => `demo surveys: ${ids.join(', ')}`);
      });
    });

  surveys
    .command('link <id>')
    .description('Create a personal signed link for one customer')
    .requiredOption('--customer <id>', 'customer id')
    .option('--case <id>', 'case (journey instance) the answer is about')
    .option('--journey <name>', 'journey')
    .option('--touchpoint <name>', 'touchpoint')
    .option('--channel <name>', 'channel')
    .option('--days <n>', 'days the link stays valid', '14')
    .option('--base-url <url>', 'where the cockpit is reachable', 'http://localhost:3000')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        opts: {
          customer: string;
          case?: string;
          journey?: string;
          touchpoint?: string;
          channel?: string;
          days: string;
          baseUrl: string;
          json?: boolean;
        },
      ) => {
        const days = Number(opts.days);
        if (!Number.isInteger(days) || days < 1 || days > 365)
          throw inputError('must be a whole number of days from 1 to 365', { field: '--days' });
        await withAppStore(async (store) => {
          await requireSurvey(store, id);
          const link = await createPersonalLink(
            store,
            {
              surveyId: id,
              customerId: opts.customer,
              caseId: opts.case ?? null,
              journey: opts.journey ?? null,
              touchpoint: opts.touchpoint ?? null,
              channel: opts.channel ?? null,
              expiresInDays: days,
              baseUrl: opts.baseUrl,
            },
            new Date(),
          );
          output(Boolean(opts.json), link, () => `${link.link}\n(valid until ${link.expiresAt})`);
        });
      },
    );

  surveys
    .command('trigger')
    .description(
      'Invite customers after trigger events loaded since the last run (sampling, quiet period across all surveys); prints the personal links',
    )
    .option('--since <iso>', 'scan loads finished after this instant instead of the last run')
    .option('--max-age-days <n>', 'ignore events older than this', '7')
    .option('--base-url <url>', 'where the cockpit is reachable', 'http://localhost:3000')
    .option('--json', 'print JSON')
    .action(async (opts: { since?: string; maxAgeDays: string; baseUrl: string; json?: boolean }) => {
      const since = opts.since ? new Date(opts.since) : undefined;
      if (since && Number.isNaN(since.getTime()))
        throw inputError('expected an ISO 8601 instant, e.g. 2024-05-01T00:00:00Z', { field: '--since' });
      const maxAgeDays = Number(opts.maxAgeDays);
      if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0)
        throw inputError('must be a positive number', { field: '--max-age-days' });
      await withStores(async (stores) => {
        const r = await runTriggers(stores, {
          now: new Date(),
          ...(since ? { since } : {}),
          maxEventAgeDays: maxAgeDays,
          baseUrl: opts.baseUrl,
        });
        output(Boolean(opts.json), r, () =>
          [
            `scanned loads finished ${r.since} … ${r.until}: ${r.candidates} trigger events, ${r.invited} invitations`,
            ...Object.entries(r.skipped).map(([k, n]) => `  skipped (${k}): ${n}`),
            ...r.invitations.map((i) => `${i.customerId}\t${i.surveyId}\t${i.link}`),
          ].join('\n'),
        );
      });
    });
}
