import { join, resolve } from 'node:path';
import { AppError } from '@cx/core';

/**
 * The only reader of process.env. Every variable is listed in the README's configuration table.
 */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Analytic warehouse file (DuckDB). */
  warehousePath: string;
  /** Operational app store file (SQLite). */
  appStorePath: string;
  /** Largest accepted HTTP request body, in bytes (after gzip decoding). */
  maxBodyBytes: number;
  logLevel: string;
  /** Customers the demo company gets when `npm start` finds an empty database. */
  demoCustomers: number;
  /** Threads DuckDB may use (default: all cores). */
  dbThreads: number | undefined;
  /** OpenAI-compatible chat-completions API for customer summaries; absent: extractive only. */
  llm: { url: string; apiKey: string | undefined; model: string } | undefined;
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new AppError(
      'bad_input',
      `Environment variable ${name} must be a non-negative integer, got "${raw}"`,
      {
        field: name,
      },
    );
  }
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.CX_DATA_DIR || './data');
  return {
    port: intVar(env, 'CX_PORT', 3000),
    host: env.CX_HOST || '0.0.0.0',
    dataDir,
    warehousePath: join(dataDir, 'cx.duckdb'),
    appStorePath: join(dataDir, 'app.sqlite'),
    maxBodyBytes: intVar(env, 'CX_MAX_BODY_BYTES', 5 * 1024 * 1024),
    logLevel: env.CX_LOG_LEVEL || 'info',
    demoCustomers: intVar(env, 'CX_DEMO_CUSTOMERS', 20_000),
    dbThreads: env.CX_DB_THREADS ? intVar(env, 'CX_DB_THREADS', 0) : undefined,
    llm: env.CX_LLM_URL
      ? {
          url: env.CX_LLM_URL,
          apiKey: env.CX_LLM_API_KEY || undefined,
          model: env.CX_LLM_MODEL || 'gpt-4o-mini',
        }
      : undefined,
  };
}
