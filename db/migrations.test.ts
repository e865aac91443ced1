import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDatabase, sqliteDb } from './index';
import { createTestDb } from './testing';

const journalLength = (folder: string) => (JSON.parse(readFileSync(`db/${folder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }).entries.length;

describe('pending migrations', () => {
  it('counts every migration of the journal in a new database, none once migrated', async () => {
    const db = sqliteDb(openDatabase(':memory:'));
    expect(await db.pendingMigrations()).toBe(journalLength('migrations'));
    await db.migrate();
    expect(await db.pendingMigrations()).toBe(0);
    await db.close();
  });

  it('finds none in a migrated database of the dialect under test', async () => {
    expect(await (await createTestDb()).pendingMigrations()).toBe(0);
  });
});
