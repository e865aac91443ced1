import { describe, expect, it } from 'vitest';
import { signUpSchema } from './credentials';

describe('credentials', () => {
  it('normalises emails and explains bad sign-up input', () => {
    expect(signUpSchema.parse({ name: ' Al ', email: ' Al@Example.COM ', password: '12345678' })).toMatchObject({ name: 'Al', email: 'al@example.com' });
    const result = signUpSchema.safeParse({ name: '', email: 'nope', password: 'short' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Enter your name.', 'Enter a valid email address.', 'Use at least 8 characters.']);
    expect(signUpSchema.safeParse({ name: 'Al', email: `${'a'.repeat(250)}@example.com`, password: '12345678' }).success).toBe(false);
  });
});
