import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApplicationWithSecret } from "../../test/application-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteApplication } from "./application.service.js";
import {
  assignApplicationRole,
  listApplicationRoles,
  removeApplicationRole,
} from "./application-role.service.js";
import { addDirectoryRoleMember, listDirectoryRoleMembers } from "./directory-role.service.js";
import { ROLES } from "./role.js";
import { createUser } from "./user.service.js";

describe.each(TEST_ENGINES)("application roles on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("gives and takes an application's role, auditing both against the application", async () => {
    const org = await createTenantWithAdmin(t);
    const { application } = await createApplicationWithSecret(t, org);
    await assignApplicationRole(t, org.adminActor, org.tenantId, application.id, "globalReader");
    expect(
      (await listApplicationRoles(t, org.adminActor, org.tenantId, application.id)).map(
        (r) => r.name,
      ),
    ).toEqual(["globalReader"]);
    await removeApplicationRole(t, org.adminActor, org.tenantId, application.id, "globalReader");
    expect(await listApplicationRoles(t, org.adminActor, org.tenantId, application.id)).toEqual([]);
    const entries = (await auditEntries(t, org.tenantId)).slice(-2);
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ["role.assign", { type: "application", id: application.id }],
      ["role.remove", { type: "application", id: application.id }],
    ]);
  });

  it("refuses a role the application already has", async () => {
    const org = await createTenantWithAdmin(t);
    const { application } = await createApplicationWithSecret(t, org, "Dup", ["userAdministrator"]);
    await expectAppError(
      assignApplicationRole(t, org.adminActor, org.tenantId, application.id, "userAdministrator"),
      "ROLE_ALREADY_ASSIGNED",
      "Conflict",
    );
  });

  it("answers ROLE_ASSIGNMENT_NOT_FOUND when removing a role the application lacks", async () => {
    const org = await createTenantWithAdmin(t);
    const { application } = await createApplicationWithSecret(t, org);
    await expectAppError(
      removeApplicationRole(t, org.adminActor, org.tenantId, application.id, "globalReader"),
      "ROLE_ASSIGNMENT_NOT_FOUND",
      "NotFound",
    );
  });

  it("lets only role managers give applications roles", async () => {
    const org = await createTenantWithAdmin(t);
    const { actor } = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    const { application } = await createApplicationWithSecret(t, org);
    await expectAppError(
      assignApplicationRole(t, actor, org.tenantId, application.id, "globalReader"),
      "INSUFFICIENT_ROLE",
    );
  });

  it("an application holding User Administrator creates a user with its own actor", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org, "Provisioner", ["userAdministrator"]);
    const user = await createUser(t, app.actor, org.tenantId, {
      userPrincipalName: `new.hire@${org.domain}`,
      displayName: "New Hire",
    });
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({
      action: "user.create",
      actor: { type: "application", id: app.application.id },
      target: { id: user.id },
    });
  });

  it("an application without a role cannot create users", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org);
    await expectAppError(
      createUser(t, app.actor, org.tenantId, {
        userPrincipalName: `x@${org.domain}`,
        displayName: "X",
      }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
  });

  it("a deleted application's actor is refused", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org, "Gone", ["userAdministrator"]);
    await deleteApplication(t, org.adminActor, org.tenantId, app.application.id);
    await expectAppError(
      createUser(t, app.actor, org.tenantId, {
        userPrincipalName: `y@${org.domain}`,
        displayName: "Y",
      }),
      "ACTOR_INACTIVE",
    );
  });

  it("lists a role's users, then its applications", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplicationWithSecret(t, org, "Admin app", ["globalAdministrator"]);
    const members = await listDirectoryRoleMembers(
      t,
      org.adminActor,
      org.tenantId,
      ROLES.globalAdministrator.roleTemplateId,
    );
    expect(members.map((m) => (m.type === "user" ? m.user.id : m.application.id))).toEqual([
      org.admin.id,
      app.application.id,
    ]);
  });

  it("adds a role member by object id, a user or an application alike", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "reader");
    const { application } = await createApplicationWithSecret(t, org);
    const roleId = ROLES.globalReader.roleTemplateId;
    await addDirectoryRoleMember(t, org.adminActor, org.tenantId, roleId, user.id);
    await addDirectoryRoleMember(t, org.adminActor, org.tenantId, roleId, application.id);
    const members = await listDirectoryRoleMembers(t, org.adminActor, org.tenantId, roleId);
    expect(members.map((m) => m.type)).toEqual(["user", "application"]);
  });

  it("answers DIRECTORY_OBJECT_NOT_FOUND for an id that is neither user nor application", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      addDirectoryRoleMember(t, org.adminActor, org.tenantId, "globalReader", crypto.randomUUID()),
      "DIRECTORY_OBJECT_NOT_FOUND",
      "NotFound",
    );
  });
});
