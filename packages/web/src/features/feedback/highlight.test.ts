import { describe, expect, it } from 'vitest';
import { segments } from './highlight.tsx';

describe('segments', () => {
  it('cuts a comment at the hit spans, keeping markup as plain text', () => {
    expect(segments('<script>alert(1)</script> bad', [[1, 7]])).toEqual([
      { text: '<', hit: false },
      { text: 'script', hit: true },
      { text: '>alert(1)</script> bad', hit: false },
    ]);
  });
  it('ignores spans out of order or out of range, and gives the whole text without hits', () => {
    expect(segments('wait', [])).toEqual([{ text: 'wait', hit: false }]);
    expect(
      segments('wait wait', [
        [5, 9],
        [0, 4],
        [7, 20],
      ]).map((s) => s.text),
    ).toEqual(['wait ', 'wait']);
  });
});
