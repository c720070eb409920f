import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { Executor } from "./database.js";
import { PreparedQuery } from "./prepared-query.js";
import { MAX_NAMED_STATEMENTS, nameStatement, statementNameOf } from "./statement-names.js";

describe.each(TEST_ENGINES.filter((e) => e === "postgres"))("named statements on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("runs a prepared query as a named statement the connection keeps", async () => {
    const tenantCount = new PreparedQuery((db: Executor, args: { state: string }) =>
      db
        .selectFrom("tenant")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("state", "=", args.state),
    );
    const prepared = await t.db.transaction().execute(async (trx) => {
      await tenantCount.execute(trx, { state: "active" });
      await tenantCount.execute(trx, { state: "deleted" });
      return sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where name like 'tenantry_%'
      `.execute(trx);
    });
    const mine = prepared.rows.filter((r) => r.statement.includes('from "tenant"'));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toBe(statementNameOf(mine[0]?.statement ?? ""));
  });
});

// Last: it fills the registry to its limit, after which nothing new in this file gets a name.
describe("statement names", () => {
  it("names a text by its content, and stops naming new texts at the limit", () => {
    nameStatement("select 1 as first");
    const name = statementNameOf("select 1 as first");
    expect(name).toMatch(/^tenantry_[0-9a-f]{24}$/);
    nameStatement("select 1 as first");
    expect(statementNameOf("select 1 as first")).toBe(name);
    for (let i = 0; i < MAX_NAMED_STATEMENTS + 10; i++) nameStatement(`select ${i} as filler`);
    expect(statementNameOf(`select ${MAX_NAMED_STATEMENTS + 9} as filler`)).toBeUndefined();
    expect(statementNameOf("select 1 as first")).toBe(name);
  });
});
