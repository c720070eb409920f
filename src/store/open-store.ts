import fs from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, type SqliteDatabase, type SqliteStatement, sql } from "kysely";
import pg from "pg";
import type { Database } from "./database.js";
import type { Engine } from "./engine.js";
import { FifoSqliteDialect } from "./fifo-sqlite-dialect.js";
import { withNamedStatements } from "./statement-names.js";

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file; default `<dataDir>/tenantry.db`. */
  sqliteFile?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL pool size. */
  maxConnections?: number;
  /**
   * Told when an idle PostgreSQL connection dies (server restart, admin termination). The pool
   * drops that connection and opens a new one on the next query; without a listener, pg would
   * crash the process instead.
   */
  onConnectionError?: (error: Error) => void;
}

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  /** Human-readable location (file path or URL without password), for logs. */
  readonly location: string;
  close(): Promise<void>;
}

/** Opens the store: SQLite (WAL, foreign keys on) by default, PostgreSQL when a URL is given. */
export function openStore(options: StoreOptions): Store {
  if (options.databaseUrl) {
    return openPostgres(
      options.databaseUrl,
      options.maxConnections ?? 10,
      options.onConnectionError,
    );
  }
  const file = options.sqliteFile ?? path.join(options.dataDir ?? "data", "tenantry.db");
  return openSqlite(file);
}

function openPostgres(url: string, max: number, onConnectionError?: (error: Error) => void): Store {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql://");
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // COUNT(*) and BIGINT come back as numbers; our counts stay far below 2^53.
    types: {
      getTypeParser: (oid: number, format?: "text" | "binary") =>
        oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format),
    },
  });
  pool.on("error", (error) => onConnectionError?.(error));
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: withNamedStatements(pool) }),
  });
  return {
    db,
    engine: "postgres",
    location: url.replace(/\/\/[^@/]*@/, "//"),
    close: () => db.destroy(),
  };
}

function openSqlite(file: string): Store {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Erased means gone from the file (SPEC §6): deleted rows and freed pages are overwritten with
  // zeros instead of lingering until reused. Per connection, so set on every one from creation.
  sqlite.pragma("secure_delete = ON");
  const db = new Kysely<Database>({
    dialect: new FifoSqliteDialect({ database: withBooleanParameters(sqlite) }),
  });
  return { db, engine: "sqlite", location: file, close: () => db.destroy() };
}

/**
 * better-sqlite3 refuses JavaScript booleans as parameters; SQLite stores them as 0/1.
 * Converting at the driver keeps repositories identical on both engines (rows type booleans as
 * Kysely's `SqlBool`, which reads 0/1 and true/false alike).
 */
function withBooleanParameters(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const convert = (parameters: ReadonlyArray<unknown>) =>
    parameters.map((p) => (typeof p === "boolean" ? (p ? 1 : 0) : p));
  const statements = new StatementCache(sqlite, STATEMENT_CACHE_SIZE);
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const statement = statements.get(sql);
      return {
        get reader() {
          return statement.reader;
        },
        all: (parameters) => statement.all(...convert(parameters)),
        run: (parameters) => {
          const result = statement.run(...convert(parameters));
          return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
        },
        iterate: (parameters) => statement.iterate(...convert(parameters)),
      };
    },
  };
}

/** Distinct SQL texts kept prepared; the application's queries are far fewer. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Prepared statements by SQL text, least recently used dropped first. Kysely prepares every query
 * anew; reusing the statement saves SQLite's parse and plan on each request. Safe because Kysely's
 * SQLite driver runs one query at a time on its single connection.
 */
class StatementCache {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly capacity: number,
  ) {}

  get(sql: string): BetterSqlite3.Statement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.sqlite.prepare(sql);
    this.statements.set(sql, statement);
    if (this.statements.size > this.capacity) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    return statement;
  }
}

/** A trivial query: resolves when the store answers (the readiness probe). */
export async function pingStore(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
