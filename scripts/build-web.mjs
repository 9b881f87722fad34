// Builds the cockpit (Vite) when packages/web/dist is missing or older than the sources it is built from.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'packages/web/dist/index.html');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildWebIfStale({ force = false } = {}) {
  const sources = Math.max(
    newest(join(root, 'packages/web/src')),
    newest(join(root, 'packages/core/src')),
    existsSync(join(root, 'packages/web/index.html'))
      ? statSync(join(root, 'packages/web/index.html')).mtimeMs
      : 0,
  );
  if (!force && existsSync(dist) && statSync(dist).mtimeMs >= sources) return false;
  process.stderr.write('Building the cockpit (vite build)…\n');
  execSync('npm run build -w @cx/web --silent', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`)
  buildWebIfStale({ force: process.argv.includes('--force') });
