import type { Logger } from 'pino';
import { isJourneyIndexStale, rebuildJourneyIndex } from '../queries/journeys/journey-index.ts';
import type { Warehouse } from '../warehouse/port.ts';

/**
 * Keeps the journey index fresh in a running server: every `intervalMs` it checks whether the events
 * changed since the last build (cheap while nothing was written) and rebuilds it if so. Queries never
 * wait for it — while the index is stale they take the live path, which gives the same numbers —
 * so a rebuild only decides how soon the fast path is back after new data. A rebuild holds the
 * writer for its duration (about a second per million events), which is why it is debounced here
 * rather than run after every ingested batch.
 */
export function startJourneyIndexRefresher(
  wh: Warehouse,
  logger: Logger,
  intervalMs = 10_000,
): { stop(): void; tick(): Promise<void> } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      if (await isJourneyIndexStale(wh)) {
        const build = await rebuildJourneyIndex(wh);
        logger.info(build, 'journey index rebuilt');
      }
    } catch (e) {
      logger.error({ err: e }, 'journey index rebuild failed; queries stay on the live path');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), tick };
}
