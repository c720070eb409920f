import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApplicationWithSecret } from "../../test/application-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  addApplicationPassword,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  removeApplicationPassword,
  updateApplication,
} from "./application.service.js";

describe.each(TEST_ENGINES)("applications on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  async function countAppRows(table: "application_secret" | "application_role_assignment") {
    const row = await t.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it("a Global Administrator registers an application with a new client id, audited", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: " HR " });
    expect(app).toMatchObject({ displayName: "HR", passwordCredentials: [] });
    expect(app.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(app.appId).not.toBe(app.id);
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({ action: "application.create", target: { id: app.id } });
    expect(entry?.details).toMatchObject({ displayName: "HR", appId: app.appId });
  });

  it("finds an application by object id or by client id", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "A" });
    expect((await getApplication(t, org.adminActor, org.tenantId, app.appId)).id).toBe(app.id);
    expect((await getApplication(t, org.adminActor, org.tenantId, app.id)).id).toBe(app.id);
  });

  it("refuses registration by anyone but a Global Administrator", async () => {
    const org = await createTenantWithAdmin(t);
    const { actor } = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    await expectAppError(
      createApplication(t, actor, org.tenantId, { displayName: "X" }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
  });

  it("renames an application and audits the old and new names", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "Old" });
    const renamed = await updateApplication(t, org.adminActor, org.tenantId, app.id, {
      displayName: "New",
    });
    expect(renamed.displayName).toBe("New");
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry?.details).toEqual({ displayName: "New", previousDisplayName: "Old" });
  });

  it("refuses an empty display name", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      createApplication(t, org.adminActor, org.tenantId, { displayName: "  " }),
      "DISPLAY_NAME_REQUIRED",
    );
  });

  it("returns a new secret's text once and stores only its hash", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "S" });
    const added = await addApplicationPassword(t, org.adminActor, org.tenantId, app.id, {
      displayName: "ci",
    });
    expect(added.hint).toBe(added.secretText.slice(0, 3));
    expect(added.endDateTime.getTime() - added.startDateTime.getTime()).toBe(180 * 86_400_000);
    const row = await t.db
      .selectFrom("application_secret")
      .selectAll()
      .where("key_id", "=", added.keyId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(added.secretText);
    const listed = await getApplication(t, org.adminActor, org.tenantId, app.id);
    expect(listed.passwordCredentials).toEqual([
      {
        keyId: added.keyId,
        displayName: "ci",
        hint: added.hint,
        startDateTime: added.startDateTime,
        endDateTime: added.endDateTime,
      },
    ]);
  });

  it("audits secret changes by key id, never with the secret", async () => {
    const org = await createTenantWithAdmin(t);
    const fixture = await createApplicationWithSecret(t, org);
    await removeApplicationPassword(t, org.adminActor, org.tenantId, fixture.application.id, {
      keyId: fixture.keyId,
    });
    const entries = (await auditEntries(t, org.tenantId)).slice(-2);
    expect(entries.map((e) => e.action)).toEqual([
      "application.addPassword",
      "application.removePassword",
    ]);
    expect(entries.map((e) => e.details?.keyId)).toEqual([fixture.keyId, fixture.keyId]);
    expect(JSON.stringify(entries)).not.toContain(fixture.clientSecret);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("refuses a secret living longer than two years", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "L" });
    await expectAppError(
      addApplicationPassword(t, org.adminActor, org.tenantId, app.id, {
        endDateTime: "2030-01-01T00:00:00Z",
      }),
      "SECRET_END_INVALID",
      "Invalid",
    );
  });

  it("answers SECRET_NOT_FOUND for a key the application does not have", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "K" });
    await expectAppError(
      removeApplicationPassword(t, org.adminActor, org.tenantId, app.id, { keyId: "nope" }),
      "SECRET_NOT_FOUND",
      "NotFound",
    );
  });

  it("deletes an application permanently, with its secrets and role assignments", async () => {
    const org = await createTenantWithAdmin(t);
    const fixture = await createApplicationWithSecret(t, org, "Doomed", ["globalReader"]);
    const [secrets, roles] = [
      await countAppRows("application_secret"),
      await countAppRows("application_role_assignment"),
    ];
    await deleteApplication(t, org.adminActor, org.tenantId, fixture.application.id);
    expect(await listApplications(t, org.adminActor, org.tenantId)).toEqual([]);
    expect(await countAppRows("application_secret")).toBe(secrets - 1);
    expect(await countAppRows("application_role_assignment")).toBe(roles - 1);
    await expectAppError(
      getApplication(t, org.adminActor, org.tenantId, fixture.application.id),
      "APPLICATION_NOT_FOUND",
      "NotFound",
    );
    expect((await auditEntries(t, org.tenantId)).at(-1)?.action).toBe("application.delete");
  });

  it("hides another organization's applications", async () => {
    const a = await createTenantWithAdmin(t);
    const b = await createTenantWithAdmin(t);
    const appOfB = await createApplication(t, b.adminActor, b.tenantId, { displayName: "B" });
    await expectAppError(
      getApplication(t, a.adminActor, a.tenantId, appOfB.id),
      "APPLICATION_NOT_FOUND",
    );
    await expectAppError(
      deleteApplication(t, a.adminActor, b.tenantId, appOfB.id),
      "TENANT_NOT_FOUND",
    );
    expect(await listApplications(t, a.adminActor, a.tenantId)).toEqual([]);
  });

  it("a closing organization refuses new applications yet lets an admin delete them", async () => {
    const org = await createTenantWithAdmin(t);
    const app = await createApplication(t, org.adminActor, org.tenantId, { displayName: "C" });
    await t.db
      .updateTable("tenant")
      .set({ state: "closing" })
      .where("id", "=", org.tenantId)
      .execute();
    await expectAppError(
      createApplication(t, org.adminActor, org.tenantId, { displayName: "D" }),
      "TENANT_FROZEN",
      "Blocked",
    );
    await expectAppError(
      addApplicationPassword(t, org.adminActor, org.tenantId, app.id),
      "TENANT_FROZEN",
    );
    await deleteApplication(t, org.adminActor, org.tenantId, app.id);
  });
});
