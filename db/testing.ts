import { randomUUID } from 'node:crypto';
import { migrateDatabase, openDatabase, sqliteDb, type Db } from './index';
import { user } from './schema';
import { run } from './work';

/** A migrated in-memory database for one test. */
export function createTestDb(): Db {
  const orm = openDatabase(':memory:');
  migrateDatabase(orm);
  return sqliteDb(orm);
}

export async function insertUser(db: Db, email = `${randomUUID()}@example.com`): Promise<string> {
  const id = randomUUID();
  await db.write((tx) => run(tx.insert(user).values({ id, name: email.split('@')[0] ?? email, email, createdAt: new Date(), updatedAt: new Date() })));
  return id;
}
