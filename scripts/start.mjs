// `npm start`: build the cockpit if needed, then serve it on CX_PORT (default 3000). The server seeds the
// demo company when the store is empty, so a fresh clone shows real numbers at once.
import { spawn } from 'node:child_process';
import { buildWebIfStale } from './build-web.mjs';

buildWebIfStale();
const child = spawn(
  process.execPath,
  [new URL('../packages/server/bin/cxc.js', import.meta.url).pathname, 'start'],
  { stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 1));
