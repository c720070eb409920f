import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditActions,
  countRows,
  createTenantWithAdmin,
  createUsers,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  addGroupMember,
  createGroup,
  deleteGroup,
  getGroup,
  listGroupMembers,
  listGroups,
  removeGroupMember,
  updateGroup,
} from "./group.service.js";
import { deleteUser, restoreUser } from "./user.service.js";

describe.each(TEST_ENGINES)("groups on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates a security group with a nickname derived from its name", async () => {
    const org = await createTenantWithAdmin(t);
    const group = await createGroup(t, org.adminActor, org.tenantId, {
      displayName: "Sales Team",
      description: "Everyone who sells",
    });
    expect(group).toMatchObject({
      tenantId: org.tenantId,
      displayName: "Sales Team",
      description: "Everyone who sells",
      mailNickname: "SalesTeam",
      securityEnabled: true,
    });
    expect(await getGroup(t, org.adminActor, org.tenantId, group.id)).toEqual(group);
  });

  it("updates and deletes a group, auditing each change", async () => {
    const org = await createTenantWithAdmin(t);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Ops" });
    const updated = await updateGroup(t, org.adminActor, org.tenantId, group.id, {
      displayName: "Operations",
      description: null,
    });
    expect(updated).toMatchObject({ displayName: "Operations", description: null });
    await deleteGroup(t, org.adminActor, org.tenantId, group.id);
    await expectAppError(
      getGroup(t, org.adminActor, org.tenantId, group.id),
      "GROUP_NOT_FOUND",
      "NotFound",
    );
    expect(await auditActions(t, org.tenantId)).toEqual([
      "tenant.create",
      "group.create",
      "group.update",
      "group.delete",
    ]);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("lists groups by display name prefix", async () => {
    const org = await createTenantWithAdmin(t);
    for (const name of ["Sales EMEA", "Sales APAC", "Support"]) {
      await createGroup(t, org.adminActor, org.tenantId, { displayName: name });
    }
    const sales = await listGroups(t, org.adminActor, org.tenantId, { displayNamePrefix: "sales" });
    expect(sales.map((g) => g.displayName).sort()).toEqual(["Sales APAC", "Sales EMEA"]);
  });

  it("adds and removes members", async () => {
    const org = await createTenantWithAdmin(t);
    const [a, b] = await createUsers(t, org, 2);
    if (!a || !b) throw new Error("fixture");
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Team" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, a.id);
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, b.userPrincipalName);
    const members = await listGroupMembers(t, org.adminActor, org.tenantId, group.id);
    expect(members.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    await removeGroupMember(t, org.adminActor, org.tenantId, group.id, a.id);
    const after = await listGroupMembers(t, org.adminActor, org.tenantId, group.id);
    expect(after.map((m) => m.id)).toEqual([b.id]);
  });

  it("refuses a member who is already in the group", async () => {
    const org = await createTenantWithAdmin(t);
    const [a] = await createUsers(t, org, 1);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Team" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, a?.id ?? "");
    await expectAppError(
      addGroupMember(t, org.adminActor, org.tenantId, group.id, a?.userPrincipalName ?? ""),
      "ALREADY_GROUP_MEMBER",
      "Conflict",
    );
    expect(await countRows(t, "group_member", org.tenantId)).toBe(1);
  });

  it("refuses to remove someone who is not a member", async () => {
    const org = await createTenantWithAdmin(t);
    const [a] = await createUsers(t, org, 1);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Team" });
    await expectAppError(
      removeGroupMember(t, org.adminActor, org.tenantId, group.id, a?.id ?? ""),
      "GROUP_MEMBER_NOT_FOUND",
      "NotFound",
    );
  });

  it("members in the recycle bin are not listed and return when restored", async () => {
    const org = await createTenantWithAdmin(t);
    const [a, b] = await createUsers(t, org, 2);
    if (!a || !b) throw new Error("fixture");
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Team" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, a.id);
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, b.id);
    await deleteUser(t, org.adminActor, org.tenantId, a.id);
    expect(
      (await listGroupMembers(t, org.adminActor, org.tenantId, group.id)).map((m) => m.id),
    ).toEqual([b.id]);
    await restoreUser(t, org.adminActor, org.tenantId, a.id);
    expect(
      (await listGroupMembers(t, org.adminActor, org.tenantId, group.id)).map((m) => m.id).sort(),
    ).toEqual([a.id, b.id].sort());
  });

  it("deleting a group removes its memberships but not its members", async () => {
    const org = await createTenantWithAdmin(t);
    const [a] = await createUsers(t, org, 1);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Temp" });
    await addGroupMember(t, org.adminActor, org.tenantId, group.id, a?.id ?? "");
    await deleteGroup(t, org.adminActor, org.tenantId, group.id);
    expect(await countRows(t, "group_member", org.tenantId)).toBe(0);
    expect(await countRows(t, "app_user", org.tenantId)).toBe(2);
  });

  it("a User Administrator manages groups", async () => {
    const org = await createTenantWithAdmin(t);
    const ua = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    const group = await createGroup(t, ua.actor, org.tenantId, { displayName: "By UA" });
    await addGroupMember(t, ua.actor, org.tenantId, group.id, ua.user.id);
    await updateGroup(t, ua.actor, org.tenantId, group.id, { displayName: "Renamed by UA" });
    await deleteGroup(t, ua.actor, org.tenantId, group.id);
    await expectAppError(getGroup(t, ua.actor, org.tenantId, group.id), "GROUP_NOT_FOUND");
  });

  it.each([
    "billingAdministrator",
    "globalReader",
    "privilegedAuthenticationAdministrator",
  ] as const)("a %s may read groups but not manage them", async (role) => {
    const org = await createTenantWithAdmin(t);
    const other = await createUserWithRoles(t, org, "other", [role]);
    const group = await createGroup(t, org.adminActor, org.tenantId, { displayName: "Locked" });
    expect((await getGroup(t, other.actor, org.tenantId, group.id)).displayName).toBe("Locked");
    for (const attempt of [
      () => createGroup(t, other.actor, org.tenantId, { displayName: "Mine" }),
      () => updateGroup(t, other.actor, org.tenantId, group.id, { displayName: "Mine" }),
      () => addGroupMember(t, other.actor, org.tenantId, group.id, other.user.id),
      () => deleteGroup(t, other.actor, org.tenantId, group.id),
    ]) {
      await expectAppError(attempt(), "INSUFFICIENT_ROLE", "Forbidden");
    }
    expect((await getGroup(t, org.adminActor, org.tenantId, group.id)).displayName).toBe("Locked");
    expect(await countRows(t, "group_member", org.tenantId)).toBe(0);
  });

  it("refuses an unknown group and an empty group name", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      addGroupMember(t, org.adminActor, org.tenantId, "no-such-group", org.admin.id),
      "GROUP_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      createGroup(t, org.adminActor, org.tenantId, { displayName: " " }),
      "DISPLAY_NAME_REQUIRED",
      "Invalid",
    );
  });
});
