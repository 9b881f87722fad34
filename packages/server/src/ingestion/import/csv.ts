import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type AppError, inputError, isAppError } from '@cx/core';

/**
 * CSV/TSV support for the importer. The bulk read is DuckDB's `read_csv` (see `csvReadSql`); this
 * module adds what DuckDB cannot give us precisely:
 *  - the header, read exactly as written (an empty header cell becomes `column<i>`), so the mapping
 *    and `read_csv(columns=…)` agree on names without DuckDB's sniffer guessing anything;
 *  - a byte scanner that maps record numbers to physical line numbers and finds the first
 *    structural problem (wrong field count, unterminated quote, invalid UTF-8). DuckDB counts
 *    records, not lines, and records ≠ lines when quoted fields hold line breaks, so its "Line: N"
 *    is wrong for exactly the files we care about. The scanner only runs on the error path.
 * Quoting follows RFC 4180 (`"` quotes, `""` escapes). Blank lines are skipped, as DuckDB does.
 */
export interface CsvDialect {
  /** One character (one byte in the file's encoding). */
  separator: string;
  encoding: 'utf8' | 'latin1';
  /** DuckDB's read buffer in bytes (see `csvBufferSize`); its default when absent. */
  bufferSize?: number | undefined;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** The `read_csv` call that reads every cell as literal text: no sniffing, no NULL strings. */
export function csvReadSql(path: string, header: readonly string[], dialect: CsvDialect): string {
  const cols = header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ');
  const parts = [
    sqlString(path),
    'header = true',
    'auto_detect = false',
    `columns = {${cols}}`,
    `delim = ${sqlString(dialect.separator)}`,
    `quote = '"'`,
    `escape = '"'`,
    'strict_mode = true',
    // A NULL string nobody writes: every cell, "NA", "null" and "" included, is read as text.
    `nullstr = ${sqlString('\u0001\u0002cx-no-null\u0002\u0001')}`,
    'allow_quoted_nulls = false',
  ];
  if (dialect.encoding === 'latin1') parts.push(`encoding = 'latin-1'`);
  if (dialect.bufferSize) parts.push(`buffer_size = ${dialect.bufferSize}`);
  return `read_csv(${parts.join(', ')})`;
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const ROW_GROUP_ROWS = 122_880;
const MiB = 2 ** 20;

/**
 * The read buffer for a big file: the power of two that holds about eight row groups (122,880 rows
 * each) of the file's lines, between 32 and 256 MiB; undefined (DuckDB's default) below 64 MiB.
 * Why: DuckDB splits a buffer into a few parallel batches and, with insertion order preserved (the
 * journey index breaks timestamp ties by file order), copies every batch smaller than a row group
 * once more to merge it with its neighbours before compressing it. With the default buffer a
 * 100-byte line gives batches of ~80k rows, and that merge copy is ~10 % of the import's CPU.
 */
export async function csvBufferSize(path: string, size: number): Promise<number | undefined> {
  if (size < 64 * MiB) return undefined;
  const fh = await open(path, 'r');
  try {
    const sample = Buffer.alloc(MiB);
    const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = sample.indexOf(LF); i >= 0 && i < bytesRead; i = sample.indexOf(LF, i + 1)) lines++;
    const bytesPerLine = bytesRead / Math.max(lines, 1);
    const want = 2 ** Math.ceil(Math.log2(bytesPerLine * ROW_GROUP_ROWS * 8));
    return Math.min(256 * MiB, Math.max(32 * MiB, want));
  } finally {
    await fh.close();
  }
}

/** Reads and parses the header record. Throws a clear error for an empty file. */
export async function readCsvHeader(path: string, file: string, dialect: CsvDialect): Promise<string[]> {
  const sep = dialect.separator.charCodeAt(0);
  const fh = await open(path, 'r');
  try {
    let buf = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const chunk = Buffer.alloc(1 << 16);
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      pos += bytesRead;
      buf = Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      const end = headerEnd(buf, sep);
      if (end >= 0 || bytesRead === 0) {
        let bytes = buf.subarray(0, end >= 0 ? end : buf.length);
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
        if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
        if (bytes.length === 0)
          throw inputError('the file is empty; expected a header line with column names', { file, line: 1 });
        const text = dialect.encoding === 'latin1' ? bytes.toString('latin1') : bytes.toString('utf8');
        return splitRecord(text, dialect.separator).map((h, i) => (h === '' ? `column${i}` : h));
      }
      if (buf.length > 16 << 20) throw inputError('the header line is longer than 16 MiB', { file, line: 1 });
    }
  } finally {
    await fh.close();
  }
}

/** Index of the LF that ends the first record (outside quotes), or -1. */
function headerEnd(buf: Buffer, _sep: number): number {
  let inQuote = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    if (b === QUOTE) inQuote = !inQuote;
    else if (b === LF && !inQuote) return i;
  }
  return -1;
}

