import { getTableName, is, SQL } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pg from './schema-pg';
import * as sqlite from './schema-sqlite';

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

/** What both dialects must agree on, in a dialect-neutral shape. */
function describeTable(config: Config) {
  const indexColumns = (columns: unknown[]) => columns.map((c) => (is(c, SQL) ? 'expression' : (c as { name: string }).name));
  return {
    columns: config.columns
      .map((c) => ({ name: c.name, notNull: c.notNull, primary: c.primary, unique: c.isUnique, hasDefault: c.hasDefault }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name)),
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name ?? '',
        unique: index.config.unique,
        columns: indexColumns(index.config.columns),
        partial: !!index.config.where,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: config.foreignKeys.map((fk) => fk.reference().columns.map((c) => c.name)).sort(),
  };
}

const tablesOf = <T>(module: Record<string, unknown>, kind: abstract new (...args: never[]) => T) =>
  Object.values(module).filter((value) => is(value, kind as never)) as T[];

describe('the two schemas', () => {
  const sqliteTables = tablesOf(sqlite, SQLiteTable);
  const pgTables = tablesOf(pg, PgTable);

  it('have the same tables', () => {
    expect(pgTables.map((t) => getTableName(t)).sort()).toEqual(sqliteTables.map((t) => getTableName(t)).sort());
    expect(sqliteTables.length).toBeGreaterThan(10);
  });

  it.each(sqliteTables.map((t) => [getTableName(t), t] as const))('agree on %s: columns, keys, uniques, indexes', (name, table) => {
    const twin = pgTables.find((t) => getTableName(t) === name)!;
    expect(describeTable(pgConfig(twin))).toEqual(describeTable(sqliteConfig(table)));
  });
});
