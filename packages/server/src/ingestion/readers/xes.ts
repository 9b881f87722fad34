import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type AppError, inputError, isAppError } from '@cx/core';

/**
 * Streaming reader for XES event logs (IEEE 1849), plain or gzip-compressed.
 *
 * Why hand-written: a generic SAX parser emits a callback and an attribute object per token and
 * runs far below the 200k events/s we need. XES uses a tiny, regular subset of XML, so this module
 * scans the decoded text with `indexOf`/`charCodeAt`, keeps only `key` and `value` of each element
 * and never holds more than one read chunk (plus the current trace's not yet released events) in
 * memory. It still checks what a user could get wrong: tag nesting, quoting, entities, truncation.
 *
 * Decisions (see also /work/shared/data/eventlogs/README.md):
 * - Only direct attribute children of `<trace>` and `<event>` are read. Everything at log level
 *   (`<global>`, `<extension>`, `<classifier>`, log attributes and nested `meta_*` attributes) is
 *   skipped. `<global>` defaults are NOT applied to events that lack an attribute (PM4Py doesn't
 *   either), so an event without `concept:name` or `time:timestamp` is an error.
 * - Nested attributes (children of an attribute element, `<list>`, `<container>`) are ignored:
 *   the parent attribute keeps its own `value`; a `<list>`/`<container>` has none and is dropped.
 *   The warehouse keeps attributes as a flat JSON object and no log we know needs more.
 * - `time:timestamp` becomes a true UTC instant (offset honoured, no offset = UTC). Other `<date>`
 *   attributes are kept verbatim as ISO strings, because their offset carries the local date.
 * - `concept:name`, `time:timestamp`, `lifecycle:transition` and `org:resource` of an event go to
 *   their own fields and are not repeated in `attributes`.
 * - Trace attributes come before the events in XES; if a trace names its case only after some
 *   events, those events are held back until `</trace>`. `caseAttributes` is one object shared by
 *   all events of a trace — do not mutate it.
 * - The encoding comes from a byte-order mark or the XML declaration (default UTF-8; UTF-16 and
 *   single-byte encodings such as ISO-8859-1 are supported); bytes that are invalid in it are an
 *   error with a hint, never silently replaced.
 * - Literal tabs and newlines inside a value are kept (XML would normalise them to spaces).
 */

export type XesValue = string | number | boolean | null;
export type XesAttributes = Record<string, XesValue>;

export interface XesEvent {
  /** `concept:name` of the enclosing `<trace>`. Always a string, never parsed as a number. */
  caseId: string;
  /** `concept:name` of the `<event>`. */
  activity: string;
  /** `time:timestamp` as epoch milliseconds of the true UTC instant (offset applied). */
  ts: number;
  /** `lifecycle:transition`, or null when absent. */
  lifecycle: string | null;
  /** `org:resource`, or null when absent. */
  resource: string | null;
  /** All other direct attributes of the event, typed by their XES element: string, id and date
   * (the ISO text as written) → string; int, float → number (an int beyond 2^53 stays a string so
   * no digit is lost; float NaN/INF → null); boolean → boolean. */
  attributes: XesAttributes;
  /** Trace attributes other than `concept:name`; the same object for every event of the trace. */
  caseAttributes: XesAttributes;
  /** 1-based line of the `<event>` start tag, for messages. */
  line: number;
  /** 0-based position of the event in the file; a stable tie-break for equal timestamps. */
  ordinal: number;
}

export interface ReadXesOptions {
  /** Events per yielded batch (default 10,000); the last batch may be smaller. */
  batchSize?: number;
  /** Name of the file in error messages (default: the path as given). */
  fileLabel?: string;
  /** Called after every chunk read from disk, e.g. to drive a progress bar. Bytes are of the file
   * on disk, so for `.xes.gz` they count compressed bytes. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Bytes per read (default 1 MiB). Tests use tiny values to split tags across chunks. */
  readSize?: number;
}

const DEFAULT_BATCH = 10_000;

/**
 * Reads an XES or gzip-compressed XES file (detected by its magic bytes 1f 8b, whatever its name)
 * as batches of events in file order. Throws an `AppError` of code `bad_input` naming the file and
 * line on anything malformed; the caller runs the whole import in one transaction, so throwing
 * after some batches were consumed is fine.
 */
