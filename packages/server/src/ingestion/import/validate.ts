import type { ColumnSpec } from '@cx/core';
import { sqlString } from './csv.ts';
import type { ResolvedColumn, ResolvedMapping } from './mapping.ts';

/**
 * Builds the SQL that turns raw source rows into typed rows of the target table, in one pass in the
 * database. Every target column yields a value expression and a check expression; the check gives
 * `field<US>reason` for the first problem of a row, or NULL when the row is valid.
 *
 * Missing values: an empty cell is "no value" (NULL) — and a reported problem when the column is
 * required. Strings such as "NA", "null", "N/A" are never treated as missing: they are kept as
 * text, and in a numeric or time column they are a parse error, never a silent NULL.
 */
export interface RawColumn {
  name: string;
  /** DuckDB type of the raw column (VARCHAR for CSV and JSONL; native for Parquet). */
  type: string;
}

export interface ConvertOptions {
  /** strptime formats for timestamps (tried in order); default: ISO 8601 with or without offset. */
  timestampFormat?: readonly string[] | undefined;
  dateFormat?: readonly string[] | undefined;
}

export const UNIT_SEP = '\u001f';

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface Built {
  value: string;
  check: string;
}

/**
 * Value and check for every mapped column, plus the bag (unmapped columns → JSON object).
 * The SQL has two levels so every cell is parsed once: `inner` (over the raw row `r`) yields each
 * column's text `_tN` and typed value `_vN`; `values` and `check` read those aliases.
 */
export function buildConversion(
  mapping: ResolvedMapping,
  raw: readonly RawColumn[],
  opts: ConvertOptions,
  rawAlias = 'r',
  recordExpr = 'r._rec',
): { targets: string[]; inner: string[]; values: string[]; check: string } {
  const types = new Map(raw.map((c) => [c.name, c.type]));
  const targets: string[] = [];
  const inner: string[] = [];
  const values: string[] = [];
  const checks: string[] = [];
  mapping.columns.forEach((col, i) => {
    const text = textExpr(col, rawAlias, recordExpr);
    const atRaw = buildColumn(col, types, opts, rawAlias, text);
    const refs = { t: `_t${i}`, v: `_v${i}` };
    const atRefs = buildColumn(col, types, opts, rawAlias, refs.t, refs);
    targets.push(col.spec.name);
    inner.push(`${text} as ${refs.t}`, `${atRaw.value} as ${refs.v}`);
    values.push(refs.v);
    checks.push(atRefs.check);
  });
  if (mapping.bag) {
    targets.push(mapping.bag.target);
    const args = mapping.bag.columns.map((c) => `${sqlString(c)}, ${rawAlias}.${ident(c)}`).join(', ');
    inner.push(`json_object(${args}) as _bag`);
    values.push('_bag');
  }
  const check = checks.length ? `coalesce(${checks.join(', ')})` : 'null::varchar';
  return { targets, inner, values, check };
}

/**
 * `text` is the cell as text (SQL). With `refs`, checks read the inner aliases instead of
 * recomputing: refs.t is the text, refs.v the parsed value.
 */
function buildColumn(
  col: ResolvedColumn,
  types: Map<string, string>,
  opts: ConvertOptions,
  r: string,
  text: string,
  refs?: { t: string; v: string },
): Built {
  const { spec, source } = col;
  const fail = (reason: string) => `${sqlString(`${col.label}${UNIT_SEP}`)} || ${reason}`;
  if (source.type === 'object') {
    // JSON object from several columns: numbers stay numbers, empty cells are null.
    const args = source.entries
      .map(([k, c]) => {
        const v = `nullif(cast(${r}.${ident(c)} as varchar), '')`;
        return `${sqlString(k)}, coalesce(try_cast(try_cast(${v} as double) as json), to_json(${v}))`;
      })
      .join(', ');
    return { value: `json_object(${args})`, check: 'null::varchar' };
  }
  const rawType = source.type === 'column' ? (types.get(source.column) ?? 'VARCHAR') : 'VARCHAR';
  if (rawType !== 'VARCHAR' && source.type === 'column') {
    return typedSource(col, `${r}.${ident(source.column)}`, rawType, fail, refs?.v);
  }

  const v = `nullif(${text}, '')`;
  const missing = spec.required
    ? `when ${v} is null then ${fail(`'a value is required but the cell is empty'`)}`
    : '';
  const shown = `'"' || left(${text}, 80) || '"'`;
  const parse = (expr: string, what: string): Built => ({
    value: expr,
    check: `case ${missing} when ${v} is not null and ${refs?.v ?? expr} is null then ${fail(`'cannot parse ' || ${shown} || ' as ${what}'`)} end`,
  });
  switch (spec.type) {
    case 'string':
      // Ids: an empty cell is no id. Other text is kept exactly as written, "" included.
      return {
        value: spec.name.endsWith('_id') || spec.required ? v : text,
        check: spec.required ? `case ${missing} end` : 'null::varchar',
      };
    case 'timestamp':
      return parse(
        timestampExpr(v, opts.timestampFormat),
        opts.timestampFormat ? `a timestamp (${fmtList(opts.timestampFormat)})` : 'a timestamp',
      );
    case 'date':
      return parse(dateExpr(v, opts.dateFormat ?? opts.timestampFormat), 'a date');
    case 'double':
      return parse(`try_cast(${v} as double)`, 'a number');
    case 'integer': {
      const d = `try_cast(${v} as double)`;
      const built = parse(
        `case when ${d} = round(${d}) and abs(${d}) < 2147483648 then cast(${d} as integer) end`,
        'a whole number',
      );
      return withRange(built, spec, v, fail, refs?.v);
    }
    case 'boolean':
      return parse(`try_cast(${v} as boolean)`, 'a boolean (true/false)');
    case 'json':
      return parse(`case when json_valid(${v}) then cast(${v} as json) end`, 'JSON');
    case 'string[]':
      return parse(
        `case when json_valid(${v}) then try_cast(cast(${v} as json) as varchar[]) else try_cast(${v} as varchar[]) end`,
        'a list',
      );
  }
}

