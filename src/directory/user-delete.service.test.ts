import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditActions,
  countRows,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { addGroupMember, createGroup, listGroupMembers } from "./group.service.js";
import { assignRole } from "./role.service.js";
import { deleteUser, getUser, purgeUser, restoreUser, updateUser } from "./user.service.js";
import { listUsers } from "./user-query.service.js";

describe.each(TEST_ENGINES)("deleting, restoring and purging users on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("a deleted user is in the recycle bin: gone from reads, found among deleted users", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "binned");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await expectAppError(
      getUser(t, org.adminActor, org.tenantId, user.id),
      "USER_NOT_FOUND",
      "NotFound",
    );
    const deleted = await getUser(t, org.adminActor, org.tenantId, user.id, "deleted");
    expect(deleted.deletedDateTime).toEqual(t.clock.now());
    const bin = await listUsers(t, org.adminActor, org.tenantId, { deleted: true });
    expect(bin.users.map((u) => u.id)).toEqual([user.id]);
    const live = await listUsers(t, org.adminActor, org.tenantId);
    expect(live.users.map((u) => u.id)).not.toContain(user.id);
  });

  it("restoring brings a user back with its roles and group memberships", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "returning", ["billingAdministrator"]);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Sales" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, user.id);
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    const restored = await restoreUser(t, org.adminActor, org.tenantId, user.id);
    expect(restored).toMatchObject({ id: user.id, deletedDateTime: null });
    expect(restored.roles).toEqual(["billingAdministrator"]);
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles).toEqual([
      "billingAdministrator",
    ]);
    const members = await listGroupMembers(t, org.adminActor, org.tenantId, group.id);
    expect(members.map((m) => m.id)).toEqual([user.id]);
  });

  it("restoring a user who is not in the recycle bin fails", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "alive");
    await expectAppError(
      restoreUser(t, org.adminActor, org.tenantId, user.id),
      "DELETED_USER_NOT_FOUND",
      "NotFound",
    );
  });

  it("purges only from the recycle bin", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "live.one");
    await expectAppError(
      purgeUser(t, org.adminActor, org.tenantId, user.id),
      "USER_NOT_DELETED",
      "Conflict",
    );
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).id).toBe(user.id);
  });

  it("purging erases the user with its role assignments and group memberships", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "leaving", ["globalReader"]);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Ops" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, user.id);
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await purgeUser(t, org.adminActor, org.tenantId, user.id);
    await expectAppError(
      getUser(t, org.adminActor, org.tenantId, user.id, "deleted"),
      "DELETED_USER_NOT_FOUND",
    );
    expect(await countRows(t, "app_user", org.tenantId)).toBe(1);
    expect(await countRows(t, "role_assignment", org.tenantId)).toBe(1);
    expect(await countRows(t, "group_member", org.tenantId)).toBe(0);
    expect(await countRows(t, "scheduled_job", org.tenantId)).toBe(0);
  });

  it("a purged user's principal name can be used again", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "reused");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await purgeUser(t, org.adminActor, org.tenantId, user.id);
    const again = await createUserWithRoles(t, org, "reused");
    expect(again.user.id).not.toBe(user.id);
  });

  it("nobody can delete or disable themselves", async () => {
    const org = await createTenantWithAdmin(t);
    await createUserWithRoles(t, org, "second.ga", ["globalAdministrator"]);
    await expectAppError(
      deleteUser(t, org.adminActor, org.tenantId, org.admin.id),
      "CANNOT_DELETE_SELF",
      "Blocked",
    );
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, org.admin.id, { accountEnabled: false }),
      "CANNOT_DISABLE_SELF",
      "Blocked",
    );
    expect((await getUser(t, org.adminActor, org.tenantId, org.admin.id)).accountEnabled).toBe(
      true,
    );
  });

  it("the last active Global Administrator can be neither deleted nor disabled", async () => {
    const org = await createTenantWithAdmin(t);
    const paa = await createUserWithRoles(t, org, "paa", ["privilegedAuthenticationAdministrator"]);
    for (const actor of [OPERATOR, paa.actor]) {
      await expectAppError(
        deleteUser(t, actor, org.tenantId, org.admin.id),
        "LAST_GLOBAL_ADMINISTRATOR",
        "Blocked",
      );
      await expectAppError(
        updateUser(t, actor, org.tenantId, org.admin.id, { accountEnabled: false }),
        "LAST_GLOBAL_ADMINISTRATOR",
        "Blocked",
      );
    }
    expect(await getUser(t, OPERATOR, org.tenantId, org.admin.id)).toMatchObject({
      accountEnabled: true,
      deletedDateTime: null,
    });
  });

  it("a Global Administrator can be deleted once a second active one exists", async () => {
    const org = await createTenantWithAdmin(t);
    const second = await createUserWithRoles(t, org, "deputy");
    await updateUser(t, OPERATOR, org.tenantId, second.user.id, { accountEnabled: false });
    await assignRole(t, OPERATOR, org.tenantId, second.user.id, "globalAdministrator");
    // A disabled Global Administrator does not count.
    await expectAppError(
      deleteUser(t, OPERATOR, org.tenantId, org.admin.id),
      "LAST_GLOBAL_ADMINISTRATOR",
    );
    await updateUser(t, OPERATOR, org.tenantId, second.user.id, { accountEnabled: true });
    await deleteUser(t, second.actor, org.tenantId, org.admin.id);
    expect(
      (await getUser(t, OPERATOR, org.tenantId, org.admin.id, "deleted")).deletedDateTime,
    ).not.toBeNull();
  });

  it("every change to a user writes an audit entry and the chain verifies", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "audited");
    await updateUser(t, org.adminActor, org.tenantId, user.id, { displayName: "Audited" });
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await restoreUser(t, org.adminActor, org.tenantId, user.id);
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    await purgeUser(t, org.adminActor, org.tenantId, user.id);
    expect(await auditActions(t, org.tenantId)).toEqual([
      "tenant.create",
      "user.create",
      "user.update",
      "user.delete",
      "user.restore",
      "user.delete",
      "user.purge",
    ]);
    await expectAuditChainValid(t, org.tenantId);
  });
});
