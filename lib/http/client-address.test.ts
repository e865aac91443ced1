import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address';

describe('client address', () => {
  it('trusts no header unless one is configured', () => {
    expect(clientAddress(new Headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' }), null)).toBeNull();
  });

  it('reads the configured header, taking the entry the trusted proxy appended', () => {
    expect(clientAddress(new Headers({ 'x-real-ip': '198.51.100.7' }), 'x-real-ip')).toBe('198.51.100.7');
    expect(clientAddress(new Headers({ 'x-forwarded-for': '10.0.0.1, 1.2.3.4,  198.51.100.7 ' }), 'x-forwarded-for')).toBe('198.51.100.7');
    expect(clientAddress(new Headers({}), 'x-real-ip')).toBeNull();
  });
});