export async function* readXes(path: string, opts: ReadXesOptions = {}): AsyncGenerator<XesEvent[]> {
  const file = opts.fileLabel ?? path;
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH);
  const { gzip, size } = await sniffFile(path, file);

  const src = createReadStream(path, { highWaterMark: opts.readSize ?? 1 << 20 });
  // pipeline() destroys every stage on error, so a read error or corrupt gzip surfaces in the loop.
  const stream: Readable = gzip
    ? pipeline(
        src,
        createGunzip({ chunkSize: Math.max(64, Math.min(opts.readSize ?? 1 << 18, 1 << 18)) }),
        () => {},
      )
    : src;
  const scanner = new XesScanner(file);
  let text: ChunkText | null = null;
  let head: Buffer | null = null; // first bytes, kept until the encoding is known

  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        opts.onProgress?.(src.bytesRead, size);
        let bytes = chunk;
        if (!text) {
          // Sniff the encoding from a BOM or the XML declaration, which fit in the first bytes.
          head = head ? Buffer.concat([head, chunk]) : chunk;
          if (head.length < 256) continue;
          text = new ChunkText(head, file, scanner);
          bytes = head.subarray(text.bomLength);
          head = null;
        }
        scanner.feed(text.next(bytes, false), false);
        while (scanner.releasable() >= batchSize) yield scanner.take(batchSize);
      }
    } catch (e) {
      throw wrapStreamError(e, file, gzip, scanner);
    }
    if (!text) {
      const bytes = head ?? Buffer.alloc(0);
      text = new ChunkText(bytes, file, scanner);
      scanner.feed(text.next(bytes.subarray(text.bomLength), false), false);
    }
    scanner.feed(text.next(Buffer.alloc(0), true), true);
    while (scanner.releasable() > 0) yield scanner.take(batchSize);
  } finally {
    // Also runs when the consumer stops early (break / throw in its loop): release the file.
    stream.destroy();
    src.destroy();
  }
}

/**
 * Turns read chunks into text for the scanner. Each text starts with the scanner's unconsumed tail
 * (a tag cut by the chunk boundary), re-decoded from the bytes it came from: scanning a freshly
 * decoded flat string is about twice as fast in V8 as scanning `tail + chunk`, a cons string.
 * A character split across chunks is carried to the next chunk.
 */
class ChunkText {
  readonly bomLength: number;
  private readonly unit: 'utf8' | 'utf16le' | 'utf16be' | 'single';
  private readonly decoder: TextDecoder;
  private readonly encoding: string;
  private prev: Buffer = Buffer.alloc(0);
  private prevEnd = 0;

  constructor(
    head: Buffer,
    private readonly file: string,
    private readonly scanner: XesScanner,
  ) {
    let label: string;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) [label, this.bomLength] = ['utf-8', 3];
    else if (head[0] === 0xff && head[1] === 0xfe) [label, this.bomLength] = ['utf-16le', 2];
    else if (head[0] === 0xfe && head[1] === 0xff) [label, this.bomLength] = ['utf-16be', 2];
    else {
      this.bomLength = 0;
      const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
        head.toString('latin1', 0, 256),
      );
      label = decl ? decl[1]!.toLowerCase() : 'utf-8';
    }
    if (label === 'utf-8' || label === 'utf8') this.unit = 'utf8';
    else if (label === 'utf-16le' || label === 'utf-16') this.unit = 'utf16le';
    else if (label === 'utf-16be') this.unit = 'utf16be';
    else if (/^(us-ascii|ascii|iso[-_]?8859-\d{1,2}|latin-?1|l1|windows-125\d|cp125\d)$/.test(label))
      this.unit = 'single';
    else throw inputError(`unsupported encoding "${label}" in the XML declaration`, { file, line: 1 });
    this.encoding = label;
    // ignoreBOM: a U+FEFF that happens to start a later chunk is data, not a byte-order mark.
    this.decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  }

  next(chunk: Buffer, final: boolean): string {
    const tail = this.scanner.pending();
    const keep =
      this.unit === 'utf8'
        ? Buffer.byteLength(tail, 'utf8')
        : this.unit === 'single'
          ? tail.length
          : tail.length * 2;
    const start = this.prevEnd - keep;
    const prev = this.prev;
    const all =
      start === prev.length
        ? chunk
        : chunk.length === 0
          ? prev.subarray(start)
          : Buffer.concat([prev.subarray(start), chunk]);
    const end = final ? all.length : this.boundary(all);
    this.prev = all;
    this.prevEnd = end;
    try {
      // TextDecoder gives a flat in-heap string; Buffer#toString makes chunks over ~1 MB external
      // strings, on which charCodeAt is measurably slower.
      return this.decoder.decode(all.subarray(0, end));
    } catch {
      const hint =
        this.unit === 'utf8'
          ? '; if it is latin-1, declare it in the header: <?xml version="1.0" encoding="ISO-8859-1"?>'
          : '';
      throw inputError(`the file is not valid ${this.encoding} text${hint}`, {
        file: this.file,
        line: this.scanner.currentLine(),
      });
    }
  }

  /** End of the last complete character in `b`. */
  private boundary(b: Buffer): number {
    const len = b.length;
    if (this.unit === 'single') return len;
    if (this.unit === 'utf8') {
      let i = len - 1;
      while (i >= 0 && len - i < 4 && (b[i]! & 0xc0) === 0x80) i--;
      if (i < 0) return len;
      const lead = b[i]!;
      const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
      return len - i >= need ? len : i;
    }
    let end = len & ~1;
    if (end >= 2) {
      const unit =
        this.unit === 'utf16le' ? b[end - 2]! | (b[end - 1]! << 8) : (b[end - 2]! << 8) | b[end - 1]!;
      if (unit >= 0xd800 && unit <= 0xdbff) end -= 2; // high surrogate: its pair is in the next chunk
    }
    return end;
  }
}

async function sniffFile(path: string, file: string): Promise<{ gzip: boolean; size: number }> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw inputError(code === 'ENOENT' ? 'file not found' : `cannot open the file (${code ?? String(e)})`, {
      file,
    });
  }
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    const { size } = await fh.stat();
    return { gzip: bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b, size };
  } finally {
    await fh.close();
  }
}

