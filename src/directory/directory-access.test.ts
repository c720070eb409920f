import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  type TenantFixture,
  userActor,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { openRead } from "./directory-access.js";
import { updateUser } from "./user.service.js";

/** The one-round-trip read check answers exactly as loadTenant + requirePermission do. */
describe.each(TEST_ENGINES)("openRead on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;
  let other: TenantFixture;
  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
    other = await createTenantWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("gives the caller's roles in one step", async () => {
    const resolved = await openRead(t.db, org.adminActor, org.tenantId, "users.manage");
    expect(resolved.roles).toEqual(["globalAdministrator"]);
    expect(resolved.privileged).toBe(false);
  });

  it("checks the roles that came with the request's session without reading them again", async () => {
    const { user } = await createUserWithRoles(t, org, "session-admin", ["userAdministrator"]);
    const actor = { type: "user", tenantId: org.tenantId, userId: user.id } as const;
    expect((await openRead(t.db, actor, org.tenantId, "users.manage")).roles).toEqual([
      "userAdministrator",
    ]);
    // The session carried no role: that decides, whatever the table says a moment later.
    await expectAppError(
      openRead(t.db, { ...actor, sessionRoleTemplateIds: [] }, org.tenantId, "users.manage"),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    const elsewhere = { ...actor, tenantId: other.tenantId, sessionRoleTemplateIds: [] };
    await expectAppError(
      openRead(t.db, elsewhere, org.tenantId, "directory.read"),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
  });

  it("answers TENANT_NOT_FOUND for another tenant and for one that does not exist", async () => {
    await expectAppError(
      openRead(t.db, other.adminActor, org.tenantId, "directory.read"),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      openRead(t.db, userActor("nope", org.admin.id), "nope", "directory.read"),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
  });

  it("refuses a disabled caller and a caller without the role", async () => {
    const { user, actor } = await createUserWithRoles(t, org, "reader-off", ["globalReader"]);
    await expectAppError(
      openRead(t.db, actor, org.tenantId, "users.manage"),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await updateUser(t, org.adminActor, org.tenantId, user.id, { accountEnabled: false });
    await expectAppError(
      openRead(t.db, actor, org.tenantId, "directory.read"),
      "ACTOR_INACTIVE",
      "Forbidden",
    );
  });

  it("lets the operator through with full rights", async () => {
    const resolved = await openRead(t.db, { type: "operator" }, org.tenantId, "tenant.close");
    expect(resolved.privileged).toBe(true);
  });
});
