import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or those whose name contains one of the
 * arguments), one after another; each writes bench/results/<name>.json.
 */
const dir = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
for (const f of files) {
  process.stderr.write(`\n== ${f}\n`);
  await import(pathToFileURL(join(dir, f)).href);
}