function wrapStreamError(e: unknown, file: string, gzip: boolean, scanner: XesScanner): AppError {
  if (isAppError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  if (gzip && typeof err.code === 'string' && err.code.startsWith('Z_')) {
    return inputError(`corrupt or truncated gzip data (${err.message})`, {
      file,
      line: scanner.currentLine(),
    });
  }
  return inputError(`cannot read the file (${err.message ?? String(e)})`, { file });
}

// ---------------------------------------------------------------------------------------------
// Scanner

const GT = 62; // >
const SLASH = 47;
const BANG = 33;
const QMARK = 63;
const EQ = 61;
const DQUOTE = 34;
const SQUOTE = 39;
const INF = Number.POSITIVE_INFINITY;

/** Scalar type of an XES attribute element, by element name. */
const Typed = { None: 0, Str: 1, Date: 2, Int: 3, Float: 4, Bool: 5 } as const;
type Typed = (typeof Typed)[keyof typeof Typed];

function typeOf(name: string): Typed {
  switch (name) {
    case 'string':
    case 'id':
      return Typed.Str;
    case 'date':
      return Typed.Date;
    case 'int':
      return Typed.Int;
    case 'float':
      return Typed.Float;
    case 'boolean':
      return Typed.Bool;
    default:
      return Typed.None; // list, container and unknown elements carry no scalar value
  }
}

/** Element names XES uses, so the hot path reuses one string instead of slicing a new one per tag. */
const KNOWN_NAMES = [
  'string',
  'date',
  'int',
  'float',
  'boolean',
  'id',
  'event',
  'trace',
  'log',
  'list',
  'container',
  'values',
  'global',
  'extension',
  'classifier',
];
/** Slot = length * 128 + first char; all known names have distinct slots. */
const NAME_SLOTS: (string | undefined)[] = [];
for (const n of KNOWN_NAMES) NAME_SLOTS[n.length * 128 + n.charCodeAt(0)] = n;

const INT_RE = /^[+-]?\d+$/;

/** Whether b[s, s + len) equals c. A loop of charCodeAt beats startsWith, a builtin call, here. */
function sameText(b: string, s: number, len: number, c: string): boolean {
  if (c.length !== len) return false;
  for (let k = 0; k < len; k++) if (b.charCodeAt(s + k) !== c.charCodeAt(k)) return false;
  return true;
}

/**
 * V8's one flat copy of a string, as used for property names. For cached keys: it does not keep
 * the 1 MiB chunk it was sliced from alive, compares fast (charCodeAt on a slice is slower) and
 * is ready to be a property name. Only keys go through here, and a log has few distinct keys.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: 0 })[0]!;
}

const KEY_OTHER = 0;
const KEY_NAME = 1;
const KEY_TIME = 2;
const KEY_LIFECYCLE = 3;
const KEY_RESOURCE = 4;

function keyKindOf(k: string): number {
  switch (k) {
    case 'concept:name':
      return KEY_NAME;
    case 'time:timestamp':
      return KEY_TIME;
    case 'lifecycle:transition':
      return KEY_LIFECYCLE;
    case 'org:resource':
      return KEY_RESOURCE;
    default:
      return KEY_OTHER;
  }
}

/** b at i is ` value="`. */
function isValueOpener(b: string, i: number): boolean {
  return (
    b.charCodeAt(i) === 32 &&
    b.charCodeAt(i + 1) === 118 &&
    b.charCodeAt(i + 2) === 97 &&
    b.charCodeAt(i + 3) === 108 &&
    b.charCodeAt(i + 4) === 117 &&
    b.charCodeAt(i + 5) === 101 &&
    b.charCodeAt(i + 6) === 61 &&
    b.charCodeAt(i + 7) === 34
  );
}

/** s[start, end) as an integer if it is a plain one of at most 15 digits, else NaN. */
function smallIntAt(s: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  if (i === end || end - i > 15) return Number.NaN;
  let x = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    x = x * 10 + d;
  }
  return neg ? -x : x;
}

/**
 * Incremental XES tokenizer and event builder. Each `feed` text starts with `pending()`, the tag
 * the previous chunk ended in, so a tag is always scanned whole.
 *
 * Speed notes: one `indexOf('<')` per tag gives both the tag start and a bound for the current tag
 * (no '<' may occur inside a tag, so a value running past it is an unclosed quote); '&' is found
 * with a cursor that is moved once per entity, so values without entities are plain slices; keys
 * come from a small cache of internalised strings; the usual ` key="…" value="…"/>` shape has a loop-free fast path.
 * Measured alternatives that lost: String#startsWith (a builtin call) instead of charCodeAt
 * compares, a value cache, scanning `tail + chunk` (a cons string) instead of a re-decoded chunk.
 */
class XesScanner {
  private buf = '';
  private pos = 0;
  /** Line of position `nextNl` (= 1 + newlines before it); `nextNl` is the first uncounted '\n'. */
  private line = 1;
  private nextNl = INF;
  private searchedTo = 0;
  /** Position of the next '&' at or after the last value start; -1 = search again. */
  private nextAmp = -1;

  private readonly stack: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private traceDepth = -1;
  private eventDepth = -1;

