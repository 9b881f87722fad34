import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { sqlString } from './csv.ts';

/**
 * JSON Lines: one JSON object per line. DuckDB reads the objects (`read_json_objects`, blank lines
 * skipped); values are then taken out as text so they go through the same validation as CSV cells.
 * A 19-digit number stays its digits (json_extract_string returns the literal), never a rounded
 * double. DuckDB's messages count lines differently from editors, so on the error path the file is
 * re-read here to name the real line.
 */
export function jsonlReadSql(path: string): string {
  return `read_json_objects(${sqlString(path)}, format = 'newline_delimited', maximum_object_size = 67108864)`;
}

/** Keys in first-seen order over all objects. */
export function jsonlKeysSql(table: string): string {
  return `select k from (
      select rowid as r, unnest(json_keys(json)) as k, generate_subscripts(json_keys(json), 1) as i from ${table}
    ) group by k order by min(r), min(i)`;
}

export function jsonExtractSql(key: string): string {
  return `json_extract_string(json, ${sqlString(`$."${key.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)})`;
}

/**
 * Walks the non-blank lines: maps record indexes to line numbers and finds the first line that is
 * not a JSON object.
 */
export async function scanJsonl(
  path: string,
  want: Iterable<number> = [],
): Promise<{ lines: Map<number, number>; problem?: { line: number; message: string } }> {
  const wanted = new Set(want);
  const lines = new Map<number, number>();
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let record = 0;
  for await (const text of rl) {
    line++;
    if (text.trim() === '') continue;
    if (wanted.has(record)) lines.set(record, line);
    record++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      rl.close();
      return { lines, problem: { line, message: `not valid JSON (${(e as Error).message})` } };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      rl.close();
      return { lines, problem: { line, message: 'each line must be one JSON object ({…})' } };
    }
  }
  return { lines };
}
