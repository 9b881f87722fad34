import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CampaignDidSchema, CampaignsSchema, RevenueAtRiskSchema, ValueGroupsSchema } from '@cx/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../../../..');
const CXC = join(ROOT, 'bin/cxc.js');

let dir: string;
const cxc = (...args: string[]) => run('node', [CXC, ...args], { env: { ...process.env, CX_DATA_DIR: dir } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cx-value-cli-'));
  await cxc('demo', '--customers', '400', '--seed', '3');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cxc value', () => {
  it('groups --json prints the API shape; text names the value of a moved detractor', async () => {
    const { stdout } = await cxc('value', 'groups', '--json', '--segments', 'consumer,premium');
    const r = ValueGroupsSchema.parse(JSON.parse(stdout));
    expect(r.groups.length).toBeGreaterThanOrEqual(3);
    const text = (await cxc('value', 'groups')).stdout;
    expect(text).toMatch(/promoter − detractor churn/);
    expect(text).toMatch(/moving one detractor to promoter/);
  }, 60_000);

  it('risk --json names the probability source', async () => {
    const { stdout } = await cxc('value', 'risk', '--json', '--value', 'clv', '--top', '2');
    const r = RevenueAtRiskSchema.parse(JSON.parse(stdout));
    expect(r.probabilitySource).toBe('nps_group_rate');
    expect(r.customers).toHaveLength(2);
  }, 60_000);

  it('refuses a bad flag with exit code 2 and the flag named', async () => {
    const e = await cxc('value', 'groups', '--discount', 'lots').catch((x) => x);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--discount/);
    const f = await cxc('campaigns', 'did', 'CMP-FOOTBALL-SPONSOR', '--exposed-regions', 'mars').catch(
      (x) => x,
    );
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/mars/);
  }, 60_000);
});

describe('cxc campaigns', () => {
  it('list --json has all campaigns; the sponsoring is not identified; did --json estimates it against other regions', async () => {
    const list = CampaignsSchema.parse(JSON.parse((await cxc('campaigns', 'list', '--json')).stdout));
    expect(list.campaigns).toHaveLength(3);
    expect(list.campaigns.find((c) => c.campaignId === 'CMP-FOOTBALL-SPONSOR')!.lift).toBeNull();
    const text = (await cxc('campaigns', 'list')).stdout;
    expect(text).toMatch(/not identified/);
    const did = CampaignDidSchema.parse(
      JSON.parse(
        (
          await cxc(
            'campaigns',
            'did',
            'CMP-FOOTBALL-SPONSOR',
            '--exposed-regions',
            'north',
            '--metric',
            'nps',
            '--json',
          )
        ).stdout,
      ),
    );
    expect(did.metric).toBe('nps');
    expect(did.exposedRegions).toEqual(['north']);
  }, 60_000);
});