  private caseId: string | null = null;
  private caseAttrs: XesAttributes = {};
  private traceLine = 0;
  private unresolved = 0;

  private activity: string | null = null;
  private ts = Number.NaN;
  private hasTs = false;
  private lifecycle: string | null = null;
  private resource: string | null = null;
  private attrs: XesAttributes = {};
  private eventLine = 0;
  private ordinal = 0;

  // The element just read by startTag: name, and the [start, end) of its key and value (-1: none).
  private tagName = '';
  private keyS = -1;
  private keyE = -1;
  private keyAmp = false;
  private valS = -1;
  private valE = -1;
  private valAmp = false;

  private readonly keyCache: (string | undefined)[] = new Array(1024);
  private readonly keyKinds = new Uint8Array(1024);
  private keyKind = KEY_OTHER;

  out: XesEvent[] = [];

  constructor(private readonly file: string) {}

  /** Events whose case id is known and that can be handed out. */
  releasable(): number {
    return this.out.length - this.unresolved;
  }

  take(n: number): XesEvent[] {
    const k = Math.min(n, this.releasable());
    if (k === this.out.length) {
      const all = this.out;
      this.out = [];
      return all;
    }
    return this.out.splice(0, k);
  }

  currentLine(): number {
    return this.lineAt(this.pos);
  }

  /** The unconsumed end of the buffer (a cut tag); the next `feed` text must start with it. */
  pending(): string {
    return this.buf.slice(this.pos);
  }

  /** Scans `text`, which starts with `pending()` followed by new input. */
  feed(text: string, final: boolean): void {
    // Count the lines of the consumed part before dropping it, then rebase positions.
    this.lineAt(this.pos);
    const cut = this.pos;
    this.buf = text;
    this.pos = 0;
    this.nextNl = this.nextNl === INF ? INF : this.nextNl - cut;
    this.searchedTo = Math.max(0, this.searchedTo - cut);
    this.nextAmp = -1;
    if (this.nextNl === INF) {
      const nl = text.indexOf('\n', this.searchedTo);
      this.nextNl = nl < 0 ? INF : nl;
      this.searchedTo = text.length;
    }
    this.scan(final);
    if (final) this.finish();
  }

  /** 1-based line of buffer position `p`; positions must be asked in non-decreasing order. */
  private lineAt(p: number): number {
    while (this.nextNl < p) {
      this.line++;
      const nl = this.buf.indexOf('\n', this.nextNl + 1);
      if (nl < 0) {
        this.nextNl = INF;
        this.searchedTo = this.buf.length;
      } else this.nextNl = nl;
    }
    return this.line;
  }

  private malformed(msg: string, p: number): AppError {
    return inputError(`malformed XML: ${msg}`, { file: this.file, line: this.lineAt(p) });
  }

  private scan(final: boolean): void {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    let lt = b.indexOf('<', p);
    while (lt >= 0) {
      p = lt;
      if (lt + 1 >= n) break;
      const c = b.charCodeAt(lt + 1);
      let next: number;
      let nx: number;
      if (c === SLASH) {
        const gt = b.indexOf('>', lt + 2);
        if (gt < 0) break;
        nx = b.indexOf('<', lt + 1);
        if (nx >= 0 && nx < gt) throw this.malformed(`unclosed end tag "${b.slice(lt, nx).trim()}"`, lt);
        let ne = gt;
        while (ne > lt + 2 && b.charCodeAt(ne - 1) <= 32) ne--;
        this.endTag(this.elementName(b, lt + 2, ne), lt);
        next = gt + 1;
      } else if (c === BANG || c === QMARK) {
        // Comments, CDATA, DOCTYPE, processing instructions may contain '<': search after them.
        next = c === BANG ? this.skipMarkup(b, lt) : b.indexOf('?>', lt + 2);
        if (next < 0) break;
        if (c === QMARK) next += 2;
        nx = b.indexOf('<', next);
      } else {
        nx = b.indexOf('<', lt + 1);
        next = this.startTag(b, lt, nx < 0 ? n : nx, nx < 0);
        if (next < 0) break;
      }
      p = next;
      lt = nx >= next ? nx : b.indexOf('<', next);
    }
    if (lt < 0) p = n;
    this.pos = p;
    if (final && p < n) {
      throw inputError(`the file ends inside a tag${this.openContext()} (truncated file?)`, {
        file: this.file,
        line: this.lineAt(p),
      });
    }
  }

  /** Comments, CDATA and DOCTYPE: nothing in them is data for XES. Returns -1 if incomplete. */
  private skipMarkup(b: string, lt: number): number {
    if (b.length - lt < 9) return -1; // "<![CDATA[" is the longest opener
    if (b.startsWith('<!--', lt)) {
      const end = b.indexOf('-->', lt + 4);
      return end < 0 ? -1 : end + 3;
    }
    if (b.startsWith('<![CDATA[', lt)) {
      const end = b.indexOf(']]>', lt + 9);
      return end < 0 ? -1 : end + 3;
    }
    if (b.startsWith('<!DOCTYPE', lt)) {
      const gt = b.indexOf('>', lt);
      const bracket = b.indexOf('[', lt);
      if (bracket >= 0 && (gt < 0 || bracket < gt)) {
        const end = b.indexOf(']>', bracket);
        return end < 0 ? -1 : end + 2;
      }
      return gt < 0 ? -1 : gt + 1;
    }
    throw this.malformed(`unexpected "${b.slice(lt, lt + 9)}"`, lt);
  }

