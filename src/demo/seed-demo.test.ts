import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyAuditChain } from "../audit/index.js";
import { getSyncState, listRoleMembers, listUsers } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import { type DemoSummary, seedDemo } from "./seed-demo.js";

describe.each(TEST_ENGINES)("the demo tenant on %s", (engine) => {
  let t: TestContext;
  let demo: DemoSummary;
  let admin: Actor;
  beforeAll(async () => {
    t = await createTestContext(engine);
    demo = await seedDemo(t, { users: 120 });
    admin = { type: "user", tenantId: demo.tenantId, userId: demo.adminUserId };
  });
  afterAll(async () => {
    await t.close();
  });

  it("has the admin, the named role holders and the requested number of users", async () => {
    const page = await listUsers(t, admin, demo.tenantId, { limit: 999 });
    expect(page.users).toHaveLength(demo.users);
    expect(demo.users).toBe(1 + 7 + 120);
    const globalAdmins = await listRoleMembers(t, admin, demo.tenantId, "Global Administrator");
    expect(globalAdmins.map((u) => u.userPrincipalName).sort()).toEqual([
      "admin@contoso.example",
      "megan.bowen@contoso.example",
    ]);
    expect(await listRoleMembers(t, admin, demo.tenantId, "Billing Administrator")).toHaveLength(1);
  });

  it("syncs some users from on-premises and mixes the MFA states", async () => {
    expect((await getSyncState(t, admin, demo.tenantId)).status).toBe("on");
    const synced = await listUsers(t, admin, demo.tenantId, { synced: true, limit: 999 });
    expect(synced.users.length).toBe(demo.syncedUsers);
    expect(demo.syncedUsers).toBeGreaterThan(0);
    for (const state of ["disabled", "enabled", "enforced"]) {
      const page = await listUsers(t, admin, demo.tenantId, { mfaState: state, limit: 999 });
      expect(page.users.length, state).toBeGreaterThan(0);
    }
  });

  it("starts the signing-in admin with MFA disabled and leaves a verifiable audit chain", async () => {
    const page = await listUsers(t, admin, demo.tenantId, { upnPrefix: "admin@", limit: 1 });
    expect(page.users[0]?.perUserMfaState).toBe("disabled");
    expect(await verifyAuditChain(t, demo.tenantId)).toMatchObject({ ok: true });
  });

  it("refuses a second demo on the same domain", async () => {
    await expect(seedDemo(t, { users: 1 })).rejects.toMatchObject({ code: "DOMAIN_TAKEN" });
  });
});
