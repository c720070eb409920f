import { type Compilable, type CompiledQuery, type DialectAdapter, PostgresAdapter } from "kysely";
import type { Executor } from "./database.js";
import { nameStatement } from "./statement-names.js";

/** Values a prepared query takes: plain parameters, never SQL. */
export type PreparedArgs = Record<string, string | number | boolean | null>;

/**
 * A query that Kysely builds and compiles once per database, then runs with new parameter values.
 * Building and compiling costs several times what SQLite takes to answer a lookup by key, so the
 * queries of every request (the session, the caller's roles, a user) are prepared this way;
 * everything else is built per call as usual. On PostgreSQL they also run as named statements,
 * planned once per connection (statement-names.ts).
 *
 * The build function receives placeholders for the arguments and must pass each one to Kysely
 * unchanged as a value (not inside `sql.raw`, not lower-cased or otherwise derived): the compiled
 * query's parameters are then matched back to argument names by position. A placeholder that does
 * not come out as a parameter of its own is refused on first use.
 */
export class PreparedQuery<A extends PreparedArgs, R> {
  private readonly family = new PreparedQueryFamily<A, R>(1);

  constructor(private readonly build: (db: Executor, args: A) => Compilable<R>) {}

  execute(db: Executor, args: A): Promise<R[]> {
    return this.family.execute(db, "", args, this.build);
  }

  async executeTakeFirst(db: Executor, args: A): Promise<R | undefined> {
    return (await this.execute(db, args))[0];
  }
}

/**
 * `PreparedQuery` for queries whose text varies: `variant` names everything the text depends on
 * besides the arguments (a column list, an ordering), and `build` is called only for a variant
 * not compiled yet. Up to `capacity` variants are kept per database, least recently used dropped
 * first.
 */
export class PreparedQueryFamily<A extends PreparedArgs, R> {
  private readonly compiled = new WeakMap<DialectAdapter, Map<string, Template<A, R>>>();

  constructor(private readonly capacity = 100) {}

  async execute(
    db: Executor,
    variant: string,
    args: A,
    build: (db: Executor, args: A) => Compilable<R>,
  ): Promise<R[]> {
    const template = this.templateFor(db, variant, args, build);
    const parameters = template.sources.map((source) =>
      source.kind === "arg" ? args[source.name] : source.value,
    );
    const query: CompiledQuery<R> = { ...template.query, parameters };
    return (await db.executeQuery(query)).rows;
  }

  private templateFor(
    db: Executor,
    variant: string,
    args: A,
    build: (db: Executor, args: A) => Compilable<R>,
  ): Template<A, R> {
    const adapter = db.getExecutor().adapter;
    let variants = this.compiled.get(adapter);
    if (!variants) {
      variants = new Map();
      this.compiled.set(adapter, variants);
    }
    const cached = variants.get(variant);
    if (cached) {
      variants.delete(variant);
      variants.set(variant, cached);
      return cached;
    }
    const template = compileTemplate(db, args, build);
    variants.set(variant, template);
    if (variants.size > this.capacity) {
      const oldest = variants.keys().next().value;
      if (oldest !== undefined) variants.delete(oldest);
    }
    return template;
  }
}

interface Template<A, R> {
  query: CompiledQuery<R>;
  sources: Array<{ kind: "arg"; name: keyof A & string } | { kind: "fixed"; value: unknown }>;
}

/** Placeholders no caller's value can equal: NUL cannot occur in PostgreSQL text. */
const MARK = "\u0000tenantry-arg\u0000";

function compileTemplate<A extends PreparedArgs, R>(
  db: Executor,
  args: A,
  build: (db: Executor, args: A) => Compilable<R>,
): Template<A, R> {
  const names = Object.keys(args) as Array<keyof A & string>;
  const placeholders = Object.fromEntries(names.map((name) => [name, `${MARK}${name}`])) as A;
  const query = build(db, placeholders).compile();
  if (query.sql.includes(MARK)) {
    throw new Error("a prepared query's argument was written into its SQL text");
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) nameStatement(query.sql);
  const sources: Template<A, R>["sources"] = query.parameters.map((value) =>
    typeof value === "string" && value.startsWith(MARK)
      ? { kind: "arg", name: value.slice(MARK.length) as keyof A & string }
      : { kind: "fixed", value },
  );
  const used = new Set(sources.flatMap((s) => (s.kind === "arg" ? [s.name] : [])));
  const unused = names.filter((name) => !used.has(name));
  if (unused.length > 0) {
    throw new Error(`prepared query arguments not passed as parameters: ${unused.join(", ")}`);
  }
  return { query, sources };
}
