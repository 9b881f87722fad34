import { mkdirSync } from 'node:fs';
import type { AppStore } from './app-store/port.ts';
import { openSqliteAppStore } from './app-store/sqlite.ts';
import type { Config } from './config.ts';
import { openDuckDbWarehouse } from './warehouse/duckdb.ts';
import type { Warehouse } from './warehouse/port.ts';

export interface Stores {
  warehouse: Warehouse;
  appStore: AppStore;
  close(): Promise<void>;
}

/** Opens the embedded stores in the data directory (creating it), or in memory for tests. */
export async function openStores(
  config: Pick<Config, 'dataDir' | 'warehousePath' | 'appStorePath' | 'dbThreads'> | 'memory',
): Promise<Stores> {
  if (config !== 'memory') mkdirSync(config.dataDir, { recursive: true });
  const warehouse = await openDuckDbWarehouse(
    config === 'memory' ? ':memory:' : config.warehousePath,
    config === 'memory' || !config.dbThreads ? {} : { threads: config.dbThreads },
  );
  let appStore: AppStore;
  try {
    appStore = await openSqliteAppStore(config === 'memory' ? ':memory:' : config.appStorePath);
  } catch (e) {
    await warehouse.close();
    throw e;
  }
  return {
    warehouse,
    appStore,
    async close() {
      await appStore.close();
      await warehouse.close();
    },
  };
}
