import { inputError } from '@cx/core';
import type { CsvDialect } from '../ingestion/import/csv.ts';

/**
 * The `--separator` and `--encoding` flags of the commands that read a CSV/TSV without importing it
 * (`cxc feedback …`, `cxc text …`): tab for `.tsv` files by default, "\t" or "tab" spelled out;
 * the errors name the flag.
 */
export function csvDialectFromFlags(
  path: string,
  flags: { separator?: string; encoding?: string },
): CsvDialect {
  const encoding = flags.encoding?.toLowerCase().replace(/[-_]/g, '');
  if (encoding !== undefined && !['utf8', 'latin1', 'iso88591'].includes(encoding))
    throw inputError(`unknown encoding "${flags.encoding}"; use utf8 or latin1`, { field: '--encoding' });
  const separator =
    flags.separator === undefined
      ? /\.tsv$/i.test(path)
        ? '\t'
        : ','
      : flags.separator === '\\t' || flags.separator === 'tab'
        ? '\t'
        : flags.separator;
  if (separator.length !== 1)
    throw inputError(`the separator must be one character, got "${flags.separator}"`, {
      field: '--separator',
    });
  return { separator, encoding: encoding === undefined || encoding === 'utf8' ? 'utf8' : 'latin1' };
}
