import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from './index';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('database', () => {
  it('migrates an empty file and sets the pragmas every connection needs', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tally-'));
    dirs.push(dir);
    const db = openDatabase(path.join(dir, 'nested', 'fresh.db'));
    migrateDatabase(db);
    migrateDatabase(db); // a second run finds nothing to do

    // eslint-disable-next-line no-restricted-syntax -- better-sqlite3 itself: this test opens a SQLite file
    const tables = db.$client.prepare(`select name from sqlite_master where type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['user', 'session', 'account', 'organization', 'member']));
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    db.$client.close();
  });
});
