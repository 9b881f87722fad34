import { describe, expect, it } from 'vitest';
import { AppError, describeLocation, inputError } from './errors.ts';

describe('AppError', () => {
  it('names file, line and field in input errors', () => {
    const e = inputError('cannot parse "yesterday" as a timestamp', {
      file: 'log.csv',
      line: 7,
      field: 'ts',
    });
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe('log.csv, line 7, field ts: cannot parse "yesterday" as a timestamp');
    expect(e.toJSON()).toEqual({
      error: { code: 'bad_input', message: e.message, details: { file: 'log.csv', line: 7, field: 'ts' } },
    });
  });

  it('uses the item index when there is no line', () => {
    expect(describeLocation({ index: 3, field: 'messageId' })).toBe('item 3, field messageId');
    expect(new AppError('not_found', 'x').toJSON().error.details).toBeNull();
  });
});
