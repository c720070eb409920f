import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAuditChainValid,
  OPERATOR,
  PASSWORD,
} from "../../test/directory-fixtures.js";
import { accessTokenFor, bearer, postJson, signInOverHttp } from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, updateUser } from "../directory/index.js";
import { buildServer } from "./build-server.js";

const ME_METHODS = "/v1.0/me/authentication/softwareOathMethods";
const NEW_PASSWORD = "Fresh-Staple-Lantern-42";

describe.each(TEST_ENGINES)("password sign-in over HTTP on %s", (engine) => {
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

  it("gives a user created by an admin an access token at once", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "newbie", [], { password: PASSWORD });
    const response = await signInOverHttp(app, user.userPrincipalName);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
    const list = await app.inject({
      method: "GET",
      url: ME_METHODS,
      headers: bearer(response.json().accessToken),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ value: [] });
  });

  it("finds the organization from the domain whatever the case of the name", async () => {
    const org = await createTenantWithAdmin(t);
    const response = await signInOverHttp(app, `  ADMIN@${org.domain.toUpperCase()} `);
    expect(response.statusCode).toBe(200);
  });

  it("answers an unknown user, a wrong password and a disabled user with one identical error", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "off", [], { password: PASSWORD });
    await updateUser(t, OPERATOR, org.tenantId, user.id, { accountEnabled: false });
    const answers = await Promise.all([
      signInOverHttp(app, `nobody@${org.domain}`),
      signInOverHttp(app, `admin@${org.domain}`, "Wrong-Password-123"),
      signInOverHttp(app, user.userPrincipalName),
    ]);
    const bodies = answers.map((r) => {
      const { code, message } = r.json().error;
      return { status: r.statusCode, code, message };
    });
    expect(bodies[0]).toEqual({
      status: 401,
      code: "InvalidCredentials",
      message: "The user name or password is incorrect.",
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
  });

  it("answers a deleted user and an unknown domain with the same error", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "gone", [], { password: PASSWORD });
    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    const deleted = await signInOverHttp(app, user.userPrincipalName);
    const unknown = await signInOverHttp(app, "admin@no-such-domain.example");
    expect(deleted.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(deleted.json().error.code).toBe("InvalidCredentials");
    expect(unknown.json().error.message).toBe(deleted.json().error.message);
  });

  it("refuses a body without a password with 400 BadRequest", async () => {
    const response = await postJson(app, "/auth/signin", { userPrincipalName: "a@b.example" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("Request_BadRequest");
  });

  it("audits a failed and a successful sign-in, and the chain verifies", async () => {
    const org = await createTenantWithAdmin(t);
    await signInOverHttp(app, `admin@${org.domain}`, "Wrong-Password-123");
    await signInOverHttp(app, `admin@${org.domain}`);
    const entries = (await auditEntries(t, org.tenantId)).filter((e) => e.action === "signIn");
    expect(entries.map((e) => [e.outcome, e.actor.type])).toEqual([
      ["failure", "system"],
      ["success", "user"],
    ]);
    expect(entries[0]?.details).toMatchObject({ reason: "wrongPassword" });
    expect(entries[1]?.actor.id).toBe(org.admin.id);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("signs out: the token is refused afterwards with 401", async () => {
    const org = await createTenantWithAdmin(t);
    const token = await accessTokenFor(app, `admin@${org.domain}`);
    const out = await postJson(app, "/auth/signout", {}, { token });
    expect(out.statusCode).toBe(204);
    const after = await app.inject({ method: "GET", url: ME_METHODS, headers: bearer(token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("InvalidAuthenticationToken");
    expect((await auditEntries(t, org.tenantId)).at(-1)?.action).toBe("signOut");
  });

  it("asks a user who must change the password for a change instead of giving a token", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "temp", [], {
      password: PASSWORD,
      forceChangePasswordNextSignIn: true,
    });
    const response = await signInOverHttp(app, user.userPrincipalName);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      passwordChangeRequired: true,
      changeToken: expect.any(String),
      expiresIn: 600,
    });
    const misuse = await app.inject({
      method: "GET",
      url: ME_METHODS,
      headers: bearer(response.json().changeToken),
    });
    expect(misuse.statusCode).toBe(403);
    expect(misuse.json().error.code).toBe("PasswordChangeOnlySession");
  });

  it("completes a required password change: a token, the flag cleared, the new password works", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "temp2", [], {
      password: PASSWORD,
      forceChangePasswordNextSignIn: true,
    });
    const { changeToken } = (await signInOverHttp(app, user.userPrincipalName)).json();
    const changed = await postJson(app, "/auth/password", {
      changeToken,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ accessToken: expect.any(String), expiresIn: 3600 });
    expect((await signInOverHttp(app, user.userPrincipalName)).statusCode).toBe(401);
    const again = await signInOverHttp(app, user.userPrincipalName, NEW_PASSWORD);
    expect(again.json().accessToken).toEqual(expect.any(String));
    const actions = (await auditEntries(t, org.tenantId)).map((e) => e.action);
    expect(actions).toContain("user.passwordChange");
    await expectAuditChainValid(t, org.tenantId);
  });

  it("refuses a new password that breaks the policy, and the change token stays usable", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "temp3", [], {
      password: PASSWORD,
      forceChangePasswordNextSignIn: true,
    });
    const { changeToken } = (await signInOverHttp(app, user.userPrincipalName)).json();
    const short = await postJson(app, "/auth/password", { changeToken, newPassword: "short" });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].code).toBe("PASSWORD_TOO_SHORT");
    const same = await postJson(app, "/auth/password", { changeToken, newPassword: PASSWORD });
    expect(same.json().error.details[0].code).toBe("PASSWORD_UNCHANGED");
    const ok = await postJson(app, "/auth/password", { changeToken, newPassword: NEW_PASSWORD });
    expect(ok.statusCode).toBe(200);
  });

  it("does not accept a full access token as a password-change token", async () => {
    const org = await createTenantWithAdmin(t);
    const token = await accessTokenFor(app, `admin@${org.domain}`);
    const response = await postJson(app, "/auth/password", {
      changeToken: token,
      newPassword: NEW_PASSWORD,
    });
    expect(response.statusCode).toBe(401);
  });
});
