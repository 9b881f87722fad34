import type { Logger } from 'pino';
import type { AppStore } from './app-store/port.ts';
import type { Config } from './config.ts';
import type { LlmClient } from './llm/client.ts';
import type { Warehouse } from './warehouse/port.ts';

/** A clock is passed in, so that time-based behaviour is testable. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** Everything the HTTP app and the jobs need; built by main.ts or by a test. */
export interface Deps {
  warehouse: Warehouse;
  appStore: AppStore;
  logger: Logger;
  clock: Clock;
  config: Pick<Config, 'maxBodyBytes'>;
  /** OpenAI-compatible LLM for customer summaries (CX_LLM_URL); absent: extractive summaries only. */
  llm?: LlmClient | undefined;
  /** Directory with the built web app (index.html); absent in API-only tests. */
  webDir?: string;
}
