import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError, type ColumnSpec, inputError, TABLE_KINDS, TABLES, type TableKind } from '@cx/core';
import { z } from 'zod';

/**
 * Column mapping: which source column (or constant, template, record number) fills which column of
 * the target table. Given by `--map target=source` flags and/or a mapping file (JSON):
 *
 * ```json
 * { "kind": "feedback", "format": "csv", "separator": ",", "encoding": "utf8",
 *   "columns": { "csat": "Rating", "comment": "Review Text",
 *                "customer_id": { "template": "shop-{Customer Id}" },
 *                "response_id": { "record": true },
 *                "elements": { "object": { "seat_comfort": "SeatComfort" } } },
 *   "constants": { "survey_id": "product_reviews" },
 *   "ignore": ["column0"],
 *   "timestampFormat": ["%dth %B %Y"], "dateFormat": "%d-%b-%y" }
 * ```
 * Source columns that are neither mapped nor ignored go into the table's JSON bag column
 * (`properties` for events and feedback, `attributes` for customers and campaigns).
 */
const columnSource = z.union([
  z.string().min(1).describe('a source column name'),
  z.strictObject({ column: z.string().min(1) }),
  z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }),
  z.strictObject({
    template: z
      .string()
      .min(1)
      .describe('text with {Column} placeholders; {$record} is the 1-based record number'),
  }),
  z.strictObject({ record: z.literal(true).describe('the 1-based record number in the file') }),
  z.strictObject({
    object: z.record(z.string(), z.string().min(1)).describe('JSON object {key: source column}'),
  }),
]);

const formats = z.enum(['csv', 'tsv', 'jsonl', 'parquet', 'xes']);
const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

export const mappingFileSchema = z.strictObject({
  $schema: z.string().optional(),
  description: z.string().optional(),
  kind: z.enum(TABLE_KINDS),
  format: formats.optional(),
  separator: z.string().length(1, 'separator must be exactly one character (use "\\t" for tab)').optional(),
  encoding: z.enum(['utf8', 'latin1']).optional(),
  columns: z.record(z.string(), columnSource).default({}),
  constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  ignore: z.array(z.string()).default([]),
  timestampFormat: stringOrList.optional(),
  dateFormat: stringOrList.optional(),
  sourceSystem: z.string().min(1).optional(),
});
export type MappingFile = z.infer<typeof mappingFileSchema>;
export type ColumnSource = z.infer<typeof columnSource>;
export type ImportFormat = z.infer<typeof formats>;

