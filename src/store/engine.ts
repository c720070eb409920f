/**
 * The one place where SQLite and PostgreSQL differ. Repositories and migrations ask this module
 * instead of checking the engine themselves.
 */
import { type RawBuilder, sql } from "kysely";
import type { Executor } from "./database.js";

export type Engine = "sqlite" | "postgres";

/** Whether the engine supports `FOR UPDATE SKIP LOCKED` (SQLite serializes writers instead). */
export function supportsRowLocks(engine: Engine): boolean {
  return engine === "postgres";
}

/** A unique or primary-key violation, on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === "23505" ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

/**
 * `LIKE` pattern for "starts with", case-insensitively and with wildcards in the input escaped.
 * Use with `lower(column) like pattern escape '\'`; both engines accept this form.
 */
export function startsWithPattern(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Column type for lower-cased lookup keys (`upn_key`, `display_name_key`): compared byte by byte on
 * both engines (SQLite's BINARY; PostgreSQL's "C" collation), so a prefix is an index range.
 */
export function keyTextType(engine: Engine) {
  return engine === "postgres" ? sql`text collate "C"` : sql`text`;
}

/**
 * Prefix match on a lower-cased key column (`keyTextType`), as an index range plus an exact check:
 * `col >= p and col < p⁺ and col like 'p%' escape '\'`. Fast at any tenant size on both engines.
 */
export function keyStartsWith(column: string, prefix: string): RawBuilder<boolean> {
  const lowered = prefix.toLowerCase();
  const like = sql<boolean>`${sql.ref(column)} like ${startsWithPattern(lowered)} escape '\\'`;
  const last = lowered.codePointAt(lowered.length - 1);
  if (last === undefined || last >= 0x10ffff) return like;
  const upper =
    lowered.slice(0, lowered.length - String.fromCodePoint(last).length) +
    String.fromCodePoint(last + 1);
  return sql<boolean>`(${sql.ref(column)} >= ${lowered} and ${sql.ref(column)} < ${upper} and ${like})`;
}

/** `lower(col) LIKE pattern ESCAPE '\'`, the portable case-insensitive prefix match (no index). */
export function lowerStartsWith(column: string, prefix: string): RawBuilder<boolean> {
  return sql<boolean>`lower(${sql.ref(column)}) like ${startsWithPattern(prefix)} escape '\\'`;
}

/**
 * After a bulk load, refreshes the planner's statistics of a table on PostgreSQL (autovacuum would
 * do it within a minute; until then plans may sort whole tables). SQLite plans without them.
 */
export async function refreshStatistics(
  db: Executor,
  engine: Engine,
  table: string,
): Promise<void> {
  if (engine === "postgres") await sql`analyze ${sql.table(table)}`.execute(db);
}

/** The application's tables (the migration bookkeeping aside), from the engine's catalog, sorted. */
export async function listTableNames(db: Executor, engine: Engine): Promise<string[]> {
  const rows =
    engine === "postgres"
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'sqlite_%'`.execute(db);
  return rows.rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith("schema_migration"))
    .sort();
}

/** The tables that have a column of this name, from the engine's catalog, sorted. */
export async function listTablesWithColumn(
  db: Executor,
  engine: Engine,
  column: string,
): Promise<string[]> {
  const rows =
    engine === "postgres"
      ? await sql<{ name: string }>`select table_name as name from information_schema.columns
          where table_schema = current_schema() and column_name = ${column}`.execute(db)
      : await sql<{ name: string }>`select m.name as name from sqlite_master m
          join pragma_table_info(m.name) c where m.type = 'table' and c.name = ${column}`.execute(
          db,
        );
  return [...new Set(rows.rows.map((r) => r.name))].sort();
}

/** Every foreign key as `child → parent` table names, from the engine's catalog. */
export async function listForeignKeyEdges(
  db: Executor,
  engine: Engine,
): Promise<{ child: string; parent: string }[]> {
  const rows =
    engine === "postgres"
      ? await sql<{ child: string; parent: string }>`select c.relname as child, p.relname as parent
          from pg_constraint k
          join pg_class c on c.oid = k.conrelid
          join pg_class p on p.oid = k.confrelid
          join pg_namespace n on n.oid = c.relnamespace
          where k.contype = 'f' and n.nspname = current_schema()`.execute(db)
      : await sql<{ child: string; parent: string }>`select m.name as child, f."table" as parent
          from sqlite_master m join pragma_foreign_key_list(m.name) f
          where m.type = 'table'`.execute(db);
  return rows.rows.map((r) => ({ child: r.child, parent: r.parent }));
}