/** Splits one record's text into fields (RFC 4180). */
export function splitRecord(text: string, separator: string): string[] {
  const out: string[] = [];
  let field = '';
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuote) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuote = false;
      } else field += ch;
    } else if (ch === '"') inQuote = true;
    else if (ch === separator) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export interface CsvScanResult {
  /** Data record index (0-based, header excluded) → 1-based line where the record starts. */
  lines: Map<number, number>;
  /** The first structural problem, if any. */
  problem?: { line: number; message: string };
}

/**
 * Streams the file once, counting physical lines, records and fields per record. `want` lists the
 * data record indexes whose starting line is needed (dead letters, the first invalid row).
 */
export async function scanCsv(
  path: string,
  dialect: CsvDialect,
  opts: { want?: Iterable<number>; expectedFields?: number; checkUtf8?: boolean } = {},
): Promise<CsvScanResult> {
  const want = new Set(opts.want ?? []);
  const lines = new Map<number, number>();
  const sep = dialect.separator.charCodeAt(0);
  const expected = opts.expectedFields;
  const decoder =
    opts.checkUtf8 && dialect.encoding === 'utf8' ? new TextDecoder('utf-8', { fatal: true }) : null;
  let line = 1;
  let record = -1; // -1 = the header
  let recordLine = 1;
  let fields = 1;
  let recordBytes = 0; // bytes in the current record, to skip blank lines like DuckDB
  let inQuote = false;
  let quoteLine = 0;
  let lastByte = -1;
  let first = true;
  let problem: CsvScanResult['problem'];

  const endRecord = () => {
    if (recordBytes > 0) {
      if (record >= 0 && want.has(record)) lines.set(record, recordLine);
      if (!problem && expected !== undefined && fields !== expected) {
        problem = {
          line: recordLine,
          message: `the row has ${fields} field${fields === 1 ? '' : 's'} but the header has ${expected} (check the separator and the quoting on this line)`,
        };
      }
      record++;
    }
    fields = 1;
    recordBytes = 0;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    }
    if (decoder && !problem) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        problem = { line: await firstInvalidUtf8Line(path), message: 'invalid UTF-8' };
      }
    }
    for (let i = start; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF) {
        line++;
        if (!inQuote) {
          endRecord();
          recordLine = line;
          lastByte = b;
          continue;
        }
      } else if (b === QUOTE) {
        if (!inQuote) quoteLine = line;
        inQuote = !inQuote; // `""` inside quotes toggles twice: same state, as it should be
      } else if (b === sep && !inQuote) fields++;
      if (!(b === CR && !inQuote)) recordBytes++;
      lastByte = b;
    }
    if (problem && want.size === 0) break;
  }
  if (inQuote && !problem)
    problem = { line: quoteLine, message: 'a quoted field is never closed (unterminated `"`)' };
  if (lastByte !== LF) endRecord();
  return problem ? { lines, problem } : { lines };
}

/** Line of the first byte sequence that is not valid UTF-8 (error path only). */
async function firstInvalidUtf8Line(path: string): Promise<number> {
  let line = 1;
  let pending: Buffer = Buffer.alloc(0);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let from = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] !== LF) continue;
      try {
        decoder.decode(buf.subarray(from, i));
      } catch {
        return line;
      }
      line++;
      from = i + 1;
    }
    pending = Buffer.from(buf.subarray(from));
  }
  try {
    decoder.decode(pending);
  } catch {
    return line;
  }
  return line;
}

/**
 * Turns a DuckDB CSV read error into one that names the real line and says what to do (DuckDB counts
 * records, not lines). Re-scans the file, so call it only on the error path.
 */
export async function explainCsvError(
  e: unknown,
  path: string,
  file: string,
  dialect: CsvDialect,
  fields: number,
): Promise<AppError> {
  if (isAppError(e)) return e;
  const msg = (e as Error)?.message ?? String(e);
  const { problem } = await scanCsv(path, dialect, { expectedFields: fields, checkUtf8: true });
  if (problem?.message === 'invalid UTF-8' || /invalid unicode/i.test(msg)) {
    return inputError(
      'the file is not valid UTF-8. If it is latin-1 (ISO-8859-1, Windows-1252), read it with --encoding latin1',
      problem ? { file, line: problem.line, field: 'encoding' } : { file, field: 'encoding' },
    );
  }
  if (problem) return inputError(problem.message, { file, line: problem.line });
  return inputError(`cannot read the file as CSV: ${firstErrorLine(e)}`, { file });
}

/** The first line of a database error, without its class prefix. */
export function firstErrorLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')[0]!
    .replace(/^[A-Za-z ]+Error: /, '');
}
