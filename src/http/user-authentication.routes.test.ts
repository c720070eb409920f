import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAuditChainValid,
  PASSWORD,
} from "../../test/directory-fixtures.js";
import {
  accessTokenFor,
  bearer,
  enrolTotp,
  setMfaState,
  signInOverHttp,
  signInWithTotp,
} from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { buildServer } from "./build-server.js";

describe.each(TEST_ENGINES)("admins and users' MFA over HTTP on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t, { logger: false });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const requirements = (userRef: string) => `/v1.0/users/${userRef}/authentication/requirements`;

  async function orgWithUser() {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "member", [], { password: PASSWORD });
    const adminToken = await accessTokenFor(app, `admin@${org.domain}`);
    return { org, user, adminToken };
  }

  it("lets a Global Administrator set and read a user's per-user MFA state by UPN", async () => {
    const { user, adminToken } = await orgWithUser();
    const patched = await app.inject({
      method: "PATCH",
      url: requirements(user.userPrincipalName),
      headers: bearer(adminToken),
      payload: { perUserMfaState: "enabled" },
    });
    expect(patched.statusCode).toBe(204);
    const read = await app.inject({
      method: "GET",
      url: requirements(user.id),
      headers: bearer(adminToken),
    });
    expect(read.json()).toEqual({ perUserMfaState: "enabled" });
  });

  it("lets users read their own state, and not another user's", async () => {
    const { org, user } = await orgWithUser();
    const token = await accessTokenFor(app, user.userPrincipalName);
    const own = await app.inject({
      method: "GET",
      url: requirements(user.id),
      headers: bearer(token),
    });
    expect(own.json()).toEqual({ perUserMfaState: "disabled" });
    const other = await app.inject({
      method: "GET",
      url: requirements(org.admin.id),
      headers: bearer(token),
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.details[0].code).toBe("INSUFFICIENT_ROLE");
  });

  it("refuses an Authentication Administrator changing an admin's MFA state", async () => {
    const { org } = await orgWithUser();
    const { user } = await createUserWithRoles(
      t,
      org,
      "authadmin",
      ["authenticationAdministrator"],
      {
        password: PASSWORD,
      },
    );
    const token = await accessTokenFor(app, user.userPrincipalName);
    const response = await app.inject({
      method: "PATCH",
      url: requirements(org.admin.id),
      headers: bearer(token),
      payload: { perUserMfaState: "disabled" },
    });
    expect(response.statusCode).toBe(403);
  });

  it("refuses a state that does not exist with 400", async () => {
    const { user, adminToken } = await orgWithUser();
    const response = await app.inject({
      method: "PATCH",
      url: requirements(user.id),
      headers: bearer(adminToken),
      payload: { perUserMfaState: "sometimes" },
    });
    expect(response.statusCode).toBe(400);
  });

  it("resets a user's methods: the user's sessions end and the next sign-in must register again", async () => {
    const { org, user, adminToken } = await orgWithUser();
    const { secretKey } = await enrolTotp(
      t,
      app,
      await accessTokenFor(app, user.userPrincipalName),
    );
    await setMfaState(t, org, user.id, "enforced");
    const userToken = await signInWithTotp(t, app, user.userPrincipalName, secretKey);
    const reset = await app.inject({
      method: "DELETE",
      url: `/v1.0/users/${user.id}/authentication/methods`,
      headers: bearer(adminToken),
    });
    expect(reset.statusCode).toBe(204);
    const old = await app.inject({
      method: "GET",
      url: requirements(user.id),
      headers: bearer(userToken),
    });
    expect(old.statusCode).toBe(401);
    expect((await signInOverHttp(app, user.userPrincipalName)).json().mfaRegistrationRequired).toBe(
      true,
    );
    const actions = (await auditEntries(t, org.tenantId)).map((e) => e.action);
    expect(actions).toContain("mfa.methodsReset");
    await expectAuditChainValid(t, org.tenantId);
  });

  it("refuses a reset to a user without an MFA role", async () => {
    const { org, user } = await orgWithUser();
    const token = await accessTokenFor(app, user.userPrincipalName);
    const response = await app.inject({
      method: "DELETE",
      url: `/v1.0/users/${org.admin.id}/authentication/methods`,
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(403);
  });

  it("hides another organization's user behind 404", async () => {
    const { adminToken } = await orgWithUser();
    const other = await orgWithUser();
    const response = await app.inject({
      method: "GET",
      url: requirements(other.user.id),
      headers: bearer(adminToken),
    });
    expect(response.statusCode).toBe(404);
  });
});
