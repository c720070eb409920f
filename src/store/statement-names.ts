import { createHash } from "node:crypto";
import type { PostgresPool, PostgresPoolClient } from "kysely";
import type pg from "pg";

/**
 * PostgreSQL parses and plans an unnamed statement on every execution; for the lookups each
 * request makes that costs more than running them. Statements registered here (the prepared
 * queries' SQL, prepared-query.ts) run as named prepared statements instead: each connection
 * parses and plans them once.
 *
 * At most `MAX_NAMED_STATEMENTS` texts are ever named, first come first served, so that the
 * statements a long-lived connection keeps stay bounded whatever queries clients send; the rest
 * run unnamed, as everything else does.
 */
export const MAX_NAMED_STATEMENTS = 200;
const names = new Map<string, string>();

/** Asks for `sqlText` to run as a named statement on PostgreSQL from now on (when room is left). */
export function nameStatement(sqlText: string): void {
  if (names.has(sqlText) || names.size >= MAX_NAMED_STATEMENTS) return;
  // Derived from the text, so a name always means the same statement on every connection.
  names.set(sqlText, `tenantry_${createHash("sha256").update(sqlText).digest("hex").slice(0, 24)}`);
}

/** The statement name `sqlText` runs under on PostgreSQL, if it has one. */
export function statementNameOf(sqlText: string): string | undefined {
  return names.get(sqlText);
}

/**
 * The pool as Kysely uses it, with registered texts sent under their statement name. Each client
 * keeps one wrapper, so Kysely still sees one connection per client.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((textOrCursor: unknown, values?: readonly unknown[]) => {
      if (typeof textOrCursor !== "string") return client.query(textOrCursor as pg.Submittable);
      const name = statementNameOf(textOrCursor);
      return client.query(
        name === undefined
          ? { text: textOrCursor, values: values as unknown[] }
          : { name, text: textOrCursor, values: values as unknown[] },
      );
    }) as unknown as PostgresPoolClient["query"],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = wrap(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
