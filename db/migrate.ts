import { getEnv } from '../lib/env';
import { migrateDatabase, openDatabase } from './index';

const { databaseFile } = getEnv();
const db = openDatabase(databaseFile);
migrateDatabase(db);
db.$client.close();
console.log(`Migrated ${databaseFile}`);
