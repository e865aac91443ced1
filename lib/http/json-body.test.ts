import { describe, expect, it } from 'vitest';
import { isJsonContentType } from './json-body';

describe('isJsonContentType', () => {
  it('accepts application/json in any case, with a UTF-8 charset or none', () => {
    for (const header of ['application/json', 'Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"']) {
      expect(isJsonContentType(header)).toBe(true);
    }
  });

  it('refuses a missing or other media type and another charset', () => {
    for (const header of [
      null,
      undefined,
      '',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/jsonp',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
    ]) {
      expect(isJsonContentType(header)).toBe(false);
    }
  });
});
