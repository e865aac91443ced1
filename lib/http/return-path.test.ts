import { describe, expect, it } from 'vitest';
import { resolveReturnPath, safeReturnPath } from './return-path';

const APP = 'http://localhost:3000';

describe('return paths', () => {
  it.each([
    ['/teams?x=1', '/teams?x=1'],
    ['/billing#plans', '/billing#plans'],
    [`${APP}/pricing?a=b`, '/pricing?a=b'],
    // encoded characters stay inside the path, where no browser reads them as a host
    ['/%09/evil.example', '/%09/evil.example'],
    ['/%0a/evil.example', '/%0a/evil.example'],
    ['%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/@evil.example', '/@evil.example'],
  ])('keeps the same-app path %j', (value, expected) => {
    expect(resolveReturnPath(value, APP)).toBe(expected);
  });

  it.each([
    ['tab', '/\t/evil.example'],
    ['newline', '/\n/evil.example'],
    ['carriage return', '/\r/evil.example'],
    ['leading tab', '\t//evil.example'],
    ['NUL', '/\u0000/evil.example'],
    ['DEL', '/\u007f/evil.example'],
    ['C1 control', '/\u0085/evil.example'],
    ['protocol-relative', '//evil.example'],
    ['protocol-relative with path', '//evil.example/dashboard'],
    ['backslash after slash', '/\\evil.example'],
    ['two backslashes', '\\\\evil.example'],
    ['mixed slashes', '\\/evil.example'],
    ['scheme without slashes', 'https:evil.example'],
    ['scheme with host', 'https://evil.example/dashboard'],
    ['app host on another port', 'http://localhost:3001/dashboard'],
    ['app host over https', 'https://localhost:3000/dashboard'],
    ['user-info in an absolute URL', 'http://evil.example@localhost:3000/'],
    ['user-info before another host', `${APP}@evil.example/`],
    ['double slash after the origin', `${APP}//evil.example`],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: mixed case', 'JaVaScRiPt:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://evil.example/'],
    ['very long', `/${'a'.repeat(5000)}`],
    ['empty', ''],
    ['not a string', 42],
    ['an array', ['/dashboard']],
  ])('refuses %s', (_name, value) => {
    expect(resolveReturnPath(value, APP)).toBeNull();
  });

  it('falls back silently for navigation parameters', () => {
    expect(safeReturnPath('/\t/evil.example', APP)).toBe('/dashboard');
    expect(safeReturnPath(undefined, APP)).toBe('/dashboard');
    expect(safeReturnPath('javascript:alert(1)', APP, '/billing')).toBe('/billing');
    expect(safeReturnPath('/activity', APP)).toBe('/activity');
  });
});
