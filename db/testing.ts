import { randomUUID } from 'node:crypto';
import { migrateDatabase, openDatabase, type Db } from './index';
import { user } from './schema';

/** A migrated in-memory database for one test. */
export function createTestDb(): Db {
  const db = openDatabase(':memory:');
  migrateDatabase(db);
  return db;
}

export function insertUser(db: Db, email = `${randomUUID()}@example.com`): string {
  const id = randomUUID();
  db.insert(user)
    .values({ id, name: email.split('@')[0] ?? email, email, createdAt: new Date(), updatedAt: new Date() })
    .run();
  return id;
}
