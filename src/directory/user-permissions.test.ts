import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  PASSWORD,
  type TenantFixture,
  type UserFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { RoleName } from "./role.js";
import { assignRole, listRoleMembers, removeRole } from "./role.service.js";
import {
  createUser,
  deleteUser,
  getUser,
  purgeUser,
  restoreUser,
  updateUser,
} from "./user.service.js";
import { listUsers } from "./user-query.service.js";

/** SPEC §1's table, as the services enforce it on users and roles. */
describe.each(TEST_ENGINES)("who may manage users and roles on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;
  const operators = {} as Record<RoleName, UserFixture>;
  let sequence = 0;

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
    for (const role of [
      "userAdministrator",
      "privilegedAuthenticationAdministrator",
      "billingAdministrator",
      "globalReader",
      "privilegedRoleAdministrator",
    ] as const) {
      operators[role] = await createUserWithRoles(t, org, role.toLowerCase(), [role]);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const target = async (roles: RoleName[] = []) =>
    (await createUserWithRoles(t, org, `target${++sequence}`, roles)).user;

  /** Create, update, delete, restore and purge a user of the given kind, acting as `role`. */
  async function manageLifecycle(role: RoleName, targetRoles: RoleName[]) {
    const actor = operators[role].actor;
    const created = await createUser(t, actor, org.tenantId, {
      userPrincipalName: `made${++sequence}@${org.domain}`,
      displayName: "Made",
      password: PASSWORD,
    });
    const user = await target(targetRoles);
    await updateUser(t, actor, org.tenantId, user.id, { displayName: "Renamed" });
    await deleteUser(t, actor, org.tenantId, user.id);
    await restoreUser(t, actor, org.tenantId, user.id);
    await deleteUser(t, actor, org.tenantId, user.id);
    await purgeUser(t, actor, org.tenantId, user.id);
    return created;
  }

  it("a User Administrator creates, updates, deletes, restores and purges regular users", async () => {
    const created = await manageLifecycle("userAdministrator", []);
    expect((await getUser(t, org.adminActor, org.tenantId, created.id)).roles).toEqual([]);
  });

  it("a User Administrator may not update, delete, restore or purge an admin", async () => {
    const actor = operators.userAdministrator.actor;
    const admin = await target(["globalReader"]);
    await expectAppError(
      updateUser(t, actor, org.tenantId, admin.id, { displayName: "Nope" }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await expectAppError(
      deleteUser(t, actor, org.tenantId, admin.id),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await deleteUser(t, org.adminActor, org.tenantId, admin.id);
    await expectAppError(
      restoreUser(t, actor, org.tenantId, admin.id),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await expectAppError(
      purgeUser(t, actor, org.tenantId, admin.id),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await getUser(t, org.adminActor, org.tenantId, admin.id, "deleted")).displayName).toBe(
      admin.displayName,
    );
  });

  it("a Privileged Authentication Administrator manages admins too", async () => {
    await manageLifecycle("privilegedAuthenticationAdministrator", ["billingAdministrator"]);
  });

  it.each(["billingAdministrator", "globalReader", "privilegedRoleAdministrator"] as const)(
    "a %s may not create, update or delete users",
    async (role) => {
      const actor = operators[role].actor;
      const user = await target();
      await expectAppError(
        createUser(t, actor, org.tenantId, {
          userPrincipalName: `denied${++sequence}@${org.domain}`,
          displayName: "Denied",
        }),
        "INSUFFICIENT_ROLE",
        "Forbidden",
      );
      await expectAppError(
        updateUser(t, actor, org.tenantId, user.id, { displayName: "Denied" }),
        "INSUFFICIENT_ROLE",
        "Forbidden",
      );
      await expectAppError(
        deleteUser(t, actor, org.tenantId, user.id),
        "INSUFFICIENT_ROLE",
        "Forbidden",
      );
      expect(await getUser(t, org.adminActor, org.tenantId, user.id)).toEqual(user);
    },
  );

  it("a Global Reader reads users and role members", async () => {
    const actor = operators.globalReader.actor;
    const user = await target();
    expect((await getUser(t, actor, org.tenantId, user.id)).id).toBe(user.id);
    expect((await listUsers(t, actor, org.tenantId, { limit: 999 })).users.length).toBeGreaterThan(
      5,
    );
    const gas = await listRoleMembers(t, actor, org.tenantId, "globalAdministrator");
    expect(gas.map((u) => u.id)).toEqual([org.admin.id]);
  });

  it.each(["globalAdministrator", "privilegedRoleAdministrator"] as const)(
    "a %s assigns and removes directory roles",
    async (role) => {
      const actor = role === "globalAdministrator" ? org.adminActor : operators[role].actor;
      const user = await target();
      await assignRole(t, actor, org.tenantId, user.id, "userAdministrator");
      expect((await getUser(t, actor, org.tenantId, user.id)).roles).toEqual(["userAdministrator"]);
      await removeRole(t, actor, org.tenantId, user.id, "userAdministrator");
      expect((await getUser(t, actor, org.tenantId, user.id)).roles).toEqual([]);
    },
  );

  it.each([
    "userAdministrator",
    "privilegedAuthenticationAdministrator",
    "billingAdministrator",
    "globalReader",
  ] as const)("a %s may neither assign nor remove directory roles", async (role) => {
    const actor = operators[role].actor;
    const user = await target(["globalReader"]);
    await expectAppError(
      assignRole(t, actor, org.tenantId, user.id, "billingAdministrator"),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await expectAppError(
      removeRole(t, actor, org.tenantId, user.id, "globalReader"),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).roles).toEqual([
      "globalReader",
    ]);
  });

  it("a role removed a moment ago no longer grants anything", async () => {
    const { user, actor } = await createUserWithRoles(t, org, "demoted", ["userAdministrator"]);
    await removeRole(t, org.adminActor, org.tenantId, user.id, "userAdministrator");
    await expectAppError(
      createUser(t, actor, org.tenantId, {
        userPrincipalName: `late${++sequence}@${org.domain}`,
        displayName: "Late",
      }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
  });

  it("a disabled administrator can do nothing", async () => {
    const { user, actor } = await createUserWithRoles(t, org, "sleeper", ["userAdministrator"]);
    await updateUser(t, org.adminActor, org.tenantId, user.id, { accountEnabled: false });
    await expectAppError(
      deleteUser(t, actor, org.tenantId, (await target()).id),
      "ACTOR_INACTIVE",
      "Forbidden",
    );
  });
});
