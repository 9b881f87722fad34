import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('has defaults that work on a fresh machine', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.warehousePath).toBe(`${c.dataDir}/cx.duckdb`);
    expect(c.maxBodyBytes).toBe(5 * 1024 * 1024);
  });

  it('reads CX_PORT and CX_DATA_DIR', () => {
    const c = loadConfig({ CX_PORT: '8080', CX_DATA_DIR: '/tmp/cx-test' });
    expect(c.port).toBe(8080);
    expect(c.appStorePath).toBe('/tmp/cx-test/app.sqlite');
  });

  it('names the variable when a value is wrong', () => {
    expect(() => loadConfig({ CX_PORT: 'eighty' })).toThrow(
      /CX_PORT must be a non-negative integer, got "eighty"/,
    );
  });
});