/** Reads and validates a mapping file; every problem names the file and the offending field. */
export async function loadMappingFile(path: string): Promise<MappingFile> {
  const file = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw inputError(
      `cannot read the mapping file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      { file },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw inputError(`the mapping file is not valid JSON: ${(e as Error).message}`, { file });
  }
  return parseMapping(json, file);
}

export function parseMapping(json: unknown, file: string): MappingFile {
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || undefined;
    throw inputError(issue.message, field ? { file, field } : { file });
  }
  return parsed.data;
}

/** `--map target=source` flags → columns. */
export function parseMapFlags(flags: readonly string[]): Record<string, ColumnSource> {
  const out: Record<string, ColumnSource> = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw inputError(`--map expects target=sourceColumn, got "${f}"`, { field: '--map' });
    out[f.slice(0, eq).trim()] = f.slice(eq + 1);
  }
  return out;
}

/** PM4Py / XES column names → canonical event columns, used when the events mapping is not given. */
export const PM4PY_EVENT_COLUMNS: Readonly<Record<string, string>> = {
  case_id: 'case:concept:name',
  activity: 'concept:name',
  ts: 'time:timestamp',
  resource: 'org:resource',
  lifecycle: 'lifecycle:transition',
};

/** The JSON column that collects unmapped source columns, per kind (none for narrow tables). */
export const BAG_COLUMN: Readonly<Partial<Record<TableKind, string>>> = {
  events: 'properties',
  feedback: 'properties',
  customers: 'attributes',
  campaigns: 'attributes',
};

export type ResolvedSource =
  | { type: 'column'; column: string }
  | { type: 'value'; value: string }
  | { type: 'template'; parts: ({ text: string } | { column: string } | { record: true })[] }
  | { type: 'record' }
  | { type: 'object'; entries: [string, string][] };

export interface ResolvedColumn {
  spec: ColumnSpec;
  source: ResolvedSource;
  /** How the field is named in error messages: the source column, or the target for constants. */
  label: string;
}

export interface ResolvedMapping {
  kind: TableKind;
  columns: ResolvedColumn[];
  /** Source columns that go into the bag column. */
  bag: { target: string; columns: string[] } | null;
  /** Source columns that are read but stored nowhere (narrow tables, `ignore`). */
  ignored: string[];
}

const RECORD = '$record';

/**
 * Resolves the mapping against the columns the file actually has. Every name problem is reported
 * here, before a single row is read: unknown targets, missing source columns, unmapped required
 * columns.
 */
export function resolveMapping(input: {
  kind: TableKind;
  sourceColumns: readonly string[];
  columns: Record<string, ColumnSource>;
  constants: Record<string, string | number | boolean>;
  ignore: readonly string[];
  sourceSystem: string;
  /** Where the mapping came from, for messages ("mapping.json" or "--map"). */
  origin: string;
  file: string;
}): ResolvedMapping {
  const { kind, sourceColumns } = input;
  const spec = TABLES[kind];
  const have = new Set(sourceColumns);
  const targets = new Map(spec.columns.map((c) => [c.name, c]));
  const listCols = () => sourceColumns.map((c) => JSON.stringify(c)).join(', ');
  const checkSource = (col: string, target: string) => {
    if (!have.has(col)) {
      throw inputError(
        `the mapping (${input.origin}) maps ${target} to the column "${col}", which is not in the file; its columns are ${listCols()}`,
        { file: input.file, field: col },
      );
    }
  };
  const chosen = new Map<string, ColumnSource>();
  for (const [target, src] of Object.entries(input.columns)) chosen.set(target, src);
  for (const [target, value] of Object.entries(input.constants)) {
    if (chosen.has(target)) {
      throw inputError(`${target} is given both as a column and as a constant`, {
        file: input.origin,
        field: target,
      });
    }
    chosen.set(target, { value });
  }
  for (const target of chosen.keys()) {
    if (!targets.has(target)) {
      throw inputError(
        `${kind} has no column "${target}"; its columns are ${spec.columns.map((c) => c.name).join(', ')}`,
        { file: input.origin, field: target },
      );
    }
  }
  // Defaults: same-named columns, then the PM4Py/XES names for events.
  for (const c of spec.columns) {
    if (chosen.has(c.name)) continue;
    if (have.has(c.name)) chosen.set(c.name, c.name);
    else if (kind === 'events' && PM4PY_EVENT_COLUMNS[c.name] && have.has(PM4PY_EVENT_COLUMNS[c.name]!)) {
      chosen.set(c.name, PM4PY_EVENT_COLUMNS[c.name]!);
    }
  }
  // Events without a customer: the case is the customer (process-mining logs).
  if (kind === 'events' && !chosen.has('customer_id') && chosen.has('case_id'))
    chosen.set('customer_id', chosen.get('case_id')!);
  if (!chosen.has('source_system')) chosen.set('source_system', { value: input.sourceSystem });

  const used = new Set<string>();
  const columns: ResolvedColumn[] = [];
  for (const c of spec.columns) {
    const src = chosen.get(c.name);
    if (!src) continue;
    const resolved = resolveSource(src, c, checkSource, used);
    columns.push({
      spec: c,
      source: resolved,
      label: resolved.type === 'column' ? resolved.column : c.name,
    });
  }
  const missing = spec.columns.filter(
    (c) =>
      c.required &&
      !columns.some((r) => r.spec.name === c.name) &&
      !(spec.derivedKeyFrom && spec.key.includes(c.name)),
  );
  if (missing.length > 0) {
    const hint = missing.map((m) => `--map ${m.name}=<column>`).join(' ');
    throw inputError(
      `no source for the required ${kind} column${missing.length > 1 ? 's' : ''} ${missing.map((m) => m.name).join(', ')}; ` +
        `map ${missing.length > 1 ? 'them' : 'it'} (${hint}) or in a mapping file. The file's columns are ${listCols()}`,
      { file: input.file, field: missing[0]!.name },
    );
  }
  for (const col of input.ignore) checkSource(col, '(ignore)');
  const ignoreSet = new Set(input.ignore);
  const rest = sourceColumns.filter((c) => !used.has(c) && !ignoreSet.has(c));
  const bagTarget = BAG_COLUMN[kind];
  const bagMapped = bagTarget !== undefined && columns.some((c) => c.spec.name === bagTarget);
  const bag = bagTarget && !bagMapped && rest.length > 0 ? { target: bagTarget, columns: rest } : null;
  return { kind, columns, bag, ignored: [...input.ignore, ...(bag ? [] : rest)] };
}

function resolveSource(
  src: ColumnSource,
  spec: ColumnSpec,
  check: (col: string, target: string) => void,
  used: Set<string>,
): ResolvedSource {
  const useCol = (col: string) => {
    check(col, spec.name);
    used.add(col);
  };
  if (typeof src === 'string' || 'column' in src) {
    const col = typeof src === 'string' ? src : src.column;
    if (col === RECORD) return { type: 'record' };
    useCol(col);
    return { type: 'column', column: col };
  }
  if ('value' in src) return { type: 'value', value: String(src.value) };
  if ('record' in src) return { type: 'record' };
  if ('template' in src) {
    const parts: ({ text: string } | { column: string } | { record: true })[] = [];
    const re = /\{([^{}]+)\}/g;
    let last = 0;
    for (let m = re.exec(src.template); m; m = re.exec(src.template)) {
      if (m.index > last) parts.push({ text: src.template.slice(last, m.index) });
      if (m[1] === RECORD) parts.push({ record: true });
      else {
        useCol(m[1]!);
        parts.push({ column: m[1]! });
      }
      last = m.index + m[0].length;
    }
    if (last < src.template.length) parts.push({ text: src.template.slice(last) });
    return { type: 'template', parts };
  }
  if (spec.type !== 'json') {
    throw new AppError('bad_input', `${spec.name}: an {"object": …} mapping only fits a JSON column`, {
      field: spec.name,
    });
  }
  for (const col of Object.values(src.object)) useCol(col);
  return { type: 'object', entries: Object.entries(src.object) };
}
