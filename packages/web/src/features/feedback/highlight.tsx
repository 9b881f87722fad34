/**
 * Comment text with search hits marked. Comments are untrusted input (they may contain HTML or
 * script), so they are only ever React text children — escaped by React — never HTML.
 */
export interface Segment {
  text: string;
  hit: boolean;
}

/** Cuts `text` at the [start, end) spans (sorted, non-overlapping, as the API returns them). */
export function segments(text: string, spans: readonly (readonly [number, number])[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const [s, e] of spans) {
    if (s < at || e > text.length || e <= s) continue;
    if (s > at) out.push({ text: text.slice(at, s), hit: false });
    out.push({ text: text.slice(s, e), hit: true });
    at = e;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: false });
  return out;
}

export function Highlighted({
  text,
  spans,
}: {
  text: string;
  spans: readonly (readonly [number, number])[];
}) {
  return (
    <>
      {segments(text, spans).map((s, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and never reordered.
        s.hit ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>,
      )}
    </>
  );
}
