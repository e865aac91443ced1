import { describe, expect, it } from 'vitest';
import { testDatabaseName, testDatabasesToDrop, testRunId } from './testing';

const hour = 3_600_000;

describe('test databases on PostgreSQL (names and clean-up)', () => {
  it('names each database after its run (TALLY_TEST_RUN_ID, from test/postgres-suite.mjs) and when it was made', () => {
    expect(testRunId({ TALLY_TEST_RUN_ID: 'a1b2c3' })).toBe('a1b2c3');
    expect(testRunId({})).toBe('solo');
    expect(() => testRunId({ TALLY_TEST_RUN_ID: "x'; drop database y; --" })).toThrow(/lowercase letters and digits/);
    const name = testDatabaseName('a1b2c3', Date.UTC(2026, 10, 26));
    expect(name).toMatch(/^tally_t_a1b2c3_[a-z0-9]+_[a-z0-9]{12}$/);
    expect(name.length).toBeLessThanOrEqual(63); // PostgreSQL's limit for a name
    expect(testDatabaseName('a1b2c3')).not.toBe(testDatabaseName('a1b2c3'));
  });

  it("drops a run's own databases and day-old leftovers, never a concurrent run's nor a name of another shape", () => {
    const now = Date.UTC(2026, 10, 26, 12);
    const mine = testDatabaseName('mine', now - hour);
    const concurrent = testDatabaseName('other', now - hour);
    const leftover = testDatabaseName('gone', now - 25 * hour);
    const names = [mine, concurrent, leftover, 'tally_t_0123456789abcdef', 'tally_tpl_0123456789ab', 'tally'];
    expect(testDatabasesToDrop(names, { runId: 'mine', now })).toEqual([mine, leftover]);
    expect(testDatabasesToDrop(names, { runId: null, now })).toEqual([leftover]);
    expect(testDatabasesToDrop(names, { runId: 'other', now })).toEqual([concurrent, leftover]);
  });
});
