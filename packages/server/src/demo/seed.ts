import { AppError, demo, inputError, TABLE_KINDS, type TableKind, text } from '@cx/core';
import { startProgress } from '../cli/progress.ts';
import { enrichFeedbackLoad } from '../ingestion/enrich-feedback.ts';
import { newLoadId, recordLoad } from '../ingestion/loads.ts';
import { rebuildJourneyIndex } from '../queries/journeys/journey-index.ts';
import type { Warehouse, WarehouseSession } from '../warehouse/port.ts';

export interface SeedDemoOptions {
  customers: number;
  seed: number;
  /** Progress bar on stderr (shown only on a terminal or with CX_PROGRESS=1). */
  progress?: boolean;
  /** Remove earlier demo loads in the same transaction instead of refusing. */
  replace?: boolean;
}

export interface SeedDemoResult {
  loadId: string;
  counts: Record<string, number>;
  seconds: number;
}

/** Upper bound that keeps a mistyped --customers from filling the disk. */
export const MAX_DEMO_CUSTOMERS = 2_000_000;

/**
 * Generates the demo company (core's pure generator) and streams it into the warehouse with the bulk
 * appender, as one load of kind 'demo' in one transaction: it is stored completely or not at all, and
 * `cxc loads undo <id>` removes it. Daily service-level aggregates are derived in SQL afterwards.
 */
export async function seedDemo(warehouse: Warehouse, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const { customers, seed } = opts;
  if (!Number.isInteger(customers) || customers < 1 || customers > MAX_DEMO_CUSTOMERS) {
    throw inputError(
      `customers must be an integer from 1 to ${MAX_DEMO_CUSTOMERS.toLocaleString('en')}, got ${customers}`,
      {
        field: 'customers',
      },
    );
  }
  if (!Number.isSafeInteger(seed))
    throw inputError(`seed must be an integer, got ${seed}`, { field: 'seed' });
  const t0 = performance.now();
  const existing = await warehouse.all<{ load_id: string; options: string | null }>(
    `select load_id, options from loads where kind = 'demo' and status = 'done' order by started_at`,
  );
  if (existing.length > 0 && !opts.replace) {
    const prior = existing.map((l) => {
      const o = l.options ? (JSON.parse(l.options) as { seed?: number; customers?: number }) : {};
      return `${l.load_id} (seed ${o.seed ?? '?'}, ${o.customers ?? '?'} customers)`;
    });
    const same = existing.some(
      (l) => l.options && (JSON.parse(l.options) as { seed?: number }).seed === seed,
    );
    throw new AppError(
      'conflict',
      `The store already holds ${same ? `demo data for seed ${seed}` : 'demo data'}: load ${prior.join(', ')}. ` +
        'Run `cxc demo --replace` to replace it, `cxc loads undo <load id>` to remove it, or point CX_DATA_DIR at another directory.',
      { field: 'seed' },
    );
  }
  const startedAt = new Date();
  const loadId = newLoadId(startedAt);
  const counts = Object.fromEntries(TABLE_KINDS.map((t) => [t, 0])) as Record<TableKind, number>;
  const progress = opts.progress ? startProgress('demo company', customers, 'customers') : null;
  try {
    await warehouse.transaction(async (tx) => {
      for (const prior of existing) await removeLoad(tx, prior.load_id, startedAt);
      for (const batch of demo.generateDemo({ customers, seed, loadId, chunkSize: 1000 })) {
        for (const table of TABLE_KINDS) {
          const rows = batch.rows[table];
          if (rows.length > 0)
            counts[table] += await tx.append(table, [...demo.DEMO_COLUMNS[table], 'load_id'], rows);
        }
        progress?.update(batch.customersDone);
      }
      counts.measurements += await dailyAggregates(tx, loadId);
      // The demo's comments go through the same enrichment as any imported comment (redaction,
      // language, sentiment, themes), so the cockpit shows what a real load would.
      await enrichFeedbackLoad(tx, loadId, { taxonomy: text.DEFAULT_TAXONOMY });
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      await recordLoad(tx, {
        loadId,
        kind: 'demo',
        source: 'demo',
        format: 'generator',
        startedAt,
        finishedAt: new Date(),
        counts: { rowsRead: total, rowsStored: total, rowsDuplicate: 0, rowsRejected: 0 },
        message: `demo company: ${customers} customers, seed ${seed}, generator v${demo.DEMO_GENERATOR_VERSION}`,
        options: { customers, seed, generatorVersion: demo.DEMO_GENERATOR_VERSION },
      });
    });
  } finally {
    progress?.stop();
  }
  await rebuildJourneyIndex(warehouse);
  return { loadId, counts, seconds: Math.round((performance.now() - t0) / 10) / 100 };
}

async function removeLoad(tx: WarehouseSession, loadId: string, now: Date): Promise<void> {
  for (const table of TABLE_KINDS) await tx.run(`delete from ${table} where load_id = ?`, [loadId]);
  await tx.run(`update loads set status = 'undone', message = ? where load_id = ?`, [
    `replaced by a new demo load at ${now.toISOString()}`,
    loadId,
  ]);
}

/**
 * Daily service levels per assisted channel, derived from the per-contact rows just loaded: mean and
 * P90 wait, share answered within 60 s, contacts, and the first-contact-resolution rate of the cases
 * whose first contact was on that channel. One SQL statement, scoped to this load.
 */
async function dailyAggregates(tx: WarehouseSession, loadId: string): Promise<number> {
  const before = await countMeasurements(tx, loadId);
  await tx.run(
    `insert into measurements (ts, kpi, scope, value, source_system, load_id)
     with contacts as (
       select case_id, ts, channel, value as wait
       from events
       where load_id = ? and value is not null and json_extract(properties, '$.wait_seconds') is not null
     ),
     first_contact as (
       select case_id, arg_min(channel, ts) as channel from contacts group by case_id
     ),
     fcr as (
       select date_trunc('day', m.ts) as day, f.channel, avg(m.value) as rate
       from measurements m join first_contact f using (case_id)
       where m.load_id = ? and m.kpi = 'first_contact_resolution'
       group by all
     ),
     waits as (
       select date_trunc('day', ts) as day, channel,
              avg(wait) as wait_seconds_mean,
              quantile_cont(wait, 0.9) as wait_seconds_p90,
              avg(case when wait <= 60 then 1.0 else 0.0 end) as answered_within_60s,
              count(*)::double as contacts
       from contacts group by all
     ),
     daily as (
       select w.day, w.channel, w.wait_seconds_mean, w.wait_seconds_p90, w.answered_within_60s, w.contacts,
              fcr.rate as first_contact_resolution_rate
       from waits w left join fcr using (day, channel)
     )
     select day, kpi, 'channel:' || channel, value, 'demo_aggregates', ?
     from (unpivot daily on wait_seconds_mean, wait_seconds_p90, answered_within_60s, contacts,
           first_contact_resolution_rate into name kpi value value)`,
    [loadId, loadId, loadId],
  );
  return (await countMeasurements(tx, loadId)) - before;
}

async function countMeasurements(tx: WarehouseSession, loadId: string): Promise<number> {
  const [r] = await tx.all<{ n: number }>('select count(*) as n from measurements where load_id = ?', [
    loadId,
  ]);
  return r?.n ?? 0;
}
