import { describe, expect, it } from 'vitest';
import { safeReturnPath, signUpSchema } from './credentials';

describe('credentials', () => {
  it('only returns to paths of this app', () => {
    expect(safeReturnPath('/teams?x=1')).toBe('/teams?x=1');
    expect(safeReturnPath(undefined)).toBe('/dashboard');
    expect(safeReturnPath('https://evil.example')).toBe('/dashboard');
    expect(safeReturnPath('//evil.example')).toBe('/dashboard');
    expect(safeReturnPath('/\\evil.example')).toBe('/dashboard');
  });

  it('normalises emails and explains bad sign-up input', () => {
    expect(signUpSchema.parse({ name: ' Al ', email: ' Al@Example.COM ', password: '12345678' })).toMatchObject({ name: 'Al', email: 'al@example.com' });
    const result = signUpSchema.safeParse({ name: '', email: 'nope', password: 'short' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Enter your name.', 'Enter a valid email address.', 'Use at least 8 characters.']);
  });
});
