import { describe, expect, it } from 'vitest';
import { parseLabelCsv } from './csv-labels.ts';

describe('parseLabelCsv', () => {
  it('reads text, label and id with quotes, doubled quotes and newlines inside quotes', () => {
    const csv = 'id,Text,label\r\nr1,"Late, again",negative\nr2,"He said ""great""\nreally",positive\n\n';
    expect(parseLabelCsv(csv)).toEqual([
      { responseId: 'r1', text: 'Late, again', label: 'negative' },
      { responseId: 'r2', text: 'He said "great"\nreally', label: 'positive' },
    ]);
  });

  it('finds a semicolon separator and a "comment" column; the id is optional', () => {
    expect(parseLabelCsv('\uFEFFcomment;label\nfine;neutral')).toEqual([{ text: 'fine', label: 'neutral' }]);
  });

  it('names the file, line and field of a bad row, counting lines inside quoted fields', () => {
    expect(() => parseLabelCsv('text,label\n"a\nb",x\nc,\n', 'l.csv')).toThrow(
      'l.csv, line 4, field label: empty',
    );
    expect(() => parseLabelCsv('words,label\na,b', 'l.csv')).toThrow('l.csv, line 1: no "text"');
    expect(() => parseLabelCsv('text,label\n"open,x', 'l.csv')).toThrow(
      'line 2: a quoted field is not closed',
    );
  });
});
