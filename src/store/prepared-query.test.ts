import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantRow } from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { Executor } from "./database.js";
import { jsonObjectText } from "./engine.js";
import { PreparedQuery, PreparedQueryFamily } from "./prepared-query.js";

describe.each(TEST_ENGINES)("prepared queries on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
    await t.db
      .insertInto("tenant")
      .values(
        ["alpha", "beta", "gamma"].map((name) =>
          tenantRow(`prepared-${name}`, {
            display_name: name,
            initial_domain: `${name}.prepared.example`,
            on_premises_sync_enabled: name === "beta",
          }),
        ),
      )
      .execute();
  });
  afterAll(async () => {
    await t.close();
  });

  const tenantName = new PreparedQuery((db: Executor, args: { id: string }) =>
    db.selectFrom("tenant").select("display_name").where("id", "=", args.id),
  );

  it("answers each call with its own arguments, in and out of transactions", async () => {
    expect(await tenantName.executeTakeFirst(t.db, { id: "prepared-alpha" })).toEqual({
      display_name: "alpha",
    });
    expect(await tenantName.executeTakeFirst(t.db, { id: "prepared-gamma" })).toEqual({
      display_name: "gamma",
    });
    expect(await tenantName.executeTakeFirst(t.db, { id: "nobody" })).toBeUndefined();
    const inTransaction = await t.db
      .transaction()
      .execute((trx) => tenantName.executeTakeFirst(trx, { id: "prepared-beta" }));
    expect(inTransaction).toEqual({ display_name: "beta" });
  });

  it("keeps fixed values of the built query and takes numbers for limits", async () => {
    const names = new PreparedQuery((db: Executor, args: { prefix: string; limit: number }) =>
      db
        .selectFrom("tenant")
        .select("display_name")
        .where("id", ">=", args.prefix)
        .where("state", "=", "active")
        .orderBy("id")
        .limit(args.limit),
    );
    const two = await names.execute(t.db, { prefix: "prepared-", limit: 2 });
    expect(two.map((r) => r.display_name)).toEqual(["alpha", "beta"]);
    const one = await names.execute(t.db, { prefix: "prepared-b", limit: 1 });
    expect(one.map((r) => r.display_name)).toEqual(["beta"]);
  });

  it("refuses an argument that was changed before it reached Kysely", async () => {
    const lowered = new PreparedQuery((db: Executor, args: { id: string }) =>
      db.selectFrom("tenant").select("id").where("id", "=", args.id.toUpperCase()),
    );
    await expect(lowered.execute(t.db, { id: "prepared-alpha" })).rejects.toThrow(
      /not passed as parameters: id/,
    );
  });

  it("refuses an argument written into the SQL text", async () => {
    const raw = new PreparedQuery((db: Executor, args: { id: string }) =>
      db
        .selectFrom("tenant")
        .select("id")
        .where(sql.raw<boolean>(`id = '${args.id}'`)),
    );
    await expect(raw.execute(t.db, { id: "prepared-alpha" })).rejects.toThrow(/SQL text/);
  });

  it("compiles each variant once and keeps answering correctly after one is dropped", async () => {
    const family = new PreparedQueryFamily<{ id: string }, { document: string }>(2);
    let builds = 0;
    const run = (fields: string[], id: string) =>
      family.execute(t.db, fields.join(","), { id }, (db, args) => {
        builds++;
        return db
          .selectFrom("tenant")
          .select(
            jsonObjectText(
              engine,
              fields.map((field) => ({
                name: field,
                source:
                  field === "sync"
                    ? { column: "on_premises_sync_enabled", type: "boolean" }
                    : { column: field, type: "text" },
              })),
            ).as("document"),
          )
          .where("id", "=", args.id);
      });
    expect(await run(["display_name"], "prepared-alpha")).toEqual([
      { document: '{"display_name":"alpha"}' },
    ]);
    expect(await run(["display_name"], "prepared-beta")).toEqual([
      { document: '{"display_name":"beta"}' },
    ]);
    expect(builds).toBe(1);
    expect(await run(["id", "sync"], "prepared-beta")).toEqual([
      { document: '{"id":"prepared-beta","sync":true}' },
    ]);
    await run(["state"], "prepared-gamma");
    expect(builds).toBe(3);
    // Capacity 2: the first variant was dropped and is built again, with the same answers.
    expect(await run(["display_name"], "prepared-gamma")).toEqual([
      { document: '{"display_name":"gamma"}' },
    ]);
    expect(builds).toBe(4);
  });
});
