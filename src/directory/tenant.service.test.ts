import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  countTenants,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
  PASSWORD,
  uniqueDomain,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { createTenant, getTenant, updateTenantDisplayName } from "./tenant.service.js";
import { createUser, deleteUser, getUser, updateUser } from "./user.service.js";

describe.each(TEST_ENGINES)("tenants on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const input = (domain: string, overrides: { upn?: string; password?: string } = {}) => ({
    displayName: "Contoso",
    domain,
    admin: {
      userPrincipalName: overrides.upn ?? `admin@${domain}`,
      password: overrides.password ?? PASSWORD,
    },
  });

  it("creates an active tenant whose first user is an enabled Global Administrator with MFA disabled", async () => {
    const domain = uniqueDomain();
    const { tenant, admin } = await createTenant(t, OPERATOR, input(domain));
    expect(tenant).toMatchObject({
      displayName: "Contoso",
      initialDomain: domain,
      state: "active",
      onPremisesSyncEnabled: null,
    });
    expect(admin).toMatchObject({
      tenantId: tenant.id,
      userPrincipalName: `admin@${domain}`,
      accountEnabled: true,
      perUserMfaState: "disabled",
      roles: ["globalAdministrator"],
      hasPassword: true,
      deletedDateTime: null,
    });
    expect(await getUser(t, OPERATOR, tenant.id, admin.id)).toEqual(admin);
  });

  it("records tenant.create by the operator and the audit chain verifies", async () => {
    const { tenantId, admin } = await createTenantWithAdmin(t);
    const entries = await auditEntries(t, tenantId);
    expect(entries.map((e) => e.action)).toEqual(["tenant.create"]);
    expect(entries[0]).toMatchObject({
      actor: { type: "operator", id: null },
      target: { type: "tenant", id: tenantId },
      outcome: "success",
    });
    expect(entries[0]?.details).toMatchObject({ adminUserId: admin.id });
    await expectAuditChainValid(t, tenantId);
  });

  it("never gives a domain to a second tenant, whatever its case, and writes nothing then", async () => {
    const domain = uniqueDomain();
    await createTenant(t, OPERATOR, input(domain));
    const before = await countTenants(t);
    const error = await expectAppError(
      createTenant(t, OPERATOR, input(domain.toUpperCase(), { upn: `boss@${domain}` })),
      "DOMAIN_TAKEN",
      "Conflict",
    );
    expect(error.message).toContain(domain);
    expect(await countTenants(t)).toBe(before);
  });

  it("refuses a malformed domain and writes nothing", async () => {
    const before = await countTenants(t);
    for (const domain of ["contoso", "-contoso.example", "con toso.example", "contoso..example"]) {
      await expectAppError(
        createTenant(t, OPERATOR, input(domain, { upn: "admin@contoso.example" })),
        "DOMAIN_INVALID",
        "Invalid",
      );
    }
    expect(await countTenants(t)).toBe(before);
  });

  it("refuses an admin whose user principal name is outside the new domain", async () => {
    const before = await countTenants(t);
    await expectAppError(
      createTenant(t, OPERATOR, input(uniqueDomain(), { upn: "admin@fabrikam.example" })),
      "UPN_DOMAIN_NOT_IN_TENANT",
      "Invalid",
    );
    expect(await countTenants(t)).toBe(before);
  });

  it("refuses a weak admin password and writes nothing", async () => {
    const domain = uniqueDomain();
    const before = await countTenants(t);
    await expectAppError(
      createTenant(t, OPERATOR, input(domain, { password: "short" })),
      "PASSWORD_TOO_SHORT",
      "Invalid",
    );
    await expectAppError(
      createTenant(t, OPERATOR, input(domain, { password: "Password1234" })),
      "PASSWORD_TOO_COMMON",
      "Invalid",
    );
    await expectAppError(
      createTenant(t, OPERATOR, input(domain, { password: `admin@${domain}` })),
      "PASSWORD_IS_USERNAME",
      "Invalid",
    );
    expect(await countTenants(t)).toBe(before);
    // The domain was not consumed by the failed attempts.
    await expect(createTenant(t, OPERATOR, input(domain))).resolves.toBeDefined();
  });

  it("does not let a signed-in user create tenants", async () => {
    const { adminActor } = await createTenantWithAdmin(t);
    const before = await countTenants(t);
    await expectAppError(
      createTenant(t, adminActor, input(uniqueDomain())),
      "OPERATOR_ONLY",
      "Forbidden",
    );
    expect(await countTenants(t)).toBe(before);
  });

  it("lets a Global Administrator rename the tenant and audits the change", async () => {
    const { tenantId, adminActor } = await createTenantWithAdmin(t);
    const renamed = await updateTenantDisplayName(t, adminActor, tenantId, "  Contoso Ltd  ");
    expect(renamed.displayName).toBe("Contoso Ltd");
    expect((await getTenant(t, adminActor, tenantId)).displayName).toBe("Contoso Ltd");
    const last = (await auditEntries(t, tenantId)).at(-1);
    expect(last).toMatchObject({ action: "tenant.update", actor: { type: "user" } });
    expect(last?.details).toMatchObject({ displayName: "Contoso Ltd" });
    await expectAuditChainValid(t, tenantId);
  });

  it("does not let a User Administrator rename the tenant", async () => {
    const fixture = await createTenantWithAdmin(t);
    const { actor } = await createUserWithRoles(t, fixture, "useradmin", ["userAdministrator"]);
    const before = await getTenant(t, actor, fixture.tenantId);
    await expectAppError(
      updateTenantDisplayName(t, actor, fixture.tenantId, "Hijacked"),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await getTenant(t, actor, fixture.tenantId)).displayName).toBe(before.displayName);
  });

  it("refuses an empty or oversized tenant name", async () => {
    const { tenantId, adminActor } = await createTenantWithAdmin(t);
    await expectAppError(
      updateTenantDisplayName(t, adminActor, tenantId, "   "),
      "DISPLAY_NAME_REQUIRED",
      "Invalid",
    );
    await expectAppError(
      updateTenantDisplayName(t, adminActor, tenantId, "x".repeat(257)),
      "DISPLAY_NAME_TOO_LONG",
      "Invalid",
    );
  });

  it("a tenant being closed refuses directory changes but still answers reads", async () => {
    const fixture = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, fixture, "frozen.user");
    await t.db
      .updateTable("tenant")
      .set({ state: "closing" })
      .where("id", "=", fixture.tenantId)
      .execute();
    const actor = fixture.adminActor;
    await expectAppError(
      createUser(t, actor, fixture.tenantId, {
        userPrincipalName: `late@${fixture.domain}`,
        displayName: "Late",
      }),
      "TENANT_FROZEN",
      "Blocked",
    );
    await expectAppError(
      updateUser(t, actor, fixture.tenantId, user.id, { displayName: "Changed" }),
      "TENANT_FROZEN",
      "Blocked",
    );
    await expectAppError(
      deleteUser(t, actor, fixture.tenantId, user.id),
      "TENANT_FROZEN",
      "Blocked",
    );
    expect(await getUser(t, actor, fixture.tenantId, user.id)).toEqual(user);
  });

  it("a deleted tenant is not found", async () => {
    const fixture = await createTenantWithAdmin(t);
    await t.db
      .updateTable("tenant")
      .set({ state: "deleted" })
      .where("id", "=", fixture.tenantId)
      .execute();
    await expectAppError(getTenant(t, OPERATOR, fixture.tenantId), "TENANT_NOT_FOUND", "NotFound");
  });

  it("lets every member read the tenant", async () => {
    const fixture = await createTenantWithAdmin(t);
    const { actor } = await createUserWithRoles(t, fixture, "plain");
    expect((await getTenant(t, actor, fixture.tenantId)).initialDomain).toBe(fixture.domain);
  });
});
