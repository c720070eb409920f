import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  countRows,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { createUser, deleteUser, getUser, updateUser } from "./user.service.js";

describe.each(TEST_ENGINES)("creating, reading and updating users on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
  });
  afterAll(async () => {
    await t.close();
  });

  it("creates an enabled user with MFA disabled and the mail nickname taken from the alias", async () => {
    const user = await createUser(t, org.adminActor, org.tenantId, {
      userPrincipalName: `Adele.Vance@${org.domain.toUpperCase()}`,
      displayName: "Adele Vance",
      password: PASSWORD,
    });
    expect(user).toMatchObject({
      tenantId: org.tenantId,
      userPrincipalName: `Adele.Vance@${org.domain}`,
      displayName: "Adele Vance",
      mailNickname: "Adele.Vance",
      accountEnabled: true,
      perUserMfaState: "disabled",
      onPremisesSyncEnabled: null,
      hasPassword: true,
      roles: [],
      deletedDateTime: null,
    });
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "user.create", target: { type: "user", id: user.id } });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("finds a user by id and by user principal name in any case", async () => {
    const { user } = await createUserWithRoles(t, org, "Megan.Bowen");
    expect(await getUser(t, org.adminActor, org.tenantId, user.id)).toEqual(user);
    expect(await getUser(t, org.adminActor, org.tenantId, `MEGAN.BOWEN@${org.domain}`)).toEqual(
      user,
    );
  });

  it("updates display name, mail, nickname and enabled state and audits the change", async () => {
    const { user } = await createUserWithRoles(t, org, "lee.gu");
    const updated = await updateUser(t, org.adminActor, org.tenantId, user.id, {
      displayName: "Lee Gu",
      mail: "lee@elsewhere.example",
      mailNickname: "leegu",
      accountEnabled: false,
    });
    expect(updated).toMatchObject({
      displayName: "Lee Gu",
      mail: "lee@elsewhere.example",
      mailNickname: "leegu",
      accountEnabled: false,
    });
    expect(await getUser(t, org.adminActor, org.tenantId, user.id)).toEqual(updated);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "user.update", target: { id: user.id } });
    expect([...((entry?.details?.changed as string[]) ?? [])].sort()).toEqual([
      "accountEnabled",
      "displayName",
      "mail",
      "mailNickname",
    ]);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("renames a user's principal name within the tenant's domain", async () => {
    const { user } = await createUserWithRoles(t, org, "old.name");
    await updateUser(t, org.adminActor, org.tenantId, user.id, {
      userPrincipalName: `new.name@${org.domain}`,
    });
    expect((await getUser(t, org.adminActor, org.tenantId, `new.name@${org.domain}`)).id).toBe(
      user.id,
    );
    await expectAppError(
      getUser(t, org.adminActor, org.tenantId, `old.name@${org.domain}`),
      "USER_NOT_FOUND",
      "NotFound",
    );
  });

  it("refuses a user principal name already taken in another case", async () => {
    await createUserWithRoles(t, org, "alex.wilber");
    const before = await countRows(t, "app_user", org.tenantId);
    const error = await expectAppError(
      createUser(t, org.adminActor, org.tenantId, {
        userPrincipalName: `ALEX.Wilber@${org.domain}`,
        displayName: "Another Alex",
      }),
      "USER_UPN_TAKEN",
      "Conflict",
    );
    expect(error.details).toMatchObject({ field: "userPrincipalName" });
    expect(await countRows(t, "app_user", org.tenantId)).toBe(before);
  });

  it("refuses a user principal name held by a user in the recycle bin", async () => {
    const { user } = await createUserWithRoles(t, org, "binned");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    const error = await expectAppError(
      createUser(t, org.adminActor, org.tenantId, {
        userPrincipalName: `binned@${org.domain}`,
        displayName: "Binned again",
      }),
      "USER_UPN_TAKEN",
      "Conflict",
    );
    expect(error.message).toContain("recycle bin");
  });

  it("refuses to rename a user to a principal name another user holds", async () => {
    await createUserWithRoles(t, org, "holder");
    const { user } = await createUserWithRoles(t, org, "renamer");
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, user.id, {
        userPrincipalName: `Holder@${org.domain}`,
      }),
      "USER_UPN_TAKEN",
      "Conflict",
    );
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).userPrincipalName).toBe(
      `renamer@${org.domain}`,
    );
  });

  it.each([
    ["a malformed principal name", { userPrincipalName: "no-at-sign" }, "UPN_INVALID"],
    ["a foreign domain", { userPrincipalName: "x@fabrikam.example" }, "UPN_DOMAIN_NOT_IN_TENANT"],
    ["an oversized display name", { displayName: "d".repeat(257) }, "DISPLAY_NAME_TOO_LONG"],
    ["an empty display name", { displayName: "  " }, "DISPLAY_NAME_REQUIRED"],
    ["a malformed mail address", { mail: "not-mail" }, "MAIL_INVALID"],
    ["a weak password", { password: "short" }, "PASSWORD_TOO_SHORT"],
  ])("refuses to create a user with %s and writes nothing", async (_, override, code) => {
    const before = await countRows(t, "app_user", org.tenantId);
    await expectAppError(
      createUser(t, org.adminActor, org.tenantId, {
        userPrincipalName: `fresh@${org.domain}`,
        displayName: "Fresh",
        ...override,
      }),
      code,
      "Invalid",
    );
    expect(await countRows(t, "app_user", org.tenantId)).toBe(before);
  });

  it.each([
    ["a malformed principal name", { userPrincipalName: "bad name@x" }, "UPN_INVALID"],
    ["a foreign domain", { userPrincipalName: "x@fabrikam.example" }, "UPN_DOMAIN_NOT_IN_TENANT"],
    ["an oversized display name", { displayName: "d".repeat(257) }, "DISPLAY_NAME_TOO_LONG"],
    ["a malformed mail nickname", { mailNickname: "with space" }, "MAIL_NICKNAME_INVALID"],
  ])("refuses to update a user with %s and leaves it unchanged", async (_, override, code) => {
    const { user } = await createUserWithRoles(t, org, `unchanged.${code.toLowerCase()}`);
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, user.id, override),
      code,
      "Invalid",
    );
    expect(await getUser(t, org.adminActor, org.tenantId, user.id)).toEqual(user);
  });

  it("refuses a new password equal to the user's principal name, even when the user is addressed by id", async () => {
    const { user } = await createUserWithRoles(t, org, "samename.user");
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, user.id, {
        password: user.userPrincipalName,
      }),
      "PASSWORD_IS_USERNAME",
      "Invalid",
    );
    expect(await getUser(t, org.adminActor, org.tenantId, user.id)).toEqual(user);
  });

  it("answers USER_NOT_FOUND for an unknown id or principal name, reading or writing", async () => {
    const unknownId = "0190a000-0000-7000-8000-000000000000";
    await expectAppError(
      getUser(t, org.adminActor, org.tenantId, unknownId),
      "USER_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      updateUser(t, org.adminActor, org.tenantId, `nobody@${org.domain}`, { displayName: "X" }),
      "USER_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      deleteUser(t, org.adminActor, org.tenantId, unknownId),
      "USER_NOT_FOUND",
      "NotFound",
    );
  });

  it("an update without changes writes no audit entry", async () => {
    const { user } = await createUserWithRoles(t, org, "idle");
    const before = (await auditEntries(t, org.tenantId)).length;
    expect(await updateUser(t, org.adminActor, org.tenantId, user.id, {})).toEqual(user);
    expect((await auditEntries(t, org.tenantId)).length).toBe(before);
  });
});