function withRange(
  built: Built,
  spec: ColumnSpec,
  v: string,
  fail: (r: string) => string,
  vRef?: string,
): Built {
  if (spec.min === undefined || spec.max === undefined) return built;
  const out = `${vRef ?? built.value} not between ${spec.min} and ${spec.max}`;
  return {
    value: built.value,
    check: `coalesce(${built.check}, case when ${out} then ${fail(`'the value "' || ${v} || '" is outside the allowed range ${spec.min}–${spec.max}'`)} end)`,
  };
}

/** The source as text (before parsing). */
function textExpr(col: ResolvedColumn, r: string, recordExpr: string): string {
  const s = col.source;
  switch (s.type) {
    case 'column':
      return `cast(${r}.${ident(s.column)} as varchar)`;
    case 'value':
      return sqlString(s.value);
    case 'record':
      return `cast(${recordExpr} + 1 as varchar)`;
    case 'template':
      return `concat(${s.parts
        .map((p) =>
          'text' in p
            ? sqlString(p.text)
            : 'column' in p
              ? `coalesce(cast(${r}.${ident(p.column)} as varchar), '')`
              : `cast(${recordExpr} + 1 as varchar)`,
        )
        .join(', ')})`;
    case 'object':
      return 'null';
  }
}

/** A Parquet column that already has a type: cast directly, so no text round trip. */
function typedSource(
  col: ResolvedColumn,
  expr: string,
  rawType: string,
  fail: (r: string) => string,
  vRef?: string,
): Built {
  const { spec } = col;
  const missing = spec.required
    ? `when ${expr} is null then ${fail(`'a value is required but it is null'`)}`
    : '';
  const target: Record<ColumnSpec['type'], string> = {
    string: 'varchar',
    timestamp: 'timestamptz',
    date: 'date',
    double: 'double',
    integer: 'integer',
    boolean: 'boolean',
    json: 'json',
    'string[]': 'varchar[]',
  };
  let value = `try_cast(${expr} as ${target[spec.type]})`;
  if (spec.type === 'json' && !rawType.startsWith('JSON')) value = `to_json(${expr})`;
  const built: Built = {
    value,
    check: `case ${missing} when ${expr} is not null and ${vRef ?? value} is null then ${fail(`'cannot convert ' || left(cast(${expr} as varchar), 80) || ' (${rawType}) to ${spec.type}'`)} end`,
  };
  return spec.type === 'integer' ? withRange(built, spec, `cast(${expr} as varchar)`, fail, vRef) : built;
}

function fmtList(f: readonly string[]): string {
  return f.join(' | ');
}

function sqlList(f: readonly string[]): string {
  return f.length === 1 ? sqlString(f[0]!) : `[${f.map(sqlString).join(', ')}]`;
}

export function timestampExpr(v: string, formats: readonly string[] | undefined): string {
  if (!formats) return `try_cast(${v} as timestamptz)`;
  const special = formats.length === 1 ? formats[0] : undefined;
  if (special === 'epoch_ms') return `make_timestamptz(cast(try_cast(${v} as double) * 1000 as bigint))`;
  if (special === 'epoch_s') return `make_timestamptz(cast(try_cast(${v} as double) * 1000000 as bigint))`;
  // strptime gives TIMESTAMP (read as UTC, the session time zone) or TIMESTAMPTZ when %z is used.
  return `cast(try_strptime(${v}, ${sqlList(formats)}) as timestamptz)`;
}

function dateExpr(v: string, formats: readonly string[] | undefined): string {
  if (!formats) return `try_cast(${v} as date)`;
  return `cast(try_strptime(${v}, ${sqlList(formats)}) as date)`;
}
