import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or, per argument, the bench of exactly that
 * name, else those whose name contains it — so `predict` runs predict.bench.ts, not also
 * predict-store.bench.ts), one after another; each writes bench/results/<name>.json.
 */
const dir = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith('.bench.ts'));
const matching = (x: string) =>
  all.includes(`${x}.bench.ts`) ? [`${x}.bench.ts`] : all.filter((f) => f.includes(x));
const files = [...new Set(filters.length === 0 ? all : filters.flatMap(matching))].sort();
for (const f of files) {
  process.stderr.write(`\n== ${f}\n`);
  await import(pathToFileURL(join(dir, f)).href);
}