  /**
   * Reads a start tag at `lt` that must end before `lim` (the next '<'). Returns the position after
   * it, or -1 if the buffer ends first (`open`: no further '<' is in the buffer yet).
   */
  private startTag(b: string, lt: number, lim: number, open: boolean): number {
    let i = lt + 1;
    let c = 0;
    while (i < lim) {
      c = b.charCodeAt(i);
      if (c <= 32 || c === SLASH || c === GT) break;
      i++;
    }
    if (i >= lim) return this.cut(open, 'tag', lt);
    if (i === lt + 1) throw this.malformed('"<" not followed by a tag name', lt);
    const name = this.elementName(b, lt + 1, i);
    this.keyS = -1;
    this.valS = -1;
    const fast = this.fastAttributes(b, i, lim);
    if (fast > 0) {
      this.tagName = name;
      const selfClosing = b.charCodeAt(fast) === SLASH;
      this.openElement(lt, selfClosing);
      return selfClosing ? fast + 2 : fast + 1;
    }
    let selfClosing = false;
    for (;;) {
      while (i < lim && b.charCodeAt(i) <= 32) i++;
      if (i >= lim) return this.cut(open, 'tag', lt);
      c = b.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (i + 1 >= lim) return this.cut(open, 'tag', lt);
        if (b.charCodeAt(i + 1) !== GT) throw this.malformed(`stray "/" in <${name}>`, lt);
        selfClosing = true;
        i += 2;
        break;
      }
      const an = i;
      while (i < lim) {
        c = b.charCodeAt(i);
        if (c <= 32 || c === EQ || c === GT || c === SLASH) break;
        i++;
      }
      const ae = i;
      if (ae === an) throw this.malformed(`unexpected "${b[an]}" in <${name}>`, lt);
      while (i < lim && b.charCodeAt(i) <= 32) i++;
      if (i >= lim) return this.cut(open, 'tag', lt);
      if (b.charCodeAt(i) !== EQ)
        throw this.malformed(`attribute "${b.slice(an, ae)}" of <${name}> has no value`, lt);
      i++;
      while (i < lim && b.charCodeAt(i) <= 32) i++;
      if (i >= lim) return this.cut(open, 'tag', lt);
      const q = b.charCodeAt(i);
      if (q !== DQUOTE && q !== SQUOTE)
        throw this.malformed(`attribute value of <${name}> is not quoted`, lt);
      const vs = i + 1;
      const j = b.indexOf(q === DQUOTE ? '"' : "'", vs);
      if (j < 0 || j >= lim) {
        if (open && j < 0) return -1;
        throw this.malformed(`"<" inside an attribute value of <${name}> (unclosed quote?)`, lt);
      }
      let amp = this.nextAmp;
      if (amp < vs) {
        const a = b.indexOf('&', vs);
        amp = this.nextAmp = a < 0 ? INF : a;
      }
      i = j + 1;
      const len = ae - an;
      if (
        len === 3 &&
        b.charCodeAt(an) === 107 &&
        b.charCodeAt(an + 1) === 101 &&
        b.charCodeAt(an + 2) === 121
      ) {
        this.keyS = vs;
        this.keyE = j;
        this.keyAmp = amp < j;
      } else if (len === 5 && b.startsWith('value', an)) {
        this.valS = vs;
        this.valE = j;
        this.valAmp = amp < j;
      }
      if (i < lim) {
        c = b.charCodeAt(i);
        if (c > 32 && c !== GT && c !== SLASH)
          throw this.malformed(`missing space between attributes of <${name}>`, lt);
      }
    }
    this.tagName = name;
    this.openElement(lt, selfClosing);
    return i;
  }

  /**
   * The shape nearly every XES element has: ` key="…" value="…"/>` (or `>`), double quotes, single
   * spaces. Matches it without the general loop; returns the position of the closing "/" or ">",
   * or -1 to let the general parser handle (and judge) anything else.
   */
  private fastAttributes(b: string, i: number, lim: number): number {
    if (
      b.charCodeAt(i) !== 32 ||
      b.charCodeAt(i + 1) !== 107 /* k */ ||
      b.charCodeAt(i + 2) !== 101 /* e */ ||
      b.charCodeAt(i + 3) !== 121 /* y */ ||
      b.charCodeAt(i + 4) !== EQ ||
      b.charCodeAt(i + 5) !== DQUOTE
    ) {
      return -1;
    }
    const ks = i + 6;
    const ke = b.indexOf('"', ks);
    if (ke < 0 || ke + 10 >= lim || !isValueOpener(b, ke + 1)) return -1;
    const vs = ke + 9;
    const ve = b.indexOf('"', vs);
    if (ve < 0 || ve + 1 >= lim) return -1;
    const c = b.charCodeAt(ve + 1);
    if (c !== GT && !(c === SLASH && b.charCodeAt(ve + 2) === GT)) return -1;
    let amp = this.nextAmp;
    if (amp < ks) {
      const a = b.indexOf('&', ks);
      amp = this.nextAmp = a < 0 ? INF : a;
    }
    this.keyS = ks;
    this.keyE = ke;
    this.keyAmp = amp < ke;
    this.valS = vs;
    this.valE = ve;
    this.valAmp = amp < ve;
    return ve + 1;
  }

  private cut(open: boolean, what: string, lt: number): number {
    if (open) return -1;
    throw this.malformed(`"<" inside a ${what} (unclosed tag?)`, lt);
  }

  /** The tag name at [s, e); a known XES name is recognised by its length and four characters. */
  private elementName(b: string, s: number, e: number): string {
    const len = e - s;
    const known = len < 16 ? NAME_SLOTS[len * 128 + b.charCodeAt(s)] : undefined;
    if (
      known !== undefined &&
      b.charCodeAt(s + 1) === known.charCodeAt(1) &&
      b.charCodeAt(e - 2) === known.charCodeAt(len - 2) &&
      b.charCodeAt(e - 1) === known.charCodeAt(len - 1)
    ) {
      return known;
    }
    return b.slice(s, e);
  }

  /**
   * The key as a string from a small cache (keys repeat, and a cached key is hashed once as a
   * property name); also sets `keyKind`, so the hot path never compares key strings.
   */
  private keyText(lt: number): string {
    if (this.keyAmp) {
      const k = this.decode(this.buf.slice(this.keyS, this.keyE), lt);
      this.keyKind = keyKindOf(k);
      return k;
    }
    const b = this.buf;
    const s = this.keyS;
    const e = this.keyE;
    const len = e - s;
    const h =
      len === 0
        ? 0
        : (len * 31 + b.charCodeAt(s) * 7 + b.charCodeAt(e - 1) * 131 + b.charCodeAt(s + (len >> 1)) * 17) &
          1023;
    const c = this.keyCache[h];
    if (c !== undefined && sameText(b, s, len, c)) {
      this.keyKind = this.keyKinds[h]!;
      return c;
    }
    const v = internalized(b.slice(s, e));
    this.keyCache[h] = v;
    this.keyKind = this.keyKinds[h] = keyKindOf(v);
    return v;
  }

  /** Values are plain slices: most are unique (ids, times), and checking a cache costs more. */
  private valueText(lt: number): string {
    return this.valAmp
      ? this.decode(this.buf.slice(this.valS, this.valE), lt)
      : this.buf.slice(this.valS, this.valE);
  }

  /**
   * Expands the five XML entities and character references. Literal tabs and newlines in a value
   * are kept as they are (a validating XML parser would turn them into spaces; keeping them loses
   * nothing and saves a scan of every value).
   */
  private decode(s: string, lt: number): string {
    let out = '';
    let last = 0;
    let i = s.indexOf('&');
    while (i >= 0) {
      const semi = s.indexOf(';', i + 1);
      if (semi < 0 || semi - i > 10) throw this.malformed(`"&" not starting an entity (write &amp;)`, lt);
      out += s.slice(last, i) + this.entity(s.slice(i + 1, semi), lt);
      last = semi + 1;
      i = s.indexOf('&', last);
    }
    return out + s.slice(last);
  }

  private entity(e: string, lt: number): string {
    switch (e) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    if (e.charCodeAt(0) === 35 /* # */) {
      const hex = e.charCodeAt(1) === 120; /* x */
      const digits = e.slice(hex ? 2 : 1);
      if (hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits)) {
        const cp = Number.parseInt(digits, hex ? 16 : 10);
        if (cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)) return String.fromCodePoint(cp);
      }
    }
    throw this.malformed(`unknown entity "&${e};"`, lt);
  }

  private openElement(lt: number, selfClosing: boolean): void {
    const name = this.tagName;
    const depth = this.stack.length;
    if (this.eventDepth >= 0) {
      if (depth === this.eventDepth + 1) {
        if (name === 'event' || name === 'trace') throw this.malformed(`<${name}> inside an <event>`, lt);
        this.eventAttribute(lt);
      }
      // Deeper: a nested attribute of an event attribute; ignored (see the module comment).
    } else if (this.traceDepth >= 0) {
      if (depth === this.traceDepth + 1) {
        if (name === 'event') this.startEvent(lt);
        else if (name === 'trace') throw this.malformed('<trace> inside a <trace>', lt);
        else this.traceAttribute(lt);
      } else if (name === 'event' || name === 'trace') {
        throw this.malformed(`<${name}> inside a trace attribute`, lt);
      }
    } else if (depth === 0) {
      if (this.rootClosed) throw this.malformed(`<${name}> after the end of <log>`, lt);
      const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
      if (local !== 'log') {
        throw inputError(`not an XES file: the root element is <${name}>, expected <log>`, {
          file: this.file,
          line: this.lineAt(lt),
        });
      }
      this.rootSeen = true;
    } else if (name === 'trace') {
      if (depth !== 1) throw this.malformed('<trace> must be a direct child of <log>', lt);
      this.startTrace(lt);
    } else if (name === 'event') {
      throw inputError('<event> outside a <trace>: it has no case id', {
        file: this.file,
        line: this.lineAt(lt),
      });
    }
    // Anything else outside a trace (<global>, <extension>, <classifier>, log and meta attributes)
    // is not event data and is skipped together with its children.
    if (!selfClosing) this.stack.push(name);
    else if (depth === 0 || name === 'event' || name === 'trace') {
      // An empty <event/> or <trace/> still has to end (and be judged); other empty elements
      // leave nothing to close.
      this.stack.push(name);
      this.closeElement();
    }
  }

  private endTag(name: string, lt: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) throw this.malformed(`</${name}> without a matching start tag`, lt);
    if (top !== name) throw this.malformed(`</${name}> closes <${top}>`, lt);
    this.closeElement();
  }

  private closeElement(): void {
    this.stack.pop();
    const depth = this.stack.length;
    if (depth === this.eventDepth) this.endEvent();
    else if (depth === this.traceDepth) this.endTrace();
    else if (depth === 0) this.rootClosed = true;
  }

  private startTrace(lt: number): void {
    this.traceDepth = this.stack.length;
    this.traceLine = this.lineAt(lt);
    this.caseId = null;
    this.caseAttrs = {};
  }

  private endTrace(): void {
    this.traceDepth = -1;
    if (this.caseId === null) {
      throw inputError('<trace> has no concept:name (the case id)', {
        file: this.file,
        line: this.traceLine,
        field: 'concept:name',
      });
    }
    const out = this.out;
    for (let i = out.length - this.unresolved; i < out.length; i++) out[i]!.caseId = this.caseId;
    this.unresolved = 0;
  }

  private traceAttribute(lt: number): void {
    const key = this.requireKey(lt);
    if (key === undefined) return;
    if (this.keyKind === KEY_NAME) {
      this.caseId = this.requireValue(key, lt);
      return;
    }
    const v = this.typedValue(key, lt);
    if (v !== undefined) this.caseAttrs[key] = v;
  }

  private startEvent(lt: number): void {
    this.eventDepth = this.stack.length;
    this.eventLine = this.lineAt(lt);
    this.activity = null;
    this.hasTs = false;
    this.lifecycle = null;
    this.resource = null;
    this.attrs = {};
  }

  private eventAttribute(lt: number): void {
    const key = this.requireKey(lt);
    if (key === undefined) return;
    switch (this.keyKind) {
      case KEY_NAME:
        this.activity = this.requireValue(key, lt);
        return;
      case KEY_TIME: {
        if (this.valS < 0) this.requireValue(key, lt);
        const ts = this.valAmp
          ? parseXesTimestamp(this.valueText(lt))
          : parseTimestampAt(this.buf, this.valS, this.valE);
        if (Number.isNaN(ts)) {
          const raw = this.buf.slice(this.valS, this.valE);
          throw inputError(
            `unparseable timestamp "${raw}" (expected ISO 8601 like 2011-10-11T13:45:40.276+02:00)`,
            {
              file: this.file,
              line: this.lineAt(lt),
              field: 'time:timestamp',
            },
          );
        }
        this.ts = ts;
        this.hasTs = true;
        return;
      }
      case KEY_LIFECYCLE:
        this.lifecycle = this.requireValue(key, lt);
        return;
      case KEY_RESOURCE:
        this.resource = this.requireValue(key, lt);
        return;
    }
    const v = this.typedValue(key, lt);
    if (v !== undefined) this.attrs[key] = v;
  }

  private endEvent(): void {
    this.eventDepth = -1;
    if (this.activity === null) {
      throw inputError('<event> has no concept:name (the activity)', {
        file: this.file,
        line: this.eventLine,
        field: 'concept:name',
      });
    }
    if (!this.hasTs) {
      throw inputError('<event> has no time:timestamp', {
        file: this.file,
        line: this.eventLine,
        field: 'time:timestamp',
      });
    }
    const known = this.caseId !== null;
    this.out.push({
      caseId: known ? (this.caseId as string) : '',
      activity: this.activity,
      ts: this.ts,
      lifecycle: this.lifecycle,
      resource: this.resource,
      attributes: this.attrs,
      caseAttributes: this.caseAttrs,
      line: this.eventLine,
      ordinal: this.ordinal++,
    });
    if (!known) this.unresolved++;
  }

  /** Key of the current attribute element; undefined (skip) for elements that are not attributes. */
  private requireKey(lt: number): string | undefined {
    if (this.keyS >= 0) return this.keyText(lt);
    if (typeOf(this.tagName) === Typed.None && this.tagName !== 'list' && this.tagName !== 'container')
      return undefined;
    throw inputError(`<${this.tagName}> attribute without key`, { file: this.file, line: this.lineAt(lt) });
  }

  private requireValue(key: string, lt: number): string {
    if (this.valS < 0) {
      throw inputError(`<${this.tagName} key="${key}"> has no value`, {
        file: this.file,
        line: this.lineAt(lt),
        field: key,
      });
    }
    return this.valueText(lt);
  }

  private typedValue(key: string, lt: number): XesValue | undefined {
    const t = typeOf(this.tagName);
    if (t === Typed.None) return undefined;
    if (this.valS < 0) return null;
    if (!this.valAmp) {
      // Dates rarely repeat: slice directly instead of going through the cache.
      if (t === Typed.Date) return this.buf.slice(this.valS, this.valE);
      if (t === Typed.Int) {
        const x = smallIntAt(this.buf, this.valS, this.valE);
        if (!Number.isNaN(x)) return x;
      }
    }
    const v = this.valueText(lt);
    switch (t) {
      case Typed.Str:
      case Typed.Date:
        return v;
      case Typed.Int: {
        if (!INT_RE.test(v)) throw this.badValue('an integer', key, v, lt);
        const x = Number(v);
        return Number.isSafeInteger(x) ? x : v;
      }
      case Typed.Float: {
        const x = Number(v);
        if (!Number.isNaN(x) && v.trim().length > 0) return Number.isFinite(x) ? x : null;
        // xs:double spells the special values NaN, INF, -INF; JSON cannot hold them.
        if (v === 'NaN' || v === 'INF' || v === '-INF' || v === '+INF') return null;
        throw this.badValue('a number', key, v, lt);
      }
      case Typed.Bool:
        if (v === 'true' || v === '1') return true;
        if (v === 'false' || v === '0') return false;
        throw this.badValue('true or false', key, v, lt);
    }
    return undefined;
  }

  private badValue(what: string, key: string, v: string, lt: number): AppError {
    return inputError(`<${this.tagName}> value "${v}" is not ${what}`, {
      file: this.file,
      line: this.lineAt(lt),
      field: key,
    });
  }

  private openContext(): string {
    if (this.eventDepth >= 0) return ` (inside the <event> of line ${this.eventLine})`;
    if (this.traceDepth >= 0) return ` (inside the <trace> of line ${this.traceLine})`;
    return '';
  }

  private finish(): void {
    const end = this.buf.length;
    if (!this.rootSeen) {
      throw inputError('not an XES file: no <log> element', { file: this.file, line: this.lineAt(end) });
    }
    if (this.stack.length > 0) {
      throw inputError(
        `the file ends before </${this.stack[this.stack.length - 1]}>${this.openContext()} (truncated file?)`,
        { file: this.file, line: this.lineAt(end) },
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Two decimal digits at i (before `end`), or -1. */
function d2(s: string, i: number, end: number): number {
  if (i + 2 > end) return -1;
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses an XES / ISO 8601 date-time into epoch milliseconds of the true UTC instant, or NaN.
 * Accepted: `YYYY-MM-DD` then `T` (or a space) `hh:mm[:ss[.f{1,9}]]`, then `Z`, `±hh:mm`, `±hhmm`,
 * `±hh` or nothing (= UTC, as XES writers without a zone mean). A date alone is UTC midnight.
 * Fractions are truncated to milliseconds; 24:00:00 is the next midnight. Hand-written because it
 * runs once per event (Date.parse is slower and its handling of non-`T` forms is implementation-defined).
 */
export function parseXesTimestamp(s: string): number {
  return parseTimestampAt(s, 0, s.length);
}

/** `parseXesTimestamp` of s[start, end), without slicing it out of the read buffer first. */
function parseTimestampAt(s: string, start: number, end: number): number {
  const o = start;
  if (end - o < 10 || s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45) return Number.NaN;
  const y1 = d2(s, o, end);
  const y2 = d2(s, o + 2, end);
  const mo = d2(s, o + 5, end);
  const d = d2(s, o + 8, end);
  if (y1 < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const y = y1 * 100 + y2;
  if (d > daysInMonth(y, mo)) return Number.NaN;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let i = o + 10;
  if (i < end) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return Number.NaN;
    h = d2(s, o + 11, end);
    if (h < 0 || h > 24 || o + 13 >= end || s.charCodeAt(o + 13) !== 58) return Number.NaN;
    mi = d2(s, o + 14, end);
    if (mi < 0 || mi > 59) return Number.NaN;
    i = o + 16;
    if (i < end && s.charCodeAt(i) === 58) {
      sec = d2(s, o + 17, end);
      if (sec < 0 || sec > 59) return Number.NaN;
      i = o + 19;
      const dot = i < end ? s.charCodeAt(i) : 0;
      if (dot === 46 || dot === 44) {
        i++;
        const fs = i;
        while (i < end) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          if (i - fs < 3) ms = ms * 10 + c; // digits past milliseconds are truncated
          i++;
        }
        const k = i - fs;
        if (k === 0 || k > 9) return Number.NaN;
        if (k === 1) ms *= 100;
        else if (k === 2) ms *= 10;
      }
    }
    if (h === 24 && (mi !== 0 || sec !== 0 || ms !== 0)) return Number.NaN;
  }
  let off = 0;
  if (i < end) {
    const z = s.charCodeAt(i);
    if (z === 90 /* Z */ || z === 122 /* z */) {
      if (i + 1 !== end) return Number.NaN;
    } else if (z === 43 || z === 45) {
      const oh = d2(s, i + 1, end);
      if (oh < 0 || oh > 23) return Number.NaN;
      let om = 0;
      const rest = end - (i + 3);
      if (rest === 3 && s.charCodeAt(i + 3) === 58) om = d2(s, i + 4, end);
      else if (rest === 2) om = d2(s, i + 3, end);
      else if (rest !== 0) return Number.NaN;
      if (om < 0 || om > 59) return Number.NaN;
      off = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else return Number.NaN;
  }
  return ((daysFromCivil(y, mo, d) * 24 + h) * 60 + mi - off) * 60_000 + sec * 1000 + ms;
}
