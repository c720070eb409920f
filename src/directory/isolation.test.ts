import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { Group } from "./group.js";
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
import { assignRole, listRoleMembers, removeRole } from "./role.service.js";
import { getSyncState, turnOffSync, turnOnSync } from "./sync.service.js";
import { getTenant, updateTenantDisplayName } from "./tenant.service.js";
import type { User } from "./user.js";
import {
  createUser,
  deleteUser,
  getUser,
  purgeUser,
  restoreUser,
  updateUser,
} from "./user.service.js";
import { bulkDeleteUsers } from "./user-bulk.service.js";
import { listUsers } from "./user-query.service.js";

/** SPEC §2: a user of tenant A can never read, change or learn the existence of anything of B. */
describe.each(TEST_ENGINES)("tenant isolation on %s", (engine) => {
  let t: TestContext;
  let a: TenantFixture;
  let b: TenantFixture;
  let bUser: User;
  let bDeleted: User;
  let bGroup: Group;

  beforeAll(async () => {
    t = await createTestContext(engine);
    a = await createTenantWithAdmin(t);
    b = await createTenantWithAdmin(t);
    bUser = (await createUserWithRoles(t, b, "victim", ["globalReader"])).user;
    bDeleted = (await createUserWithRoles(t, b, "binned")).user;
    await deleteUser(t, b.adminActor, b.tenantId, bDeleted.id);
    bGroup = await createGroup(t, b.adminActor, b.tenantId, { displayName: "B team" });
    await addGroupMember(t, b.adminActor, b.tenantId, bGroup.id, bUser.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const attemptsOnB = (): [string, () => Promise<unknown>][] => {
    const actor = a.adminActor;
    const id = b.tenantId;
    return [
      ["getTenant", () => getTenant(t, actor, id)],
      ["updateTenantDisplayName", () => updateTenantDisplayName(t, actor, id, "Mine")],
      [
        "createUser",
        () =>
          createUser(t, actor, id, {
            userPrincipalName: `intruder@${b.domain}`,
            displayName: "Intruder",
            password: PASSWORD,
          }),
      ],
      ["getUser", () => getUser(t, actor, id, bUser.id)],
      ["getUser by UPN", () => getUser(t, actor, id, bUser.userPrincipalName)],
      ["getUser deleted", () => getUser(t, actor, id, bDeleted.id, "deleted")],
      ["listUsers", () => listUsers(t, actor, id)],
      ["updateUser", () => updateUser(t, actor, id, bUser.id, { displayName: "Pwned" })],
      ["deleteUser", () => deleteUser(t, actor, id, bUser.id)],
      ["restoreUser", () => restoreUser(t, actor, id, bDeleted.id)],
      ["purgeUser", () => purgeUser(t, actor, id, bDeleted.id)],
      ["bulkDeleteUsers", () => bulkDeleteUsers(t, actor, id, { users: [bUser.id] })],
      // Regression: the user to keep was looked up before the tenant was checked, so an unknown
      // one answered USER_NOT_FOUND, and a lone admin "nothing to delete" (see the next test).
      [
        "bulkDeleteUsers allExcept",
        () => bulkDeleteUsers(t, actor, id, { allExcept: `nobody@${b.domain}` }),
      ],
      ["assignRole", () => assignRole(t, actor, id, bUser.id, "globalAdministrator")],
      ["removeRole", () => removeRole(t, actor, id, bUser.id, "globalReader")],
      ["listRoleMembers", () => listRoleMembers(t, actor, id, "globalAdministrator")],
      ["createGroup", () => createGroup(t, actor, id, { displayName: "Mine" })],
      ["getGroup", () => getGroup(t, actor, id, bGroup.id)],
      ["listGroups", () => listGroups(t, actor, id)],
      ["updateGroup", () => updateGroup(t, actor, id, bGroup.id, { displayName: "Mine" })],
      ["deleteGroup", () => deleteGroup(t, actor, id, bGroup.id)],
      ["addGroupMember", () => addGroupMember(t, actor, id, bGroup.id, a.admin.id)],
      ["removeGroupMember", () => removeGroupMember(t, actor, id, bGroup.id, bUser.id)],
      ["listGroupMembers", () => listGroupMembers(t, actor, id, bGroup.id)],
      ["getSyncState", () => getSyncState(t, actor, id)],
      ["turnOnSync", () => turnOnSync(t, actor, id)],
      ["turnOffSync", () => turnOffSync(t, actor, id)],
    ];
  };

  it("answers TENANT_NOT_FOUND, never Forbidden, to every read and write on another tenant", async () => {
    const failures: string[] = [];
    for (const [name, attempt] of attemptsOnB()) {
      const error = await attempt().then(
        () => undefined,
        (e: { code?: string; kind?: string }) => e,
      );
      if (error?.code !== "TENANT_NOT_FOUND" || error.kind !== "NotFound") {
        failures.push(`${name}: ${error ? `${error.kind} ${error.code}` : "succeeded"}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("bulk delete of all but a lone admin of another tenant answers TENANT_NOT_FOUND", async () => {
    const lone = await createTenantWithAdmin(t);
    await expectAppError(
      bulkDeleteUsers(t, a.adminActor, lone.tenantId, { allExcept: lone.admin.userPrincipalName }),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
    expect((await auditEntries(t, lone.tenantId)).map((e) => e.action)).toEqual(["tenant.create"]);
  });

  it("the same answer as for a tenant that does not exist", async () => {
    const real = await expectAppError(getTenant(t, a.adminActor, b.tenantId), "TENANT_NOT_FOUND");
    const fake = await expectAppError(
      getTenant(t, a.adminActor, "0190a000-0000-7000-8000-000000000000"),
      "TENANT_NOT_FOUND",
    );
    expect(real.kind).toBe(fake.kind);
    expect(real.message.replace(b.tenantId, "ID")).toBe(
      fake.message.replace("0190a000-0000-7000-8000-000000000000", "ID"),
    );
  });

  it("ids of another tenant's users are unknown in one's own tenant", async () => {
    const actor = a.adminActor;
    const id = a.tenantId;
    for (const attempt of [
      () => getUser(t, actor, id, bUser.id),
      () => getUser(t, actor, id, bUser.userPrincipalName),
      () => updateUser(t, actor, id, bUser.id, { displayName: "Pwned" }),
      () => deleteUser(t, actor, id, bUser.id),
      () => assignRole(t, actor, id, bUser.id, "globalAdministrator"),
      () => removeRole(t, actor, id, bUser.id, "globalReader"),
      () => purgeUser(t, actor, id, bDeleted.id),
    ]) {
      await expectAppError(attempt(), "USER_NOT_FOUND", "NotFound");
    }
    await expectAppError(
      restoreUser(t, actor, id, bDeleted.id),
      "DELETED_USER_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(getGroup(t, actor, id, bGroup.id), "GROUP_NOT_FOUND", "NotFound");
    const ownGroup = await createGroup(t, actor, id, { displayName: "A team" });
    await expectAppError(
      addGroupMember(t, actor, id, ownGroup.id, bUser.id),
      "USER_NOT_FOUND",
      "NotFound",
    );
    const bulk = await bulkDeleteUsers(t, actor, id, {
      users: [bUser.id, bUser.userPrincipalName],
    });
    expect(bulk.value.map((r) => r.code)).toEqual(["USER_NOT_FOUND", "USER_NOT_FOUND"]);
  });

  it("another tenant's user cannot be listed and B is left exactly as it was", async () => {
    const listed = await listUsers(t, a.adminActor, a.tenantId, { limit: 999 });
    expect(listed.users.map((u) => u.tenantId)).toEqual(listed.users.map(() => a.tenantId));
    expect(await getUser(t, b.adminActor, b.tenantId, bUser.id)).toEqual({
      ...bUser,
      roles: ["globalReader"],
    });
    expect((await getUser(t, b.adminActor, b.tenantId, bDeleted.id, "deleted")).id).toBe(
      bDeleted.id,
    );
    expect((await getTenant(t, b.adminActor, b.tenantId)).displayName).toBe(`Org ${b.domain}`);
    const members = await listGroupMembers(t, b.adminActor, b.tenantId, bGroup.id);
    expect(members.map((m) => m.id)).toEqual([bUser.id]);
    expect((await auditEntries(t, b.tenantId)).map((e) => e.action)).toEqual([
      "tenant.create",
      "user.create",
      "role.assign",
      "user.create",
      "user.delete",
      "group.create",
      "group.addMember",
    ]);
    await expectAuditChainValid(t, b.tenantId);
  });
});
