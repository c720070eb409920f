import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantRow } from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { isUniqueViolation } from "./engine.js";
import { migrateToLatest } from "./migrate.js";

describe.each(TEST_ENGINES)("store on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("applies migrations once; a second run applies nothing", async () => {
    const again = await migrateToLatest(t.db, t.engine);
    expect(again.applied).toEqual([]);
  });

  it("stores booleans and reads them back truthy on both engines", async () => {
    await t.db
      .insertInto("tenant")
      .values(tenantRow("t-bool", { on_premises_sync_enabled: true }))
      .execute();
    const row = await t.db
      .selectFrom("tenant")
      .selectAll()
      .where("id", "=", "t-bool")
      .executeTakeFirstOrThrow();
    expect(Boolean(row.on_premises_sync_enabled)).toBe(true);
  });

  it("reports unique violations the same way on both engines", async () => {
    const now = new Date().toISOString();
    const domain = { name: "dup.example", tenant_id: "t-bool", is_initial: true, created_at: now };
    await t.db.insertInto("tenant_domain").values(domain).execute();
    const error = await t.db
      .insertInto("tenant_domain")
      .values(domain)
      .execute()
      .catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("runs on the engine it was asked for", async () => {
    const probe =
      engine === "postgres"
        ? sql<{ v: string }>`select version() as v`
        : sql<{ v: string }>`select sqlite_version() as v`;
    const { rows } = await probe.execute(t.db);
    expect(rows[0]?.v).toBeTruthy();
  });
});
