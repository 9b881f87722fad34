// `npm test`: everything a change must pass — lint, type check, unit/store/HTTP tests, and the browser
// tests in real Chromium. Sets up what it needs (Chromium via apt-get, the web build) by itself.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebIfStale } from './build-web.mjs';
import { ensureChromium } from './ensure-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'test-output');
mkdirSync(out, { recursive: true });
const started = Date.now();

function step(name, cmd) {
  const t0 = Date.now();
  process.stderr.write(`\n▶ ${name}: ${cmd}\n`);
  try {
    execSync(cmd, {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' },
    });
  } catch {
    process.stderr.write(`✖ ${name} failed\n`);
    summarise();
    process.exit(1);
  }
  process.stderr.write(`✔ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}

function summarise() {
  let passed = 0;
  let failed = 0;
  for (const f of ['unit.json', 'e2e.json']) {
    const p = join(out, f);
    if (!existsSync(p)) continue;
    const r = JSON.parse(readFileSync(p, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
    // A file that fails to load has no failed test but is a failure all the same.
    if (!r.success && !r.numFailedTests) failed += r.numFailedTestSuites || 1;
  }
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.stderr.write(`(total ${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}

ensureChromium();
step('lint', 'npx biome check .');
step('type check', 'npx tsc --noEmit -p tsconfig.json');
step(
  'unit, store and HTTP tests',
  `npx vitest run --reporter=default --reporter=json --outputFile=${join(out, 'unit.json')}`,
);
buildWebIfStale();
step(
  'browser tests (Chromium)',
  `npx vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile=${join(out, 'e2e.json')}`,
);
summarise();
