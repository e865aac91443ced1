import { getEnv } from '../lib/env';
import { openDb } from './index';

async function main() {
  const { database } = getEnv();
  const db = openDb(database);
  await db.migrate();
  await db.close();
  console.log(`Migrated ${database.dialect === 'postgres' ? 'the PostgreSQL database' : database.file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
