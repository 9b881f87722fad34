/**
 * Labelled comments from a CSV (issue 5: "a user labels comments … in the cockpit or from a CSV").
 * Parsed in the browser (RFC 4180: quoted fields, doubled quotes, newlines inside quotes; comma,
 * semicolon or tab as found in the header) so a bad file is refused with the line at fault before
 * anything is sent. The header names the columns: `text` (or `comment`) and `label`; `id` optional.
 */
export interface CsvLabel {
  text: string;
  label: string;
  responseId?: string;
}

export class CsvLabelError extends Error {}

/** Rows of fields, each with the 1-based line it starts on. */
function parseCsv(src: string, sep: string): { fields: string[]; line: number }[] {
  const rows: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ fields, line: start });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += ch;
  }
  if (quoted) throw new CsvLabelError(`line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) {
    fields.push(field);
    rows.push({ fields, line: start });
  }
  return rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

export function parseLabelCsv(src: string, file = 'the file'): CsvLabel[] {
  const text = src.replace(/^\uFEFF/, '');
  const head = text.slice(0, text.search(/\r?\n|$/));
  const sep = [',', ';', '\t'].sort((a, b) => head.split(b).length - head.split(a).length)[0]!;
  const [header, ...rows] = parseCsv(text, sep);
  if (!header) throw new CsvLabelError(`${file} is empty`);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const ti = names.findIndex((n) => n === 'text' || n === 'comment');
  const li = names.indexOf('label');
  const ii = names.findIndex((n) => n === 'id' || n === 'response_id');
  if (ti < 0) throw new CsvLabelError(`${file}, line 1: no "text" (or "comment") column in the header`);
  if (li < 0) throw new CsvLabelError(`${file}, line 1: no "label" column in the header`);
  if (rows.length === 0) throw new CsvLabelError(`${file} has a header but no rows`);
  return rows.map(({ fields, line }) => {
    const t = (fields[ti] ?? '').trim();
    const label = (fields[li] ?? '').trim();
    if (!t) throw new CsvLabelError(`${file}, line ${line}, field text: empty`);
    if (!label) throw new CsvLabelError(`${file}, line ${line}, field label: empty`);
    if (label.length > 100) throw new CsvLabelError(`${file}, line ${line}, field label: longer than 100`);
    if (t.length > 20_000) throw new CsvLabelError(`${file}, line ${line}, field text: longer than 20,000`);
    const id = ii >= 0 ? (fields[ii] ?? '').trim() : '';
    return id ? { text: t, label, responseId: id } : { text: t, label };
  });
}
