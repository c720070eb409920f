import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin } from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { DAY, HOUR } from "../shared/clock.js";
import { runSecurityHousekeeping } from "./housekeeping.service.js";
import { issueSession } from "./session.service.js";

describe.each(TEST_ENGINES)("security housekeeping on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("deletes sessions expired over a day ago and stale throttle counters, keeping live ones", async () => {
    const org = await createTenantWithAdmin(t);
    const issue = () =>
      t.db.transaction().execute((trx) =>
        issueSession(t, trx, {
          tenantId: org.tenantId,
          subjectType: "user",
          subjectId: org.admin.id,
          kind: "full",
          userEpoch: 0,
          authenticatedAt: t.clock.now(),
        }),
      );
    const old = await issue();
    await t.db
      .insertInto("signin_throttle")
      .values({
        throttle_key: "stale",
        failures: 3,
        last_failure_at: t.clock.now().toISOString(),
        blocked_until: null,
      })
      .execute();
    t.clock.advance(2 * DAY + HOUR);
    const fresh = await issue();

    const deleted = await runSecurityHousekeeping(t);

    expect(deleted.sessions).toBe(1);
    expect(deleted.throttles).toBe(1);
    const left = await t.db
      .selectFrom("auth_session")
      .select("id")
      .where("tenant_id", "=", org.tenantId)
      .execute();
    expect(left.map((r) => r.id)).toEqual([fresh.session.id]);
    expect(left.map((r) => r.id)).not.toContain(old.session.id);
  });
});
