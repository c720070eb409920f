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

/**
 * After rows were erased (SPEC §6), leaves no trace of them in the planner's statistics or, on
 * PostgreSQL, in dead row versions. SQLite samples index keys into `sqlite_stat4` (counts into
 * `sqlite_stat1`), written only by `ANALYZE` and `PRAGMA optimize`: when those tables exist, the
 * erased tables' entries are deleted and the tables analyzed again, so the planner keeps
 * statistics of what remains; when statistics were never gathered, none are created and plans
 * stay as they were. PostgreSQL: `VACUUM (ANALYZE)` removes the dead row versions (and their
 * index entries) from every view — queries, `pg_dump`, `pg_statistic` — and makes their space
 * reusable; it does not overwrite their bytes in the table and index files or in `pg_wal` (only
 * `VACUUM FULL`, which locks the table for every tenant, rewrites the files). `db` must be the
 * database, not a transaction: VACUUM cannot run in one.
 */
export async function reclaimErasedRows(
  db: Executor,
  engine: Engine,
  tables: readonly string[],
): Promise<void> {
  if (tables.length === 0) return;
  if (engine === "postgres") {
    await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
    return;
  }
  const present = await sql<{ name: string }>`select name from sqlite_master
    where type = 'table' and name in ('sqlite_stat1', 'sqlite_stat4')`.execute(db);
  if (present.rows.length === 0) return;
  for (const { name } of present.rows) {
    await sql`delete from ${sql.table(name)} where tbl in (${sql.join([...tables])})`.execute(db);
  }
  for (const table of tables) await sql`analyze ${sql.table(table)}`.execute(db);
}

/**
 * SQLite: copies every page of the write-ahead log into the database file and truncates the log
 * to zero bytes (`wal_checkpoint(TRUNCATE)`), so no page image from before an erasure stays in
 * the `-wal` file. Resolves `false` when another connection kept it from completing (a reader on
 * an older snapshot or a writer, in another process, beyond `busy_timeout`); the caller may try
 * again. PostgreSQL: nothing to do (its log belongs to the server), resolves `true`.
 */
export async function truncateWriteAheadLog(db: Executor, engine: Engine): Promise<boolean> {
  if (engine === "postgres") return true;
  try {
    const result = await sql<{
      busy: number;
    }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    return result.rows[0]?.busy === 0;
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === "SQLITE_BUSY") return false;
    throw error;
  }
}

/**
 * A column that names one physical row of any table, whatever its key: `rowid` on SQLite, `ctid`
 * on PostgreSQL. For deleting a bounded batch of a tenant's rows from tables with different keys
 * (`delete … where <locator> in (select <locator> … limit n)`).
 */
export function rowLocator(engine: Engine) {
  return sql.raw(engine === "postgres" ? "ctid" : "rowid");
}

/** Where a property of `jsonObjectText` comes from: a text or boolean column, or fixed JSON. */
export type JsonSource = { column: string; type: "text" | "boolean" } | { json: string };

export interface JsonProperty {
  name: string;
  source: JsonSource;
}

/**
 * A JSON object built by the database, as text: the properties in the given order, written
 * compactly as `JSON.stringify` would (strings escaped, NULL as `null`, booleans as `true` and
 * `false` on both engines). A listing of hundreds of rows then reaches the client without one
 * JavaScript object per row. Property names and fixed JSON go in as parameters, or as SQL string
 * literals with `inline` (for a trigger's body, which takes no parameters).
 */
export function jsonObjectText(
  engine: Engine,
  properties: readonly JsonProperty[],
  { inline = false }: { inline?: boolean } = {},
): RawBuilder<string> {
  const text = (value: string) => (inline ? sql.lit(value) : sql`${value}`);
  if (engine === "sqlite") {
    const pairs = properties.flatMap(({ name, source }) => [
      text(name),
      "json" in source
        ? sqliteFixedJson(source.json, text)
        : source.type === "boolean"
          ? sql`json(case ${sql.ref(source.column)} when 1 then 'true' when 0 then 'false' else 'null' end)`
          : sql.ref(source.column),
    ]);
    return sql<string>`json_object(${sql.join(pairs)})`;
  }
  // PostgreSQL's json_build_object writes `"key" : value` and is slower; concatenate instead,
  // merging every run of fixed text into one parameter.
  const parts: RawBuilder<unknown>[] = [];
  let fixed = "";
  properties.forEach(({ name, source }, i) => {
    fixed += `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`;
    if ("json" in source) {
      fixed += source.json;
      return;
    }
    parts.push(sql`${text(fixed)}::text`);
    parts.push(jsonValueText(engine, source));
    fixed = "";
  });
  parts.push(sql`${text(`${properties.length === 0 ? "{" : fixed}}`)}::text`);
  return sql<string>`(${sql.join(parts, sql` || `)})`;
}

/**
 * `jsonObjectText` without its closing brace: the start of an object that more properties (and
 * the brace) are appended to when it is read. The last property must not end in a brace itself (a
 * column, or fixed JSON other than an object), so that exactly one character goes.
 */
export function jsonObjectHeadText(
  engine: Engine,
  properties: readonly JsonProperty[],
  options: { inline?: boolean } = {},
): RawBuilder<string> {
  const last = properties.at(-1)?.source;
  if (!last || ("json" in last && last.json.endsWith("}"))) {
    throw new Error("jsonObjectHeadText needs a last property that does not end in a brace.");
  }
  const object = jsonObjectText(engine, properties, options);
  // SQLite has no left(); rtrim takes the one brace, as the last value cannot end in one.
  return engine === "sqlite"
    ? sql<string>`rtrim(${object}, '}')`
    : sql<string>`left(${object}, -1)`;
}

/** One column's value as JSON text, as `JSON.stringify` writes it (`null` for NULL). */
export function jsonValueText(
  engine: Engine,
  source: { column: string; type: "text" | "boolean" },
): RawBuilder<string> {
  const column = sql.ref(source.column);
  if (source.type === "boolean") {
    return engine === "sqlite"
      ? sql<string>`(case ${column} when 1 then 'true' when 0 then 'false' else 'null' end)`
      : sql<string>`(case when ${column} then 'true' when not ${column} then 'false' else 'null' end)`;
  }
  return engine === "sqlite"
    ? sql<string>`json_quote(${column})`
    : sql<string>`coalesce(to_json(${column})::text, 'null')`;
}

/**
 * Fixed JSON as a `json_object` value: `null`, `[]` and strings without `json()`, which would parse
 * the text again on every row.
 */
function sqliteFixedJson(
  json: string,
  text: (value: string) => RawBuilder<unknown>,
): RawBuilder<unknown> {
  const value: unknown = JSON.parse(json);
  if (value === null) return sql`null`;
  if (typeof value === "string") return text(value);
  if (Array.isArray(value) && value.length === 0) return sql`json_array()`;
  return sql`json(${text(json)})`;
}
