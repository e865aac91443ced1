import { afterEach } from 'vitest';
import { closeTestDbs } from '../db/testing';

// Every database a test created is closed (and on PostgreSQL dropped) when it ends.
afterEach(closeTestDbs);
