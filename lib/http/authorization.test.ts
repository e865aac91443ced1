import { describe, expect, it } from 'vitest';
import { bearerToken } from './authorization';

describe('bearerToken', () => {
  it('reads the token whatever the case of the scheme, as schemes are case-insensitive', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) expect(bearerToken(`${scheme} tally_sk_1`)).toBe('tally_sk_1');
    expect(bearerToken('Bearer   tally_sk_1 ')).toBe('tally_sk_1');
  });

  it('finds no token in a missing, empty, other-scheme or two-token header', () => {
    for (const header of [null, undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwdw==', 'tally_sk_1', 'Bearer a b', 'Bearertally_sk_1']) {
      expect(bearerToken(header)).toBeNull();
    }
  });
});
