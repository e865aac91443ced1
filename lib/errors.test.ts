import { describe, expect, it } from 'vitest';
import { AppError, databaseUnavailable, isDatabaseUnavailable } from './errors';

describe('isDatabaseUnavailable', () => {
  it('knows connection failures, also wrapped by drizzle, from errors the database answered', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    // A server error quoting user input that reads like an outage is still the server answering.
    expect(isDatabaseUnavailable(Object.assign(new Error('invalid input syntax for type bigint: "Connection terminated"'), { code: '22P02' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
  });
});

describe('AppError, the one error class', () => {
  it('decides status, code and body for every HTTP API from its code', async () => {
    const refused = new AppError('quota_exceeded', 'No calls left.', { upgradeUrl: 'https://example.com/pricing' });
    const response = refused.toResponse({ 'X-Quota-Remaining': '0' });
    expect(response.status).toBe(402);
    expect(response.headers.get('x-tally-known-error')).toBe('QUOTA_EXCEEDED');
    expect(response.headers.get('x-quota-remaining')).toBe('0');
    expect(await response.json()).toEqual({ code: 'QUOTA_EXCEEDED', error: 'No calls left.', details: { upgradeUrl: 'https://example.com/pricing' } });
    expect(new AppError('invalid_input', 'Bad.').toBody()).toEqual({ code: 'SCHEMA_ERROR', error: 'Bad.' });
    expect(new AppError('not_purchasable', 'Only once.').apiCode).toBe('NOT_PURCHASABLE');
    const outage = databaseUnavailable().toResponse();
    expect([outage.status, outage.headers.get('retry-after')]).toEqual([503, '5']);
  });
});
