import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { ROLES } from "./role.js";
import { assignRole, listRoleMembers, removeRole } from "./role.service.js";
import { deleteUser, getUser, updateUser } from "./user.service.js";

describe.each(TEST_ENGINES)("directory roles on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("assigns and removes a role, auditing both", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "helper");
    await assignRole(t, org.adminActor, org.tenantId, user.id, "billingAdministrator");
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles).toEqual([
      "billingAdministrator",
    ]);
    await removeRole(t, org.adminActor, org.tenantId, user.id, "billingAdministrator");
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles).toEqual([]);
    const entries = (await auditEntries(t, org.tenantId)).slice(-2);
    expect(entries.map((e) => e.action)).toEqual(["role.assign", "role.remove"]);
    expect(entries[0]?.details).toMatchObject({ role: "Billing Administrator" });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("finds roles by name, Graph display name or role template id", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "multi");
    await assignRole(t, org.adminActor, org.tenantId, user.id, "globalReader");
    await assignRole(t, org.adminActor, org.tenantId, user.id, "user administrator");
    await assignRole(
      t,
      org.adminActor,
      org.tenantId,
      user.userPrincipalName,
      ROLES.billingAdministrator.roleTemplateId,
    );
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles.sort()).toEqual([
      "billingAdministrator",
      "globalReader",
      "userAdministrator",
    ]);
  });

  it("refuses a role the user already has", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "twice", ["globalReader"]);
    await expectAppError(
      assignRole(t, org.adminActor, org.tenantId, user.id, "Global Reader"),
      "ROLE_ALREADY_ASSIGNED",
      "Conflict",
    );
  });

  it("refuses an unknown role, naming the roles there are", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "hopeful");
    const error = await expectAppError(
      assignRole(t, org.adminActor, org.tenantId, user.id, "Supreme Leader"),
      "ROLE_UNKNOWN",
      "Invalid",
    );
    expect(error.message).toContain("Global Administrator");
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles).toEqual([]);
  });

  it("refuses to remove a role the user does not have", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "roleless");
    await expectAppError(
      removeRole(t, org.adminActor, org.tenantId, user.id, "globalReader"),
      "ROLE_ASSIGNMENT_NOT_FOUND",
      "NotFound",
    );
  });

  it("nobody removes their own Global Administrator role, even with another one present", async () => {
    const org = await createTenantWithAdmin(t);
    await createUserWithRoles(t, org, "other.ga", ["globalAdministrator"]);
    await expectAppError(
      removeRole(t, org.adminActor, org.tenantId, org.admin.id, "globalAdministrator"),
      "CANNOT_REMOVE_OWN_GLOBAL_ADMIN",
      "Blocked",
    );
    expect((await getUser(t, OPERATOR, org.tenantId, org.admin.id)).roles).toEqual([
      "globalAdministrator",
    ]);
  });

  it("the only active Global Administrator keeps the role, even when the operator asks", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      removeRole(t, OPERATOR, org.tenantId, org.admin.id, "globalAdministrator"),
      "LAST_GLOBAL_ADMINISTRATOR",
      "Blocked",
    );
    expect((await getUser(t, OPERATOR, org.tenantId, org.admin.id)).roles).toEqual([
      "globalAdministrator",
    ]);
  });

  it("another Global Administrator removes the role once two are active", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createUserWithRoles(t, org, "other.ga", ["globalAdministrator"]);
    await removeRole(t, other.actor, org.tenantId, org.admin.id, "globalAdministrator");
    const gas = await listRoleMembers(t, OPERATOR, org.tenantId, "globalAdministrator");
    expect(gas.map((u) => u.id)).toEqual([other.user.id]);
  });

  it("a disabled Global Administrator does not count as the second one", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createUserWithRoles(t, org, "dormant.ga", ["globalAdministrator"]);
    await updateUser(t, org.adminActor, org.tenantId, other.user.id, { accountEnabled: false });
    await expectAppError(
      removeRole(t, OPERATOR, org.tenantId, org.admin.id, "globalAdministrator"),
      "LAST_GLOBAL_ADMINISTRATOR",
    );
    // Removing the role from the disabled one leaves the active one: allowed.
    await removeRole(t, OPERATOR, org.tenantId, other.user.id, "globalAdministrator");
    expect((await getUser(t, OPERATOR, org.tenantId, other.user.id)).roles).toEqual([]);
  });

  it("two Global Administrators removing each other at once leave one of them", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createUserWithRoles(t, org, "rival.ga", ["globalAdministrator"]);
    const outcomes = await Promise.allSettled([
      removeRole(t, org.adminActor, org.tenantId, other.user.id, "globalAdministrator"),
      removeRole(t, other.actor, org.tenantId, org.admin.id, "globalAdministrator"),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const gas = await listRoleMembers(t, OPERATOR, org.tenantId, "globalAdministrator");
    expect(gas).toHaveLength(1);
  });

  it("concurrent deletes of both Global Administrators leave one active", async () => {
    const org = await createTenantWithAdmin(t);
    const other = await createUserWithRoles(t, org, "twin.ga", ["globalAdministrator"]);
    await Promise.allSettled([
      deleteUser(t, OPERATOR, org.tenantId, org.admin.id),
      deleteUser(t, OPERATOR, org.tenantId, other.user.id),
    ]);
    const gas = await listRoleMembers(t, OPERATOR, org.tenantId, "globalAdministrator");
    expect(gas).toHaveLength(1);
  });

  it("role members exclude users in the recycle bin", async () => {
    const org = await createTenantWithAdmin(t);
    const kept = await createUserWithRoles(t, org, "kept", ["globalReader"]);
    const binned = await createUserWithRoles(t, org, "binned", ["globalReader"]);
    await deleteUser(t, org.adminActor, org.tenantId, binned.user.id);
    const members = await listRoleMembers(t, org.adminActor, org.tenantId, "Global Reader");
    expect(members.map((u) => u.id)).toEqual([kept.user.id]);
  });

  it("a role cannot be assigned to a user in the recycle bin", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "binned");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await expectAppError(
      assignRole(t, org.adminActor, org.tenantId, user.id, "globalReader"),
      "USER_NOT_FOUND",
      "NotFound",
    );
  });
});
